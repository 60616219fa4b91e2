"""Writes the tiny committed test models for the TypeScript backend and ensemble tests.

    .venv/bin/python train/scripts/make_tiny_model.py [--out test/fixtures/tiny-model]

Writes, from a seeded, untrained EfficientNet-B0 shrunk to ~53 k parameters (channel multiplier
0.15, depth multiplier 0.25):

- ``tiny_b0/``: model.onnx, model.xml/.bin (float32 IR, so OpenVINO and ONNX Runtime agree to
  ~1e-6), manifest.json, with a small 16 kHz front-end and labels species_a … species_d.
- ``tiny_b0_b/``: the same network with its output rows permuted and its labels permuted the
  same way. Aligned by label name it scores exactly like tiny_b0; aligned by position it does
  not, which is what an ensemble test needs to tell the two apart.
- ``tiny_b0_io.json``: a batch of 2 inputs and each model's PyTorch float32 logits for them.
  Inputs are multiples of 1/256, exact in float32 and short in JSON; ``input`` is row-major
  over ``shape`` (``[2, 1, n_mels, n_frames]``).

The random head is rescaled so that logits reach ±3 on these inputs: near-zero logits would
make every sigmoid 0.5 and hide an alignment or parity bug.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aviary_train.export import export_model, frontend_input_shape  # noqa: E402
from aviary_train.models import count_parameters, create_model  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
SEED = 20240601
LABELS = ["species_a", "species_b", "species_c", "species_d"]
# tiny_b0_b's output k is tiny_b0's output PERMUTATION[k].
PERMUTATION = [2, 0, 3, 1]
PEAK_LOGIT = 3.0

# 5 s at 16 kHz, centred 512-point frames every 500 samples: 1 + 80000 // 500 = 161 frames.
TINY_FRONTEND = {
    "sample_rate": 16000,
    "window_sec": 5.0,
    "context_sec": 0.0,
    "n_fft": 512,
    "win_length": 512,
    "hop_length": 500,
    "window": "hann",
    "center": True,
    "pad_mode": "reflect",
    "n_mels": 32,
    "f_min": 0.0,
    "f_max": 8000.0,
    "mel_scale": "htk",
    "mel_norm": None,
    "power": 2,
    "to_db": True,
    "amin": 1e-10,
    "top_db": 80.0,
    "normalize": "minmax",
}


def tiny_network() -> torch.nn.Module:
    torch.manual_seed(SEED)
    return create_model(
        "efficientnet_b0", len(LABELS), channel_multiplier=0.15, depth_multiplier=0.25
    ).eval()


def fixture_inputs(batch: int, n_mels: int, n_frames: int) -> np.ndarray:
    steps = np.random.default_rng(SEED).integers(0, 257, size=(batch, 1, n_mels, n_frames))
    return (steps / 256.0).astype(np.float32)


def scale_head(model: torch.nn.Module, x: torch.Tensor) -> None:
    head = model.get_classifier()
    with torch.no_grad():
        head.bias.zero_()
        head.weight.mul_(PEAK_LOGIT / model(x).abs().max())


def permuted_copy(model: torch.nn.Module) -> torch.nn.Module:
    clone = tiny_network()
    clone.load_state_dict(model.state_dict())
    head = clone.get_classifier()
    with torch.no_grad():
        head.weight.copy_(head.weight[PERMUTATION])
        head.bias.copy_(head.bias[PERMUTATION])
    return clone.eval()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=REPO / "test" / "fixtures" / "tiny-model")
    args = parser.parse_args()

    n_mels, n_frames = frontend_input_shape(TINY_FRONTEND)
    inputs = fixture_inputs(2, n_mels, n_frames)
    check = np.concatenate([inputs, fixture_inputs(6, n_mels, n_frames)[2:]])
    model = tiny_network()
    scale_head(model, torch.from_numpy(inputs))
    models = {
        "tiny_b0": (model, LABELS),
        "tiny_b0_b": (permuted_copy(model), [LABELS[k] for k in PERMUTATION]),
    }

    io: dict = {
        "about": "written by train/scripts/make_tiny_model.py; PyTorch float32 logits",
        "input_name": "spectrogram",
        "shape": list(inputs.shape),
        "input": inputs.reshape(-1).tolist(),
        "models": {},
    }
    for name, (net, labels) in models.items():
        info = {
            "purpose": "test fixture: untrained, seeded",
            "seed": SEED,
            "parameters": count_parameters(net),
            "channel_multiplier": 0.15,
            "depth_multiplier": 0.25,
        }
        results = export_model(
            net, TINY_FRONTEND, labels, args.out / name, name, "student", "efficientnet_b0",
            training_info=info, check_inputs=check, compress_to_fp16=False,
        )  # fmt: skip
        with torch.no_grad():
            logits = net(torch.from_numpy(inputs)).numpy()
        io["models"][name] = {"labels": labels, "logits": logits.tolist()}
        print(name, json.dumps(results), flush=True)
    (args.out / "tiny_b0_io.json").write_text(json.dumps(io) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
