"""The front-end against hand-checked values, a naive DFT, and the torch module against numpy.

Tolerances: 1e-3 dB between MelFrontend and melspec_numpy (the contract); 1e-9 where two
float64 computations of the same formula are compared.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import torch

from aviary_train.frontend import (
    FrontendConfig,
    MelFrontend,
    hz_to_mel,
    mel_filterbank,
    mel_to_hz,
    melspec_numpy,
)

DB_TOLERANCE = 1e-3
DATA_ROOT = Path(__file__).resolve().parents[3] / "shared" / "data"

BASE = {
    "sample_rate": 16000, "window_sec": 0.5, "context_sec": 0.0, "n_fft": 512, "win_length": 512,
    "hop_length": 160, "window": "hann", "center": True, "pad_mode": "reflect", "n_mels": 32,
    "f_min": 50.0, "f_max": 8000.0, "mel_scale": "slaney", "mel_norm": "slaney", "power": 2,
    "to_db": True, "amin": 1e-10, "top_db": 80.0, "normalize": "minmax",
}  # fmt: skip

VARIANTS = {
    "slaney_minmax": {},
    "htk_power1_standard_no_top_db": {"mel_scale": "htk", "mel_norm": None, "power": 1, "amin": 1e-5,
                                      "top_db": None, "normalize": "standard"},
    "hamming_short_window": {"window": "hamming", "win_length": 301, "hop_length": 100},
    "no_center": {"center": False},
    "constant_pad_raw_db": {"pad_mode": "constant", "normalize": "none"},
    "context": {"context_sec": 0.25, "normalize": "standard"},
}  # fmt: skip


def config(**overrides) -> FrontendConfig:
    return FrontendConfig.from_dict({**BASE, **overrides})


def test_slaney_mel_scale_is_linear_to_15_mel_at_1khz_then_logarithmic():
    assert hz_to_mel(1000.0, "slaney") == pytest.approx(15.0)
    assert hz_to_mel(500.0, "slaney") == pytest.approx(7.5)
    # 27 mel per factor 6.4 above 1 kHz: 6400 Hz is 15 + 27.
    assert hz_to_mel(6400.0, "slaney") == pytest.approx(42.0)
    assert mel_to_hz(15.0, "slaney") == pytest.approx(1000.0)
    assert mel_to_hz(42.0, "slaney") == pytest.approx(6400.0)
    f = np.array([0.0, 123.0, 999.0, 1000.0, 4321.0, 16000.0])
    np.testing.assert_allclose(
        mel_to_hz(hz_to_mel(f, "slaney"), "slaney"), f, rtol=1e-12, atol=1e-9
    )


def test_htk_mel_scale_gives_2595_log10_2_at_700_hz_and_inverts():
    assert hz_to_mel(700.0, "htk") == pytest.approx(2595.0 * math.log10(2.0))
    f = np.array([0.0, 50.0, 700.0, 8000.0])
    np.testing.assert_allclose(mel_to_hz(hz_to_mel(f, "htk"), "htk"), f, rtol=1e-12, atol=1e-9)


def test_slaney_filterbank_below_1khz_is_triangles_equally_spaced_in_hz():
    # Below 1 kHz the Slaney scale is linear, so 3 bands over 0–1000 Hz have edges 0, 250, …, 1000;
    # with bins every 125 Hz, band 0 is 0, .5, 1, .5, 0 and each band is that shifted by 2 bins.
    cfg = config(sample_rate=2000, n_fft=16, win_length=16, hop_length=4, n_mels=3, f_min=0.0,
                 f_max=1000.0, mel_norm=None)  # fmt: skip
    fb = mel_filterbank(cfg)
    assert fb.shape == (9, 3)
    triangle = [0.0, 0.5, 1.0, 0.5, 0.0]
    for m in range(3):
        want = np.zeros(9)
        want[2 * m : 2 * m + 5] = triangle
        np.testing.assert_allclose(fb[:, m], want, atol=1e-12)
    # The Slaney norm divides by half the band's width: 2 / (500 Hz).
    normed = mel_filterbank(FrontendConfig.from_dict({**cfg.to_dict(), "mel_norm": "slaney"}))
    np.testing.assert_allclose(normed, fb * 2.0 / 500.0, atol=1e-15)


def test_htk_single_band_rises_to_its_mel_midpoint_and_falls_to_f_max():
    # One HTK band over 0–8000 Hz peaks at the mel midpoint, where 1 + f / 700 is the square root
    # of 1 + 8000 / 700. Bins fall every 1000 Hz (n_fft 16 at 16 kHz).
    cfg = config(
        n_fft=16, win_length=16, hop_length=4, n_mels=1, f_min=0.0, mel_scale="htk", mel_norm=None
    )
    peak = 700.0 * (math.sqrt(1.0 + 8000.0 / 700.0) - 1.0)  # 1767.79 Hz
    fb = mel_filterbank(cfg)[:, 0]
    assert fb[0] == 0.0 and fb[8] == pytest.approx(
        0.0, abs=1e-12
    )  # f_max back from mel: 8000 - ulps
    assert fb[1] == pytest.approx(1000.0 / peak)  # 0.5657 on the way up
    assert fb[2] == pytest.approx((8000.0 - 2000.0) / (8000.0 - peak))  # 0.9627 on the way down
    assert fb[5] == pytest.approx((8000.0 - 5000.0) / (8000.0 - peak))


def test_unnormalised_htk_triangles_sum_to_one_between_the_first_and_last_centre():
    cfg = config(mel_scale="htk", mel_norm=None, n_mels=20, f_min=300.0, f_max=7000.0)
    edges = mel_to_hz(np.linspace(hz_to_mel(300.0, "htk"), hz_to_mel(7000.0, "htk"), 22), "htk")
    bins = np.arange(cfg.n_freqs) * 8000.0 / (cfg.n_freqs - 1)
    inside = (bins >= edges[1]) & (bins <= edges[-2])
    np.testing.assert_allclose(mel_filterbank(cfg)[inside].sum(axis=1), 1.0, atol=1e-12)


def test_frame_counts_follow_centre_padding_and_hop():
    assert config(window_sec=0.5).n_frames() == 1 + 8000 // 160  # padded by 256 on each side
    assert config(center=False).n_frames() == 1 + (8000 - 512) // 160
    assert config(context_sec=0.25).input_samples() == 16000
    assert (
        FrontendConfig.from_dict({**BASE, "sample_rate": 32000, "window_sec": 5.0}).n_frames()
        == 1001
    )
    for overrides in VARIANTS.values():
        cfg = config(**overrides)
        assert melspec_numpy(np.zeros(cfg.input_samples()), cfg).shape == (
            cfg.n_mels,
            cfg.n_frames(),
        )


def naive_melspec_db(x: np.ndarray, cfg: FrontendConfig) -> np.ndarray:
    """dB mel spectrogram by explicit loops and a direct DFT: an independent reading of the doc."""
    pad = cfg.n_fft // 2 if cfg.center else 0
    n = len(x)

    def sample(i: int) -> float:
        j = i - pad
        if 0 <= j < n:
            return x[j]
        if cfg.pad_mode == "constant":
            return 0.0
        return x[-j] if j < 0 else x[2 * (n - 1) - j]

    left = (cfg.n_fft - cfg.win_length) // 2
    a = 0.5 if cfg.window == "hann" else 0.54
    window = [0.0] * cfg.n_fft
    for i in range(cfg.win_length):
        window[left + i] = a - (1 - a) * math.cos(2 * math.pi * i / cfg.win_length)
    fb = mel_filterbank(cfg)
    out = np.zeros((cfg.n_mels, cfg.n_frames(n)))
    for t in range(out.shape[1]):
        frame = [sample(t * cfg.hop_length + i) * window[i] for i in range(cfg.n_fft)]
        for k in range(cfg.n_freqs):
            re = sum(v * math.cos(2 * math.pi * k * i / cfg.n_fft) for i, v in enumerate(frame))
            im = sum(v * math.sin(2 * math.pi * k * i / cfg.n_fft) for i, v in enumerate(frame))
            out[:, t] += fb[k] * math.hypot(re, im) ** cfg.power
    factor = 10.0 if cfg.power == 2 else 20.0
    return factor * np.log10(np.maximum(out, cfg.amin))


@pytest.mark.parametrize("pad_mode", ["reflect", "constant"])
@pytest.mark.parametrize("window", ["hann", "hamming"])
def test_reference_matches_a_direct_dft_with_a_short_zero_padded_window(pad_mode, window):
    cfg = config(sample_rate=8000, window_sec=0.005, n_fft=32, win_length=21, hop_length=7, n_mels=6,
                 f_min=0.0, f_max=4000.0, window=window, pad_mode=pad_mode, top_db=None,
                 normalize="none")  # fmt: skip
    x = np.cos(np.arange(40) * 0.7) + 0.1 * np.arange(40) / 40
    np.testing.assert_allclose(melspec_numpy(x, cfg), naive_melspec_db(x, cfg), atol=1e-9)


def signals(n: int, sample_rate: int) -> dict[str, np.ndarray]:
    t = np.arange(n) / sample_rate
    rng = np.random.default_rng(0)
    return {
        "tone": 0.5 * np.sin(2 * np.pi * 1000 * t),
        "chirp": 0.3 * np.sin(2 * np.pi * (200 * t + 6000 * t**2)),
        "noise": 0.1 * rng.standard_normal(n),
        "silence": np.zeros(n),
        "whisper": 1e-6 * np.sin(2 * np.pi * 3000 * t),
    }


def assert_torch_matches_numpy(waves: np.ndarray, cfg: FrontendConfig) -> None:
    """Both the dB array (normalisation off) and the final output, window by window."""
    raw = FrontendConfig.from_dict({**cfg.to_dict(), "normalize": "none"})
    batch = torch.from_numpy(waves.astype(np.float32))
    out, db = MelFrontend(cfg)(batch).numpy(), MelFrontend(raw)(batch).numpy()
    assert out.shape == (len(waves), 1, cfg.n_mels, cfg.n_frames(waves.shape[1]))
    assert out.dtype == np.float32
    for i, wave in enumerate(waves.astype(np.float32)):
        want, want_db = melspec_numpy(wave, cfg, return_db=True)
        if want_db is not None:
            assert np.abs(db[i, 0] - want_db).max() <= DB_TOLERANCE
        assert np.abs(out[i, 0] - want).max() <= (
            DB_TOLERANCE if cfg.to_db else 1e-5 * np.abs(want).max()
        )


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_torch_front_end_matches_numpy_reference_on_tones_noise_and_silence(variant):
    cfg = config(**VARIANTS[variant])
    waves = np.stack(list(signals(cfg.input_samples(), cfg.sample_rate).values()))
    assert_torch_matches_numpy(waves, cfg)


def test_torch_front_end_matches_numpy_reference_on_real_soundscapes():
    if not DATA_ROOT.exists():
        pytest.skip(f"real data not found at {DATA_ROOT}")
    import soundfile as sf
    from scipy.signal import resample_poly

    x, sr = sf.read(
        str(DATA_ROOT / "soundscapes" / "qut_BAC2_20071015-045040.wav"), frames=22050 * 12
    )
    y = resample_poly(x, 320, 441)  # 22050 → 16000 Hz
    for overrides in ({}, VARIANTS["htk_power1_standard_no_top_db"]):
        cfg = FrontendConfig.from_dict({**BASE, **overrides, "window_sec": 5.0})
        n = cfg.input_samples()
        assert_torch_matches_numpy(np.stack([y[:n], y[n : 2 * n]]), cfg)


@pytest.mark.parametrize("normalize", ["none", "minmax", "standard"])
def test_silence_gives_finite_output_at_the_amin_floor(normalize):
    cfg = config(normalize=normalize)
    out = MelFrontend(cfg)(torch.zeros(2, cfg.input_samples())).numpy()
    want = -100.0 if normalize == "none" else 0.0  # 10 log10(1e-10); flat windows normalise to 0
    np.testing.assert_array_equal(out, np.full_like(out, want))
    np.testing.assert_array_equal(melspec_numpy(np.zeros(cfg.input_samples()), cfg), out[0, 0])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"win_length": 1024}, "win_length"),
        ({"f_max": 9000.0}, "f_max"),
        ({"power": 2.0}, "power"),
        ({"center": 1}, "center"),
        ({"window": "blackman"}, "window"),
        ({"top_db": -1.0}, "top_db"),
        ({"window_sec": 0.00001}, "window_sec"),
        ({"n_fft": 0}, "n_fft"),
    ],
)
def test_invalid_front_end_values_are_refused_naming_the_field(change, message):
    with pytest.raises(ValueError, match=message):
        config(**change)


def test_missing_and_unknown_fields_are_refused():
    with pytest.raises(ValueError, match="lacks hop_length"):
        FrontendConfig.from_dict({k: v for k, v in BASE.items() if k != "hop_length"})
    with pytest.raises(ValueError, match="unknown field.*n_mfcc"):
        FrontendConfig.from_dict({**BASE, "n_mfcc": 20})
    assert FrontendConfig.from_dict(BASE).to_dict() == BASE
