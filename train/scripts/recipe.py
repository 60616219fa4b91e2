"""Reproduces the model side end to end: teacher, cached teacher logits, the loss ablation, the
four students, the results table in docs/results.md, and the exports under models/.

    .venv/bin/python train/scripts/recipe.py            # everything, resuming finished runs
    .venv/bin/python train/scripts/recipe.py --quick    # 1-epoch smoke run into train/runs-quick

Finished runs (train/runs/<name>/run.json) are reused, so an interrupted recipe picks up where it
stopped; --fresh retrains everything.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aviary_train.data import default_data_root, load_clips, load_soundscape_windows  # noqa: E402
from aviary_train.frontend import FrontendConfig, MelFrontend  # noqa: E402
from aviary_train.metrics import macro_roc_auc  # noqa: E402
from aviary_train.recipes import ABLATION, SAMPLE_RATE, STUDENTS, TEACHER, ModelRecipe  # noqa: E402
from aviary_train.trainer import (  # noqa: E402
    TeacherCache,
    clip_targets,
    load_run,
    predict,
    save_run,
    train_model,
    validation_windows,
)

REPO = Path(__file__).resolve().parents[2]


def log(msg: str) -> None:
    print(time.strftime("%H:%M:%S"), msg, flush=True)


def quick(recipe: ModelRecipe) -> ModelRecipe:
    return dataclasses.replace(recipe, epochs=1, soundscape_windows_per_epoch=24)


def run_or_load(recipe, clips, soundscapes, teacher, runs: Path, fresh: bool):
    run_dir = runs / recipe.name
    if not fresh and (run_dir / "run.json").exists():
        model, meta = load_run(recipe, run_dir)
        log(f"{recipe.name}: reusing {run_dir} (val_auc {meta['val_auc']:.4f})")
        return model, meta
    log(f"{recipe.name}: training {recipe.architecture}, distill={recipe.distill}, {recipe.epochs} epochs")
    result = train_model(recipe, clips, soundscapes, teacher, log)
    save_run(result, recipe, clips.labels, run_dir)
    return load_run(recipe, run_dir)


def teacher_cache(model, clips, soundscapes, runs: Path) -> TeacherCache:
    path = runs / "teacher_logits.npz"
    if path.exists():
        data = np.load(path)
        return TeacherCache(data["clips"], data["soundscapes"])
    cfg = FrontendConfig.from_dict(TEACHER.frontend)
    frontend = MelFrontend(cfg)
    n = cfg.input_samples()
    started = time.perf_counter()
    cache = TeacherCache(
        predict(model, frontend, validation_windows(clips.train, n)),
        predict(model, frontend, np.ascontiguousarray(soundscapes[:, :n])),
    )
    np.savez(path, clips=cache.clip_logits, soundscapes=cache.soundscape_logits)
    log(f"teacher logits cached for {len(clips.train)} clips and {len(soundscapes)} windows in {time.perf_counter() - started:.0f} s")
    return cache


def evaluate(recipe, model, clips) -> np.ndarray:
    cfg = FrontendConfig.from_dict(recipe.frontend)
    probs = 1 / (1 + np.exp(-predict(model, MelFrontend(cfg), validation_windows(clips.val, cfg.input_samples()))))
    return probs


def write_results(rows, ensemble_auc, clips, args, total_s, path: Path) -> None:
    scored = macro_roc_auc(clip_targets(clips.val, clips.labels), np.zeros((len(clips.val), len(clips.labels))))[1]
    lines = [
        "# Results: teacher, loss ablation and the four-student ensemble",
        "",
        f"Produced by `.venv/bin/python train/scripts/recipe.py{' --quick' if args.quick else ''}` "
        f"on {platform.processor() or platform.machine()} with {torch.get_num_threads()} torch threads, "
        f"torch {torch.__version__}, {time.strftime('%Y-%m-%d')}; total {total_s / 60:.1f} min.",
        "",
        f"Data: {len(clips.train)} training and {len(clips.val)} validation clips (split by source recording, seed 0), "
        f"{len(clips.labels)} species; validation macro ROC-AUC over the {len(scored)} species that have "
        f"validation positives: {', '.join(clips.labels[c] for c in scored)}. No pretrained weights and no "
        "pseudo-labels were used: every model starts from random initialisation.",
        "",
        "| model | architecture | front-end | loss | epochs | train time | val macro ROC-AUC |",
        "|---|---|---|---|---|---|---|",
    ]
    for recipe, meta in rows:
        fe = f"{recipe.frontend['n_mels']} mels, n_fft {recipe.frontend['n_fft']}, hop {recipe.frontend['hop_length']}"
        loss = "focal" if recipe.distill == "none" else f"focal + {recipe.distill.upper()}"
        lines.append(
            f"| {recipe.name} | {recipe.architecture} | {fe} | {loss} | {recipe.epochs} | "
            f"{meta['seconds'] / 60:.1f} min | {meta['val_auc']:.4f} |"
        )
    lines.append(f"| ensemble of the four students | mean of probabilities | | | | | {ensemble_auc:.4f} |")
    lines += [
        "",
        "Ablation rows (`ablation_*` and `student_b0_a`) share the student config, seed and augmentations;",
        "they differ only in the distillation term. Distilled students see the labelled clips plus "
        f"{STUDENTS[0].soundscape_windows_per_epoch} unlabelled soundscape windows per epoch, with teacher logits cached once;",
        "the focal-only student sees the labelled clips alone (an unlabelled window carries no focal loss).",
        "Read the distillation rows against the teacher they copy: where the teacher scores below the focal-only",
        "student, pulling the student towards it costs AUC, which is what these rows show on our data.",
        "The validation set is small (a few clips per species), so differences of a few hundredths are within noise.",
    ]
    path.write_text("\n".join(lines) + "\n")
    log(f"wrote {path}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=default_data_root(), help="the shared data folder")
    parser.add_argument("--runs", type=Path, default=None, help="where runs are kept (default train/runs)")
    parser.add_argument("--quick", action="store_true", help="1 epoch each: a smoke test of the whole recipe")
    parser.add_argument("--fresh", action="store_true", help="retrain runs that already exist")
    parser.add_argument("--only", default="", help="comma-separated run names to train (others must exist)")
    parser.add_argument("--results", type=Path, default=REPO / "docs" / "results.md")
    args = parser.parse_args()
    if not (args.data / "index.csv").exists():
        print(f"error: no data at {args.data} (expected index.csv there); pass --data DIR", file=sys.stderr)
        return 2
    runs = args.runs or REPO / "train" / ("runs-quick" if args.quick else "runs")
    runs.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(max(1, torch.get_num_threads()))
    started = time.perf_counter()

    log(f"loading data from {args.data} at {SAMPLE_RATE} Hz")
    clips = load_clips(args.data, SAMPLE_RATE)
    soundscapes, _ = load_soundscape_windows(args.data, SAMPLE_RATE, 5.0)
    log(f"{len(clips.train)} train clips, {len(clips.val)} val clips, {len(soundscapes)} soundscape windows")

    adjust = quick if args.quick else (lambda r: r)
    teacher_recipe = adjust(TEACHER)
    teacher, teacher_meta = run_or_load(teacher_recipe, clips, soundscapes, None, runs, args.fresh)
    cache = teacher_cache(teacher, clips, soundscapes, runs)

    rows = [(teacher_recipe, teacher_meta)]
    students = {}
    wanted = set(filter(None, args.only.split(",")))
    for recipe in [adjust(r) for r in ABLATION[:-1] + STUDENTS]:
        if wanted and recipe.name not in wanted and not (runs / recipe.name / "run.json").exists():
            log(f"{recipe.name}: skipped (not in --only)")
            continue
        model, meta = run_or_load(recipe, clips, soundscapes, cache, runs, args.fresh and (not wanted or recipe.name in wanted))
        rows.append((recipe, meta))
        if recipe.name in {s.name for s in STUDENTS}:
            students[recipe.name] = (recipe, model)

    if len(students) == len(STUDENTS):
        probs = np.mean([evaluate(r, m, clips) for r, m in students.values()], axis=0)
        ensemble_auc, _ = macro_roc_auc(clip_targets(clips.val, clips.labels), probs)
        log(f"ensemble of {len(students)} students: val_auc {ensemble_auc:.4f}")
        write_results(rows, ensemble_auc, clips, args, time.perf_counter() - started, args.results)
    (runs / "summary.json").write_text(json.dumps({r.name: m["val_auc"] for r, m in rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
