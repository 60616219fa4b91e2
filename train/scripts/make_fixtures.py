"""Writes the front-end parity fixtures the TypeScript tests load (test/fixtures/frontend/).

    .venv/bin/python train/scripts/make_fixtures.py [--out test/fixtures/frontend]

Each ``<name>.json`` is one window through one front-end config:

    {
      "name":        "<name>", same as the file stem,
      "description": what the case exercises,
      "config":      the manifest's "frontend" object (docs/manifest.md, snake_case fields),
      "audio":       [n_samples] floats, n_samples = input_samples(config) (window + context);
                     each value is a float32 written in its shortest form, so
                     Float32Array.from(audio) recovers the exact float32 samples,
      "expected":    [n_mels][n_frames], mel band 0 (lowest) first: the final model input,
                     after dB and normalisation,
      "expected_db": [n_mels][n_frames], the dB array before normalisation, or null when
                     to_db is false,
      "n_mels", "n_frames": the shape,
      "source":      only on real audio: the recording, its offset and the resampling used
    }

``expected`` and ``expected_db`` come from ``melspec_numpy`` in float64 on exactly the numbers
stored in ``audio`` (as JSON parses them), rounded to 7 significant digits. Every case is also
checked to stay within 3e-4 dB (5e-5 normalised) when computed in float32, so an honest
float32 implementation can meet the 1e-3 dB contract on all of them.

The real-audio case reads ``../shared/data`` beside the repository; without it the other
fixtures are still written and that one is left as it is.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "train"))

from aviary_train.frontend import FrontendConfig, melspec_numpy  # noqa: E402

DATA_ROOT = REPO.parent / "shared" / "data"
REAL_SOURCE = {"path": "soundscapes/qut_BAC2_20071015-045040.wav", "offset_sec": 40.0}
FLOAT32_DB_MARGIN = 3e-4
FLOAT32_NORMALISED_MARGIN = 5e-5

BASE = {
    "sample_rate": 16000, "window_sec": 0.5, "context_sec": 0.0, "n_fft": 512, "win_length": 512,
    "hop_length": 160, "window": "hann", "center": True, "pad_mode": "reflect", "n_mels": 32,
    "f_min": 50.0, "f_max": 8000.0, "mel_scale": "slaney", "mel_norm": "slaney", "power": 2,
    "to_db": True, "amin": 1e-10, "top_db": 80.0, "normalize": "minmax",
}  # fmt: skip
NARROW = {**BASE, "sample_rate": 8000, "n_fft": 256, "win_length": 256, "hop_length": 128,
          "n_mels": 24, "f_min": 0.0, "f_max": 4000.0}  # fmt: skip


def lcg_noise(n: int, seed: int) -> np.ndarray:
    """Uniform noise in [-1, 1) from a 64-bit LCG: the same numbers on every numpy version."""
    out, state = np.empty(n), seed
    for i in range(n):
        state = (6364136223846793005 * state + 1442695040888963407) % 2**64
        out[i] = (state >> 11) / 2**52 - 1.0
    return out


def seconds(cfg: dict) -> np.ndarray:
    n = FrontendConfig.from_dict(cfg).input_samples()
    return np.arange(n) / cfg["sample_rate"]


def tones_and_chirp(cfg: dict) -> np.ndarray:
    t = seconds(cfg)
    chirp = np.sin(2 * np.pi * (300 * t + 4000 * t**2))
    return (
        0.4 * np.sin(2 * np.pi * 440 * t)
        + 0.2 * np.sin(2 * np.pi * 3000 * t)
        + 0.2 * chirp
        + 0.01 * lcg_noise(len(t), 1)
    )


def tone_in_noise(cfg: dict) -> np.ndarray:
    t = seconds(cfg)
    return 0.5 * np.sin(2 * np.pi * 1250 * t + 0.3) + 0.05 * lcg_noise(len(t), 2)


def am_tone_and_clicks(cfg: dict) -> np.ndarray:
    t = seconds(cfg)
    x = (0.5 + 0.5 * np.sin(2 * np.pi * 6 * t)) * 0.6 * np.sin(2 * np.pi * 2200 * t)
    x[::701] += 0.8
    return x + 0.003 * lcg_noise(len(t), 3)


def chirp_and_noise(cfg: dict) -> np.ndarray:
    t = seconds(cfg)
    return 0.7 * np.sin(2 * np.pi * (200 * t + 3000 * t**2)) + 0.02 * lcg_noise(len(t), 4)


def dc_and_edge_tone(cfg: dict) -> np.ndarray:
    # Loud at both ends, so zero padding and reflection give clearly different edge frames.
    t = seconds(cfg)
    return 0.3 + 0.5 * np.cos(2 * np.pi * 700 * t) + 0.01 * lcg_noise(len(t), 5)


def noise_bursts(cfg: dict) -> np.ndarray:
    t = seconds(cfg)
    gate = (np.floor(t * 8) % 2 == 0).astype(float)
    return 0.5 * gate * lcg_noise(len(t), 6) + 0.01 * lcg_noise(len(t), 7)


def silence(cfg: dict) -> np.ndarray:
    return np.zeros(len(seconds(cfg)))


def real_soundscape(cfg: dict) -> np.ndarray | None:
    """1 s of a real soundscape, resampled with resample_poly from a 2 s span around it."""
    import soundfile as sf
    from scipy.signal import resample_poly

    path = DATA_ROOT / REAL_SOURCE["path"]
    if not path.exists():
        return None
    info = sf.info(str(path))
    start = int(round((REAL_SOURCE["offset_sec"] - 0.5) * info.samplerate))
    x, sr = sf.read(
        str(path), start=start, frames=2 * info.samplerate, dtype="float64", always_2d=True
    )
    g = math.gcd(sr, cfg["sample_rate"])
    y = resample_poly(x.mean(axis=1), cfg["sample_rate"] // g, sr // g)
    half = cfg["sample_rate"] // 2
    return y[half : half + FrontendConfig.from_dict(cfg).input_samples()]


CASES = [
    ("slaney_norm_power2_db_minmax", "Slaney scale and norm, power 2, dB with top_db 80, min-max",
     BASE, tones_and_chirp),
    ("htk_no_norm_power1_standard", "HTK scale without norm, magnitude (20 log10), no top_db, standardised",
     {**NARROW, "mel_scale": "htk", "mel_norm": None, "power": 1, "amin": 1e-5, "top_db": None,
      "normalize": "standard"}, tone_in_noise),
    ("hamming_short_window", "Hamming window of 301 samples zero-padded to n_fft 512 (left pad 105)",
     {**NARROW, "n_fft": 512, "win_length": 301, "hop_length": 100, "n_mels": 20, "f_min": 100.0,
      "f_max": 3800.0, "window": "hamming", "top_db": 60.0}, am_tone_and_clicks),
    ("no_center_raw_power", "center false, no dB, no normalisation: raw mel power",
     {**NARROW, "n_mels": 16, "win_length": 200, "hop_length": 64, "center": False, "to_db": False,
      "top_db": None, "normalize": "none", "mel_scale": "htk"}, chirp_and_noise),
    ("constant_pad_db", "center with zero (constant) padding, magnitude dB, no normalisation",
     {**NARROW, "n_mels": 16, "hop_length": 80, "pad_mode": "constant", "power": 1, "amin": 1e-5,
      "mel_norm": None, "normalize": "none"}, dc_and_edge_tone),
    ("silence_minmax", "an all-zero window: dB at the amin floor, min-max gives zeros",
     BASE, silence),
    ("context_standard", "context_sec 0.125 on each side: 0.75 s of input for a 0.5 s window",
     {**NARROW, "context_sec": 0.125, "normalize": "standard"}, noise_bursts),
    ("real_soundscape", "1 s of a real field recording, resampled to 16 kHz",
     {**BASE, "window_sec": 1.0, "win_length": 400, "n_fft": 512, "f_min": 150.0, "normalize": "standard"},
     real_soundscape),
]  # fmt: skip


def float32_list(x: np.ndarray) -> list[float]:
    """Each sample as the shortest decimal of its float32 value (str of np.float32 is shortest)."""
    return [float(str(v)) for v in np.asarray(x, dtype=np.float32)]


def rounded(a: np.ndarray) -> list[list[float]]:
    return [[float(f"{v:.7g}") for v in row] for row in a]


def float32_deviation(
    audio: np.ndarray, cfg: FrontendConfig, expected: np.ndarray, db: np.ndarray | None
) -> tuple[float, float]:
    """Largest (dB, output) gaps between the float32 torch front-end and the float64 arrays."""
    import torch

    from aviary_train.frontend import MelFrontend

    wave = torch.from_numpy(audio.astype(np.float32))[None]
    out = MelFrontend(cfg, torch.float32)(wave).double().numpy()[0, 0]
    db_gap = 0.0
    if db is not None:
        raw = FrontendConfig.from_dict({**cfg.to_dict(), "normalize": "none"})
        db_gap = float(
            np.abs(MelFrontend(raw, torch.float32)(wave).double().numpy()[0, 0] - db).max()
        )
    return db_gap, float(np.abs(out - expected).max())


def build_fixture(name: str, description: str, config: dict, make_audio) -> dict | None:
    """The fixture dict for one case, or None when its audio is unavailable (real data absent)."""
    raw = make_audio(config)
    if raw is None:
        return None
    cfg = FrontendConfig.from_dict(config)
    audio = float32_list(raw)
    samples = np.array(audio, dtype=np.float64)
    expected, db = melspec_numpy(samples, cfg, return_db=True)
    db_gap, out_gap = float32_deviation(samples, cfg, expected, db)
    scale = np.abs(expected).max() if cfg.normalize == "none" and not cfg.to_db else 1.0
    out_margin = (
        FLOAT32_DB_MARGIN
        if cfg.normalize == "none" and cfg.to_db
        else FLOAT32_NORMALISED_MARGIN * scale
    )
    if db_gap > FLOAT32_DB_MARGIN or out_gap > out_margin:
        raise RuntimeError(
            f"{name}: float32 drifts {db_gap:.2e} dB / {out_gap:.2e}; pick a better-conditioned case"
        )
    fixture = {
        "name": name,
        "description": description,
        "config": cfg.to_dict(),
        "audio": audio,
        "expected": rounded(expected),
        "expected_db": rounded(db) if db is not None else None,
        "n_mels": cfg.n_mels,
        "n_frames": cfg.n_frames(len(audio)),
    }
    if make_audio is real_soundscape:
        fixture["source"] = {
            **REAL_SOURCE,
            "duration_sec": config["window_sec"],
            "resample": "scipy.signal.resample_poly",
        }
    return fixture


def build_all() -> dict[str, dict | None]:
    return {case[0]: build_fixture(*case) for case in CASES}


def to_json(fixture: dict) -> str:
    return json.dumps(fixture, separators=(",", ":")) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "test" / "fixtures" / "frontend")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, fixture in build_all().items():
        if fixture is None:
            print(f"{name}: skipped, {DATA_ROOT} not found")
            continue
        text = to_json(fixture)
        (args.out / f"{name}.json").write_text(text)
        print(
            f"{name}: {fixture['n_mels']}x{fixture['n_frames']}, {len(fixture['audio'])} samples, {len(text) / 1024:.0f} KiB"
        )


if __name__ == "__main__":
    main()
