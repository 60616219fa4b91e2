"""The models we train: the teacher, the four students and the ablation variants.

Front-ends are given in the manifest's own fields (docs/manifest.md) so that what is trained is
exactly what the pipeline computes. Inputs are kept small (64–96 mel bands, 200–250 frames) so
that every student trains in minutes on two CPU cores.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["FRONTEND_A", "FRONTEND_B", "TEACHER", "STUDENTS", "ABLATION", "ModelRecipe"]

SAMPLE_RATE = 32000

# 64 Slaney mel bands, hop 20 ms: a coarse, fast image, min-max scaled per window.
FRONTEND_A = {
    "sample_rate": SAMPLE_RATE,
    "window_sec": 5.0,
    "context_sec": 0.0,
    "n_fft": 1024,
    "win_length": 1024,
    "hop_length": 640,
    "window": "hann",
    "center": True,
    "pad_mode": "reflect",
    "n_mels": 64,
    "f_min": 50.0,
    "f_max": 14000.0,
    "mel_scale": "slaney",
    "mel_norm": "slaney",
    "power": 2,
    "to_db": True,
    "amin": 1e-10,
    "top_db": 80.0,
    "normalize": "minmax",
}

# 96 HTK bands from a longer FFT (better frequency resolution for tonal calls), hop 25 ms,
# standardised per window.
FRONTEND_B = {
    **FRONTEND_A,
    "n_fft": 2048,
    "win_length": 1600,
    "hop_length": 800,
    "n_mels": 96,
    "f_min": 100.0,
    "f_max": 15000.0,
    "mel_scale": "htk",
    "mel_norm": None,
    "normalize": "standard",
}


@dataclass(frozen=True)
class ModelRecipe:
    name: str
    architecture: str
    frontend: dict
    role: str = "student"
    distill: str = "mld"  # none | kd | dkd | mld
    epochs: int = 20
    lr: float = 1e-3
    batch_size: int = 16
    # Augmentations: probability of each, or 0 to switch it off.
    mixup: float = 0.0
    background: float = 0.0
    gain_db: float = 0.0
    time_masks: int = 0
    freq_masks: int = 0
    soundscape_windows_per_epoch: int = 120
    seed: int = 1
    extra: dict = field(default_factory=dict)


TEACHER = ModelRecipe(
    name="teacher_nfnet_l0",
    architecture="eca_nfnet_l0",
    frontend=FRONTEND_A,
    role="teacher",
    distill="none",
    epochs=24,
    lr=1e-3,
    batch_size=16,
    background=0.3,
    gain_db=6.0,
    time_masks=2,
    freq_masks=2,
    soundscape_windows_per_epoch=0,
)

STUDENTS = [
    ModelRecipe("student_b0_a", "efficientnet_b0", FRONTEND_A, mixup=0.3, background=0.3, time_masks=2, freq_masks=2),
    ModelRecipe("student_b1_b", "efficientnet_b1", FRONTEND_B, background=0.4, gain_db=6.0, time_masks=2, freq_masks=1, seed=2),
    ModelRecipe("student_mnv3_a", "mobilenetv3_large_100", FRONTEND_A, gain_db=6.0, time_masks=1, freq_masks=2, seed=3),
    ModelRecipe("student_b0_b", "efficientnet_b0", FRONTEND_B, mixup=0.3, background=0.3, seed=4),
]

# The recipe's central claim on our data: one student config, one seed, four losses.
_BASE = STUDENTS[0]
ABLATION = [
    ModelRecipe(**{**_BASE.__dict__, "name": "ablation_focal", "distill": "none"}),
    ModelRecipe(**{**_BASE.__dict__, "name": "ablation_kd", "distill": "kd"}),
    ModelRecipe(**{**_BASE.__dict__, "name": "ablation_dkd", "distill": "dkd"}),
    _BASE,  # focal + MLD is the shipped student itself
]
