"""Inputs and small networks shared by the conversion and export tests.

``real_windows`` gives spectrogram-like model inputs cut from a real soundscape, so the exports
are compared on the value distribution they will meet (a log spectrogram, min-max scaled), not
only on noise. It is a deliberately simple log spectrogram (linear frequency bands), independent
of the pipeline's front-end: these tests check that exports agree, not the front-end itself.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

DATA_ROOT = Path(__file__).resolve().parents[3] / "shared" / "data"

# A four-stage eca_nfnet with one block per stage: same layer types as eca_nfnet_l0 (scaled
# weight-standardised convs, ECA, SiLU), ~0.1 M parameters.
TINY_NFNET = dict(
    depths=(1, 1, 1, 1),
    channels=(32, 64, 96, 128),
    stem_chs=16,
    group_size=8,
    bottle_ratio=0.5,
    num_features=192,
)


def real_windows(count: int, n_mels: int, n_frames: int, seed: int = 0) -> np.ndarray | None:
    """``[count, 1, n_mels, n_frames]`` float32 in [0, 1] from one soundscape, or None without data.

    Windows start at seeded random offsets of the first ``.wav`` soundscape (sorted by name).
    """
    soundscapes = sorted((DATA_ROOT / "soundscapes").glob("*.wav"))
    if not soundscapes:
        return None
    import soundfile

    audio, _ = soundfile.read(str(soundscapes[0]), dtype="float32", always_2d=True)
    audio = torch.from_numpy(audio.mean(axis=1))
    n_fft, hop = 512, 256
    window_samples = (n_frames - 1) * hop
    rng = np.random.default_rng(seed)
    windows = []
    for _ in range(count):
        start = int(rng.integers(0, max(1, len(audio) - window_samples)))
        chunk = audio[start : start + window_samples]
        chunk = torch.nn.functional.pad(chunk, (0, window_samples - len(chunk)))
        spec = torch.stft(chunk, n_fft, hop, window=torch.hann_window(n_fft), return_complex=True)
        power = spec.abs().square()[1:]  # drop DC so the bands split evenly
        bands = torch.stack([b.mean(dim=0) for b in power.tensor_split(n_mels, dim=0)])
        db = 10 * torch.log10(bands.clamp_min(1e-10))
        db = (db - db.min()) / (db.max() - db.min()).clamp_min(1e-6)
        windows.append(db[None].numpy())
    return np.stack(windows).astype(np.float32)


def model_inputs(count: int, n_mels: int, n_frames: int, seed: int = 0) -> np.ndarray:
    """Real windows when the data is present, else seeded uniform [0, 1) values of that shape."""
    windows = real_windows(count, n_mels, n_frames, seed)
    if windows is not None:
        return windows
    rng = np.random.default_rng(seed)
    return rng.random((count, 1, n_mels, n_frames), dtype=np.float32)


def spread_gains(model: torch.nn.Module, seed: int = 0) -> None:
    """Sets every ScaledStdConv2d gain to a seeded value in [0.5, 1.5].

    Fresh layers have all gains 1, which would hide a fold that forgot the gain.
    """
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for module in model.modules():
            if hasattr(module, "gain") and isinstance(module.gain, torch.nn.Parameter):
                module.gain.copy_(0.5 + torch.rand(module.gain.shape, generator=generator))


def widen_classifier(
    model: torch.nn.Module, x: torch.Tensor, seed: int = 0, peak: float = 3.0
) -> None:
    """Redraws the classifier weights so that the largest logit on ``x`` has magnitude ``peak``.

    Random-init heads give logits near 0.001; an export difference bound only means something
    against logits of a realistic scale.
    """
    generator = torch.Generator().manual_seed(seed)
    head = model.get_classifier()
    with torch.no_grad():
        head.weight.copy_(torch.randn(head.weight.shape, generator=generator))
        if head.bias is not None:
            head.bias.zero_()
        head.weight.mul_(peak / model(x).abs().max())
