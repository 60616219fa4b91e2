"""The training data: labelled clips, unlabelled soundscape windows, the label space and the split.

Everything is decoded once, resampled to the models' rate and held in memory: the whole data set
is about 47 minutes of soundscapes and 253 short clips, a few hundred MB as float32.

Label space: the species folders of ``clips/`` except ``no_class_negative``, sorted by name. The
negative clips are kept as windows whose targets are all zero.

Split: by source recording, never by window. QUT clips are cut from longer recordings and carry
the recording's name followed by ``_<n>``; clips of one recording go to the same side. The other
sources' clips are separate recordings. Per species, a seeded quarter of the recordings (at least
one, when the species has two or more) goes to validation; a species with one recording stays in
training, and has no validation positives (macro ROC-AUC skips it).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly

__all__ = [
    "NEGATIVE_LABEL",
    "Clip",
    "ClipSet",
    "default_data_root",
    "load_audio",
    "load_clips",
    "load_soundscape_windows",
    "fit_window",
    "label_space",
    "split_by_recording",
]

NEGATIVE_LABEL = "no_class_negative"
REPO_ROOT = Path(__file__).resolve().parents[2]


def default_data_root() -> Path:
    """``../shared/data`` beside the repository, where the recordings live."""
    return REPO_ROOT.parent / "shared" / "data"


def load_audio(path: Path, sample_rate: int) -> np.ndarray:
    """Decodes a file to mono float32 at ``sample_rate`` (polyphase resampling, scipy)."""
    data, file_rate = sf.read(str(path), dtype="float32", always_2d=True)
    # Mean of the channels rather than the sum keeps the level of a mono source played on both.
    mono = data.mean(axis=1)
    mono[~np.isfinite(mono)] = 0.0
    if file_rate != sample_rate:
        g = np.gcd(int(file_rate), int(sample_rate))
        mono = resample_poly(mono, sample_rate // g, int(file_rate) // g).astype(np.float32)
    return np.ascontiguousarray(mono, dtype=np.float32)


def recording_of(clip_path: Path) -> str:
    """The source recording a clip was cut from (see the module docstring)."""
    stem = clip_path.stem
    if stem.startswith("qut_"):
        return re.sub(r"_\d+$", "", stem)
    return stem


@dataclass
class Clip:
    path: Path
    label: str  # a species, or NEGATIVE_LABEL
    recording: str
    audio: np.ndarray  # [n_samples] at the data set's sample rate


@dataclass
class ClipSet:
    labels: list[str]
    train: list[Clip]
    val: list[Clip]


def label_space(data_root: Path) -> list[str]:
    clips_dir = data_root / "clips"
    return sorted(p.name for p in clips_dir.iterdir() if p.is_dir() and p.name != NEGATIVE_LABEL)


def split_by_recording(clips: list[Clip], seed: int, val_fraction: float = 0.25) -> tuple[list[Clip], list[Clip]]:
    rng = np.random.default_rng(seed)
    val_recordings: set[tuple[str, str]] = set()
    for label in sorted({c.label for c in clips}):
        recordings = sorted({c.recording for c in clips if c.label == label})
        if len(recordings) < 2:
            continue
        n_val = max(1, int(round(val_fraction * len(recordings))))
        for idx in rng.permutation(len(recordings))[:n_val]:
            val_recordings.add((label, recordings[idx]))
    train = [c for c in clips if (c.label, c.recording) not in val_recordings]
    val = [c for c in clips if (c.label, c.recording) in val_recordings]
    return train, val


def load_clips(data_root: Path, sample_rate: int, seed: int = 0) -> ClipSet:
    """Reads every labelled clip listed in ``index.csv`` and splits them by recording."""
    clips: list[Clip] = []
    with open(data_root / "index.csv", newline="") as f:
        for row in csv.DictReader(f):
            if row["kind"] != "clip":
                continue
            path = data_root / row["path"]
            clips.append(Clip(path, path.parent.name, recording_of(path), load_audio(path, sample_rate)))
    train, val = split_by_recording(clips, seed)
    return ClipSet(label_space(data_root), train, val)


def load_soundscape_windows(data_root: Path, sample_rate: int, window_sec: float) -> tuple[np.ndarray, list[str]]:
    """Every whole window of every soundscape: ``[n_windows, window_samples]`` and their names.

    Used as unlabelled distillation data and as background noise; a trailing partial window is
    dropped (it would be mostly padding).
    """
    win = int(round(window_sec * sample_rate))
    windows: list[np.ndarray] = []
    names: list[str] = []
    for path in sorted((data_root / "soundscapes").iterdir()):
        if path.suffix.lower() not in {".wav", ".ogg", ".flac", ".mp3"}:
            continue
        audio = load_audio(path, sample_rate)
        for i in range(len(audio) // win):
            windows.append(audio[i * win : (i + 1) * win])
            names.append(f"{path.stem}_{(i + 1) * int(window_sec)}")
    return np.stack(windows), names


def fit_window(audio: np.ndarray, n_samples: int, rng: np.random.Generator | None) -> np.ndarray:
    """Places a clip in a window of ``n_samples``: a random crop or offset when ``rng`` is given
    (training), centred otherwise (validation). Padding is zeros."""
    out = np.zeros(n_samples, dtype=np.float32)
    if len(audio) >= n_samples:
        start = rng.integers(0, len(audio) - n_samples + 1) if rng is not None else (len(audio) - n_samples) // 2
        out[:] = audio[start : start + n_samples]
    else:
        offset = rng.integers(0, n_samples - len(audio) + 1) if rng is not None else (n_samples - len(audio)) // 2
        out[offset : offset + len(audio)] = audio
    return out
