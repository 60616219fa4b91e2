"""Exports a trained network as a pipeline model folder: ONNX, OpenVINO IR and manifest.json.

The folder layout and the manifest are the contract in docs/manifest.md. Both exports are
checked against PyTorch on the windows given (real spectrograms, ideally) before the manifest is
written, and the differences go into the manifest's ``training`` section, so a model folder
always says how faithful its files are.

OpenVINO's CPU plugin computes in bfloat16 by default on processors that support it (this
machine's AMD EPYC does), which alone moves logits by ~1e-2. The check therefore compiles with
``INFERENCE_PRECISION_HINT=f32``; a runtime that wants the same numbers must ask for it too.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import math
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import onnxruntime
import openvino
import timm
import torch

from .convert import fold_scaled_std_convs
from .frontend import FrontendConfig

__all__ = [
    "MANIFEST_SCHEMA",
    "FRONTEND_FIELDS",
    "INPUT_NAME",
    "OUTPUT_NAME",
    "frontend_input_shape",
    "export_model",
]

MANIFEST_SCHEMA = "aviary.model/1"
INPUT_NAME = "spectrogram"
OUTPUT_NAME = "logits"
ONNX_OPSET = 17
ONNX_FILE = "model.onnx"
OPENVINO_FILE = "model.xml"

# The manifest's front-end fields, in docs/manifest.md's order.
FRONTEND_FIELDS = tuple(f.name for f in dataclasses.fields(FrontendConfig))


def frontend_input_shape(frontend: dict) -> tuple[int, int]:
    """``(n_mels, n_frames)`` of the spectrogram that ``frontend`` (manifest fields) produces.

    Validates ``frontend`` with ``FrontendConfig.from_dict`` (``ValueError`` naming the field);
    the frame count is the one the TypeScript side computes (src/features/frontend-config.ts).
    """
    cfg = FrontendConfig.from_dict(frontend)
    return cfg.n_mels, cfg.n_frames()


def _check_arguments(labels: list[str], out_dir: Path, name: str, role: str, weight: float) -> None:
    if out_dir.name != name:
        raise ValueError(f"name {name!r} must equal the folder name {out_dir.name!r}")
    if role not in ("student", "teacher"):
        raise ValueError(f"role is {role!r}; it must be 'student' or 'teacher'")
    if (
        not labels
        or len(set(labels)) != len(labels)
        or not all(isinstance(x, str) and x for x in labels)
    ):
        raise ValueError("labels must be a non-empty list of distinct, non-empty names")
    if not (weight > 0 and math.isfinite(weight)):
        raise ValueError(f"weight is {weight}; it must be a finite number > 0")


def _export_onnx(model: torch.nn.Module, example: torch.Tensor, path: Path) -> None:
    # The TorchScript-based exporter (dynamo=False): one self-contained file, stable op set,
    # and dynamic_axes is all a dynamic batch needs. Its deprecation notices are expected.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        torch.onnx.export(
            model,
            (example,),
            str(path),
            dynamo=False,
            opset_version=ONNX_OPSET,
            input_names=[INPUT_NAME],
            output_names=[OUTPUT_NAME],
            dynamic_axes={INPUT_NAME: {0: "batch"}, OUTPUT_NAME: {0: "batch"}},
            do_constant_folding=True,
        )
    onnx.checker.check_model(onnx.load(str(path)))


def _run_onnx(path: Path, inputs: np.ndarray) -> np.ndarray:
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run([OUTPUT_NAME], {INPUT_NAME: inputs})[0]


def _run_openvino(path: Path, inputs: np.ndarray) -> np.ndarray:
    compiled = openvino.Core().compile_model(str(path), "CPU", {"INFERENCE_PRECISION_HINT": "f32"})
    if compiled.input(0).get_any_name() != INPUT_NAME:
        raise RuntimeError(f"OpenVINO input is named {compiled.input(0).get_any_name()!r}")
    return compiled(inputs)[compiled.output(0)]


def _max_abs(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64))))


def export_model(
    model: torch.nn.Module,
    frontend: dict,
    labels: list[str],
    out_dir: Path,
    name: str,
    role: str,
    architecture: str,
    weight: float = 1.0,
    training_info: dict | None = None,
    check_inputs: np.ndarray | None = None,
    compress_to_fp16: bool = True,
) -> dict[str, Any]:
    """Writes ``out_dir`` (= ``models/<name>/``) with model.onnx, model.xml/.bin, manifest.json.

    ``model`` maps ``[B, 1, n_mels, n_frames]`` to ``[B, len(labels)]`` logits; it is copied, not
    changed. ``frontend`` is the manifest's front-end object (snake_case fields). ``check_inputs``
    ``[B, 1, n_mels, n_frames]`` float32 are the windows both exports are compared on; without
    them a seeded standard-normal batch of 4 is used. ``compress_to_fp16`` stores the IR weights
    in float16 (the default for shipped models; the ONNX file is always float32).

    Returns the check results (also stored as ``training.export_check`` in the manifest):
    ``onnx_max_abs_diff``, ``openvino_max_abs_diff`` and ``fold_max_abs_diff`` (max abs logit
    difference from the unchanged PyTorch model), ``reference_max_abs_logit`` (their scale),
    ``check_windows``, ``check_inputs``, ``openvino_weights``, ``openvino_inference_precision``.
    """
    out_dir = Path(out_dir)
    _check_arguments(labels, out_dir, name, role, weight)
    n_mels, n_frames = frontend_input_shape(frontend)
    if check_inputs is None:
        check_source = "seeded standard normal"
        check_inputs = np.random.default_rng(0).standard_normal((4, 1, n_mels, n_frames))
    else:
        check_source = "given"
    check_inputs = np.ascontiguousarray(check_inputs, dtype=np.float32)
    if check_inputs.ndim != 4 or check_inputs.shape[1:] != (1, n_mels, n_frames):
        raise ValueError(
            f"check_inputs has shape {check_inputs.shape}; expected [B, 1, {n_mels}, {n_frames}]"
        )

    original = copy.deepcopy(model).cpu().float().eval()
    folded = fold_scaled_std_convs(copy.deepcopy(original)).eval()
    with torch.no_grad():
        reference = original(torch.from_numpy(check_inputs)).numpy()
        folded_out = folded(torch.from_numpy(check_inputs)).numpy()
    if reference.shape != (len(check_inputs), len(labels)):
        raise ValueError(
            f"model output has shape {reference.shape}; expected [B, {len(labels)}] for the labels"
        )

    out_dir.mkdir(parents=True, exist_ok=True)
    onnx_path, openvino_path = out_dir / ONNX_FILE, out_dir / OPENVINO_FILE
    # Trace with a batch of 2 so that no size-1 batch gets specialised into the graph.
    _export_onnx(folded, torch.from_numpy(check_inputs[:1]).repeat(2, 1, 1, 1), onnx_path)
    # Converted from the ONNX file so that both exports have the same graph and tensor names.
    ov_model = openvino.convert_model(str(onnx_path))
    openvino.save_model(ov_model, str(openvino_path), compress_to_fp16=compress_to_fp16)

    results: dict[str, Any] = {
        "check_inputs": check_source,
        "check_windows": int(len(check_inputs)),
        # The scale the differences below are to be read against.
        "reference_max_abs_logit": float(np.max(np.abs(reference))),
        "fold_max_abs_diff": _max_abs(folded_out, reference),
        "onnx_max_abs_diff": _max_abs(_run_onnx(onnx_path, check_inputs), reference),
        "openvino_max_abs_diff": _max_abs(_run_openvino(openvino_path, check_inputs), reference),
        "openvino_weights": "fp16" if compress_to_fp16 else "fp32",
        "openvino_inference_precision": "f32",
    }
    manifest = {
        "schema": MANIFEST_SCHEMA,
        "name": name,
        "role": role,
        "architecture": architecture,
        "files": {"openvino": OPENVINO_FILE, "onnx": ONNX_FILE},
        "input": {"name": INPUT_NAME, "shape": [-1, 1, n_mels, n_frames]},
        "output": {"name": OUTPUT_NAME, "kind": "logits"},
        "labels": list(labels),
        "weight": float(weight),
        "frontend": FrontendConfig.from_dict(frontend).to_dict(),
        "training": {
            **(training_info or {}),
            "export_check": results,
            "export_versions": {
                "torch": torch.__version__,
                "timm": timm.__version__,
                "onnx": onnx.__version__,
                "onnx_opset": ONNX_OPSET,
                "openvino": openvino.__version__,
            },
        },
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return results
