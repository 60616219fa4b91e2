"""Augmentations, on waveforms (gain, background noise, mixup) and on spectrograms (masking).

All take an explicit ``torch.Generator`` so that two runs with the same seed see the same
augmented batches, which the ablation needs to compare losses fairly.
"""

from __future__ import annotations

import torch

__all__ = ["random_gain", "add_background", "mixup", "mask_spectrogram"]


def random_gain(wave: torch.Tensor, max_db: float, gen: torch.Generator) -> torch.Tensor:
    """wave [B, N]; scales each row by a gain uniform in [-max_db, +max_db] dB."""
    if max_db <= 0:
        return wave
    db = (torch.rand(wave.shape[0], 1, generator=gen) * 2 - 1) * max_db
    return wave * (10.0 ** (db / 20.0))


def add_background(
    wave: torch.Tensor, noise_bank: torch.Tensor, prob: float, gen: torch.Generator, snr_db: tuple[float, float] = (0.0, 15.0)
) -> torch.Tensor:
    """Mixes a random soundscape window into a ``prob`` share of the rows at a random SNR.

    The SNR is measured against the row's own RMS, so quiet calls get quiet backgrounds. The
    soundscapes are unlabelled and may hold calls of their own: that is accepted noise.
    """
    if prob <= 0 or noise_bank.numel() == 0:
        return wave
    b = wave.shape[0]
    pick = torch.randint(0, noise_bank.shape[0], (b,), generator=gen)
    noise = noise_bank[pick, : wave.shape[1]]
    use = (torch.rand(b, 1, generator=gen) < prob).float()
    snr = snr_db[0] + torch.rand(b, 1, generator=gen) * (snr_db[1] - snr_db[0])
    sig_rms = wave.pow(2).mean(dim=1, keepdim=True).sqrt()
    noise_rms = noise.pow(2).mean(dim=1, keepdim=True).sqrt().clamp_min(1e-8)
    scale = sig_rms / noise_rms / (10.0 ** (snr / 20.0))
    return wave + use * scale * noise


def mixup(
    wave: torch.Tensor, targets: torch.Tensor, teacher: torch.Tensor | None, labelled: torch.Tensor, prob: float, gen: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None, torch.Tensor]:
    """Adds a shuffled partner to a ``prob`` share of the rows (weight 0.3–0.7 each).

    Targets and teacher probabilities combine by elementwise max, the usual multi-label choice:
    a call present in either half is present in the mix. A mix is labelled only if both halves
    were.
    """
    if prob <= 0:
        return wave, targets, teacher, labelled
    b = wave.shape[0]
    perm = torch.randperm(b, generator=gen)
    use = torch.rand(b, generator=gen) < prob
    lam = 0.3 + 0.4 * torch.rand(b, 1, generator=gen)
    mixed = torch.where(use[:, None], lam * wave + (1 - lam) * wave[perm], wave)
    new_targets = torch.where(use[:, None], torch.maximum(targets, targets[perm]), targets)
    new_teacher = None
    if teacher is not None:
        new_teacher = torch.where(use[:, None], torch.maximum(teacher, teacher[perm]), teacher)
    new_labelled = torch.where(use, labelled & labelled[perm], labelled)
    return mixed, new_targets, new_teacher, new_labelled


def mask_spectrogram(spec: torch.Tensor, time_masks: int, freq_masks: int, gen: torch.Generator) -> torch.Tensor:
    """spec [B, 1, n_mels, n_frames]; SpecAugment-style bands set to each image's minimum.

    The minimum rather than zero, because 'standard' normalisation is centred on zero.
    """
    if time_masks == 0 and freq_masks == 0:
        return spec
    out = spec.clone()
    b, _, n_mels, n_frames = spec.shape
    floor = spec.amin(dim=(1, 2, 3))
    for i in range(b):
        for _ in range(time_masks):
            width = int(torch.randint(1, max(2, n_frames // 10), (1,), generator=gen))
            start = int(torch.randint(0, n_frames - width + 1, (1,), generator=gen))
            out[i, :, :, start : start + width] = floor[i]
        for _ in range(freq_masks):
            width = int(torch.randint(1, max(2, n_mels // 8), (1,), generator=gen))
            start = int(torch.randint(0, n_mels - width + 1, (1,), generator=gen))
            out[i, :, start : start + width, :] = floor[i]
    return out
