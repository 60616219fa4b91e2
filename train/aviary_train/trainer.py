"""One training run: a teacher on the labelled clips, or a student distilled from cached teacher
logits on the clips and the unlabelled soundscape windows.

Loss per batch: ``focal_weight * focal(labelled rows) + ramp(epoch) * distill(all rows)``, where
``distill`` is KD, DKD or MLD (``recipe.distill``) and the ramp rises linearly over the warm-up
epochs. Rows from soundscapes have no labels: they feed only the distillation term.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import torch

from .augment import add_background, mask_spectrogram, mixup, random_gain
from .data import NEGATIVE_LABEL, ClipSet, fit_window
from .frontend import FrontendConfig, MelFrontend
from .losses import dkd_loss, focal_loss, kd_loss, mld_loss, mld_ramp
from .metrics import macro_roc_auc
from .models import create_model
from .recipes import ModelRecipe

__all__ = ["TeacherCache", "TrainResult", "clip_targets", "predict", "train_model", "validation_windows"]

WARMUP_EPOCHS = 3
KD_TEMPERATURE = 2.0
DKD_ALPHA, DKD_BETA = 1.0, 2.0


@dataclass
class TeacherCache:
    """Teacher logits, computed once on the clean (centred) clips and the soundscape windows."""

    clip_logits: np.ndarray  # [n_train_clips, n_classes], in ClipSet.train order
    soundscape_logits: np.ndarray  # [n_soundscape_windows, n_classes]


@dataclass
class TrainResult:
    model: torch.nn.Module
    history: list[dict]
    val_auc: float
    seconds: float


def clip_targets(clips, labels: list[str]) -> np.ndarray:
    """One-hot targets [n_clips, n_classes]; negative clips are all zeros."""
    index = {name: i for i, name in enumerate(labels)}
    out = np.zeros((len(clips), len(labels)), dtype=np.float32)
    for row, clip in enumerate(clips):
        if clip.label != NEGATIVE_LABEL:
            out[row, index[clip.label]] = 1.0
    return out


def validation_windows(clips, n_samples: int) -> np.ndarray:
    """Centred, zero-padded windows [n_clips, n_samples]: the same every run."""
    return np.stack([fit_window(c.audio, n_samples, None) for c in clips])


@torch.no_grad()
def predict(model: torch.nn.Module, frontend: MelFrontend, waves: np.ndarray, batch_size: int = 32) -> np.ndarray:
    """Logits [n, n_classes] for waveform windows [n, n_samples]."""
    model.eval()
    out = []
    for start in range(0, len(waves), batch_size):
        batch = torch.from_numpy(waves[start : start + batch_size])
        out.append(model(frontend(batch)).float().numpy())
    return np.concatenate(out)


def _distillation(kind: str, logits, teacher_logits, targets) -> torch.Tensor:
    if kind == "kd":
        return kd_loss(logits, teacher_logits, KD_TEMPERATURE)
    if kind == "dkd":
        return dkd_loss(logits, teacher_logits, targets, DKD_ALPHA, DKD_BETA, KD_TEMPERATURE)
    if kind == "mld":
        return mld_loss(logits, teacher_logits)
    raise ValueError(f"unknown distillation {kind!r}")


def train_model(
    recipe: ModelRecipe,
    clips: ClipSet,
    soundscapes: np.ndarray,
    teacher: TeacherCache | None,
    log: Callable[[str], None] = print,
) -> TrainResult:
    if recipe.distill != "none" and teacher is None:
        raise ValueError(f"{recipe.name}: distillation {recipe.distill!r} needs cached teacher logits")
    torch.manual_seed(recipe.seed)
    rng = np.random.default_rng(recipe.seed)
    gen = torch.Generator().manual_seed(recipe.seed)

    cfg = FrontendConfig.from_dict(recipe.frontend)
    frontend = MelFrontend(cfg)
    n_samples = cfg.input_samples()
    n_classes = len(clips.labels)
    model = create_model(recipe.architecture, n_classes)

    train_targets = torch.from_numpy(clip_targets(clips.train, clips.labels))
    val_waves = validation_windows(clips.val, n_samples)
    val_targets = clip_targets(clips.val, clips.labels)
    noise_bank = torch.from_numpy(soundscapes[:, :n_samples]) if len(soundscapes) else torch.zeros(0, n_samples)

    n_unlabelled = recipe.soundscape_windows_per_epoch if recipe.distill != "none" else 0
    steps_per_epoch = int(np.ceil((len(clips.train) + n_unlabelled) / recipe.batch_size))
    optimizer = torch.optim.AdamW(model.parameters(), lr=recipe.lr, weight_decay=1e-2)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=recipe.lr, total_steps=recipe.epochs * steps_per_epoch, pct_start=0.15
    )

    history: list[dict] = []
    started = time.perf_counter()
    for epoch in range(recipe.epochs):
        model.train()
        epoch_start = time.perf_counter()
        waves = [fit_window(c.audio, n_samples, rng) for c in clips.train]
        targets = [train_targets]
        labelled = [torch.ones(len(clips.train), dtype=torch.bool)]
        teacher_rows = [torch.from_numpy(teacher.clip_logits)] if teacher is not None else []
        if n_unlabelled:
            pick = rng.choice(len(soundscapes), size=min(n_unlabelled, len(soundscapes)), replace=False)
            waves.extend(soundscapes[pick, :n_samples])
            targets.append(torch.zeros(len(pick), n_classes))
            labelled.append(torch.zeros(len(pick), dtype=torch.bool))
            teacher_rows.append(torch.from_numpy(teacher.soundscape_logits[pick]))
        all_waves = torch.from_numpy(np.stack(waves))
        all_targets = torch.cat(targets)
        all_labelled = torch.cat(labelled)
        all_teacher = torch.cat(teacher_rows) if teacher_rows else None

        order = torch.randperm(len(all_waves), generator=gen)
        ramp = mld_ramp(epoch, WARMUP_EPOCHS)
        sums = {"loss": 0.0, "focal": 0.0, "distill": 0.0}
        for start in range(0, len(order), recipe.batch_size):
            idx = order[start : start + recipe.batch_size]
            wave, tgt, lab = all_waves[idx], all_targets[idx], all_labelled[idx]
            t_prob = torch.sigmoid(all_teacher[idx]) if all_teacher is not None else None
            wave = random_gain(wave, recipe.gain_db, gen)
            wave = add_background(wave, noise_bank, recipe.background, gen)
            wave, tgt, t_prob, lab = mixup(wave, tgt, t_prob, lab, recipe.mixup, gen)
            with torch.no_grad():
                spec = mask_spectrogram(frontend(wave), recipe.time_masks, recipe.freq_masks, gen)
            logits = model(spec)
            focal = focal_loss(logits[lab], tgt[lab]) if lab.any() else logits.sum() * 0.0
            loss = focal
            distill = torch.zeros(())
            if t_prob is not None and recipe.distill != "none":
                t_logits = torch.logit(t_prob.clamp(1e-6, 1 - 1e-6))
                # DKD splits classes by their targets; a soundscape row has none, so the
                # teacher's own confident classes stand in for them.
                dkd_targets = torch.where(lab[:, None], tgt, (t_prob > 0.5).float())
                distill = _distillation(recipe.distill, logits, t_logits, dkd_targets)
                loss = focal + ramp * distill
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimizer.step()
            schedule.step()
            n = len(idx)
            sums["loss"] += float(loss.detach()) * n
            sums["focal"] += float(focal.detach()) * n
            sums["distill"] += float(distill.detach()) * n
        seconds = time.perf_counter() - epoch_start
        val_logits = predict(model, frontend, val_waves)
        val_auc, _ = macro_roc_auc(val_targets, val_logits)
        row = {
            "epoch": epoch + 1,
            **{k: v / len(order) for k, v in sums.items()},
            "ramp": ramp,
            "lr": schedule.get_last_lr()[0],
            "samples_per_s": len(order) / seconds,
            "val_auc": val_auc,
        }
        history.append(row)
        log(
            f"{recipe.name} epoch {epoch + 1:>2}/{recipe.epochs} loss {row['loss']:.4f} "
            f"focal {row['focal']:.4f} distill {row['distill']:.4f} ramp {ramp:.2f} "
            f"lr {row['lr']:.2e} {row['samples_per_s']:.1f} samples/s val_auc {val_auc:.4f}"
        )
    model.eval()
    return TrainResult(model, history, history[-1]["val_auc"], time.perf_counter() - started)


def save_run(result: TrainResult, recipe: ModelRecipe, labels: list[str], run_dir: Path) -> None:
    run_dir.mkdir(parents=True, exist_ok=True)
    torch.save(result.model.state_dict(), run_dir / "model.pt")
    meta = {
        "recipe": asdict(recipe),
        "labels": labels,
        "history": result.history,
        "val_auc": result.val_auc,
        "seconds": result.seconds,
    }
    (run_dir / "run.json").write_text(json.dumps(meta, indent=2))


def load_run(recipe: ModelRecipe, run_dir: Path) -> tuple[torch.nn.Module, dict]:
    meta = json.loads((run_dir / "run.json").read_text())
    model = create_model(recipe.architecture, len(meta["labels"]))
    model.load_state_dict(torch.load(run_dir / "model.pt", weights_only=True))
    model.eval()
    return model, meta
