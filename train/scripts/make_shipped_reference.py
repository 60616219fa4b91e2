"""Writes what the shipped models must answer on one real recording, computed in PyTorch.

    .venv/bin/python train/scripts/make_shipped_reference.py [--models models] [--runs train/runs]

For every model folder under ``models/`` (students and teacher), this reads the trained PyTorch
weights from ``train/runs/<name>/model.pt``, cuts ``oss_birds_10s.wav`` (32 kHz, the models'
rate, so no resampler stands between the two sides) into the pipeline's 5 s windows, the last
one zero-padded, builds each model's spectrogram with ``MelFrontend`` from the manifest's own
front-end fields, and records the PyTorch logits. It also records the students' ensemble
(the weighted mean of sigmoids), which is what ``aviary submit`` must write for each row.

The TypeScript test ``test/e2e/shipped-models.test.ts`` runs the same file through the whole
pipeline and compares: it is the manifest contract, checked end to end on the real models.
Output: ``test/fixtures/shipped-models/oss_birds_10s.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import soundfile as sf
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aviary_train.data import default_data_root  # noqa: E402
from aviary_train.frontend import FrontendConfig, MelFrontend  # noqa: E402
from aviary_train.models import create_model  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
SOURCE = "soundscapes/oss_birds_10s.wav"
WINDOW_SEC = 5


def pipeline_windows(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """ceil(d / 5) windows [n, 5 * sample_rate]; the last one is zero-padded at its end."""
    size = WINDOW_SEC * sample_rate
    count = -(-len(audio) // size)
    out = np.zeros((count, size), dtype=np.float32)
    for i in range(count):
        chunk = audio[i * size : (i + 1) * size]
        out[i, : len(chunk)] = chunk
    return out


def torch_logits(manifest: dict, run_dir: Path, audio: np.ndarray, file_rate: int) -> np.ndarray:
    cfg = FrontendConfig.from_dict(manifest["frontend"])
    if cfg.sample_rate != file_rate or cfg.context_sec != 0:
        raise SystemExit(f"{manifest['name']}: this reference needs a {file_rate} Hz model without context")
    model = create_model(manifest["architecture"], len(manifest["labels"]))
    model.load_state_dict(torch.load(run_dir / "model.pt", weights_only=True))
    waves = torch.from_numpy(pipeline_windows(audio, cfg.sample_rate))
    with torch.no_grad():
        return model.eval()(MelFrontend(cfg)(waves)).numpy()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", type=Path, default=REPO / "models")
    parser.add_argument("--runs", type=Path, default=REPO / "train" / "runs")
    parser.add_argument("--data", type=Path, default=default_data_root())
    parser.add_argument("--out", type=Path, default=REPO / "test" / "fixtures" / "shipped-models")
    args = parser.parse_args()

    audio, file_rate = sf.read(str(args.data / SOURCE), dtype="float32", always_2d=True)
    audio = audio.mean(axis=1)
    models: dict[str, dict] = {}
    student_probs, student_weights = [], []
    labels: list[str] | None = None
    for manifest_path in sorted(args.models.glob("*/manifest.json")):
        manifest = json.loads(manifest_path.read_text())
        name = manifest["name"]
        logits = torch_logits(manifest, args.runs / name, audio, file_rate)
        models[name] = {"role": manifest["role"], "labels": manifest["labels"], "logits": logits.tolist()}
        if manifest["role"] == "student":
            if labels is not None and manifest["labels"] != labels:
                raise SystemExit(f"{name}: students must share one label order for this reference")
            labels = manifest["labels"]
            student_probs.append(1 / (1 + np.exp(-logits.astype(np.float64))))
            student_weights.append(float(manifest.get("weight", 1.0)))
        print(f"{name}: {logits.shape[0]} windows, logits in [{logits.min():.3f}, {logits.max():.3f}]")
    if not student_probs:
        raise SystemExit(f"no student models in {args.models}")
    weights = np.asarray(student_weights)[:, None, None]
    ensemble = (np.stack(student_probs) * weights).sum(axis=0) / weights.sum()

    args.out.mkdir(parents=True, exist_ok=True)
    out = args.out / (Path(SOURCE).stem + ".json")
    out.write_text(
        json.dumps(
            {
                "source": SOURCE,
                "duration_samples": len(audio),
                "sample_rate": file_rate,
                "labels": labels,
                "ensemble_probabilities": ensemble.tolist(),
                "models": models,
            }
        )
        + "\n"
    )
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
