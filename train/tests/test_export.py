import json

import numpy as np
import onnx
import onnxruntime
import openvino
import pytest
import torch
from model_inputs import TINY_NFNET, model_inputs, spread_gains, widen_classifier

from aviary_train.convert import count_scaled_std_convs
from aviary_train.export import FRONTEND_FIELDS, export_model, frontend_input_shape
from aviary_train.models import create_model
from aviary_train.recipes import FRONTEND_A, FRONTEND_B

ONNX_TOLERANCE = 1e-4  # float32 graph: max abs logit difference from PyTorch
OPENVINO_FP32_TOLERANCE = 1e-4
OPENVINO_FP16_TOLERANCE = 1e-2  # weights rounded to float16, computed in float32

# 1 s at 16 kHz, centred 512-point frames every 256 samples: 1 + 16000 // 256 = 63 frames.
SMALL_FRONTEND = {
    **FRONTEND_A,
    "sample_rate": 16000,
    "window_sec": 1.0,
    "n_fft": 512,
    "win_length": 512,
    "hop_length": 256,
    "n_mels": 32,
    "f_min": 0.0,
    "f_max": 8000.0,
}
LABELS = ["barn_owl", "bullfinch", "chiffchaff", "wren", "robin"]


def _torch_logits(model, x):
    with torch.no_grad():
        return model.eval()(torch.from_numpy(x)).numpy()


def _onnx_logits(path, x):
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(["logits"], {"spectrogram": x})[0]


def _openvino_logits(path, x):
    compiled = openvino.Core().compile_model(str(path), "CPU", {"INFERENCE_PRECISION_HINT": "f32"})
    return compiled(x)[compiled.output(0)]


def _max_abs(a, b):
    return float(np.max(np.abs(a - b)))


def test_frontend_input_shape_matches_hand_computed_frame_counts():
    # 160000 samples + 2 * 512 centre padding: 1 + (161024 - 1024) // 640 = 251.
    assert frontend_input_shape(FRONTEND_A) == (64, 251)
    # 160000 + 2 * 1024: 1 + 160000 // 800 = 201.
    assert frontend_input_shape(FRONTEND_B) == (96, 201)
    assert frontend_input_shape(SMALL_FRONTEND) == (32, 63)
    # No centring: 1 + (16000 - 400) // 160 = 98.
    uncentred = {
        **SMALL_FRONTEND,
        "center": False,
        "n_fft": 400,
        "win_length": 400,
        "hop_length": 160,
    }
    assert frontend_input_shape(uncentred) == (32, 98)
    # 0.5 s of context on each side: 6 s = 192000 samples, 1 + 192000 // 640 = 301.
    assert frontend_input_shape({**FRONTEND_A, "context_sec": 0.5}) == (64, 301)


def test_an_efficientnet_exports_to_onnx_and_fp16_openvino_that_match_pytorch(tmp_path):
    torch.manual_seed(0)
    model = create_model("efficientnet_b0", len(LABELS)).eval()
    check = model_inputs(4, 32, 63)
    widen_classifier(model, torch.from_numpy(check))
    out_dir = tmp_path / "student_b0_test"
    results = export_model(
        model, SMALL_FRONTEND, LABELS, out_dir, "student_b0_test", "student", "efficientnet_b0",
        weight=0.5, training_info={"epochs": 3}, check_inputs=check,
    )  # fmt: skip
    assert results["onnx_max_abs_diff"] <= ONNX_TOLERANCE
    assert results["openvino_max_abs_diff"] <= OPENVINO_FP16_TOLERANCE
    assert results["reference_max_abs_logit"] == pytest.approx(3.0, rel=1e-4)

    # Checked again here on other windows and a batch size the export never saw.
    fresh = model_inputs(3, 32, 63, seed=7)
    expected = _torch_logits(model, fresh)
    assert _max_abs(_onnx_logits(out_dir / "model.onnx", fresh), expected) <= ONNX_TOLERANCE
    assert (
        _max_abs(_openvino_logits(out_dir / "model.xml", fresh), expected)
        <= OPENVINO_FP16_TOLERANCE
    )

    graph = onnx.load(str(out_dir / "model.onnx"))
    assert max(o.version for o in graph.opset_import if o.domain in ("", "ai.onnx")) >= 17
    [graph_input] = graph.graph.input
    assert graph_input.name == "spectrogram"
    dims = graph_input.type.tensor_type.shape.dim
    assert dims[0].dim_param != "" and [d.dim_value for d in dims[1:]] == [1, 32, 63]
    assert [o.name for o in graph.graph.output] == ["logits"]

    manifest = json.loads((out_dir / "manifest.json").read_text())
    assert manifest["schema"] == "aviary.model/1"
    assert manifest["name"] == out_dir.name
    assert (manifest["role"], manifest["architecture"]) == ("student", "efficientnet_b0")
    assert manifest["files"] == {"openvino": "model.xml", "onnx": "model.onnx"}
    assert (out_dir / "model.bin").is_file() and (out_dir / "model.xml").is_file()
    assert manifest["input"] == {"name": "spectrogram", "shape": [-1, 1, 32, 63]}
    assert manifest["output"] == {"name": "logits", "kind": "logits"}
    assert manifest["labels"] == LABELS
    assert manifest["weight"] == 0.5
    assert manifest["frontend"] == {k: SMALL_FRONTEND[k] for k in FRONTEND_FIELDS}
    assert manifest["training"]["epochs"] == 3
    assert manifest["training"]["export_check"] == results
    assert manifest["training"]["export_check"]["openvino_weights"] == "fp16"


def test_an_nfnet_is_folded_on_export_and_its_fp32_openvino_matches_pytorch(tmp_path):
    torch.manual_seed(1)
    model = create_model("eca_nfnet_l0", len(LABELS), **TINY_NFNET).eval()
    spread_gains(model, seed=1)
    check = model_inputs(4, 32, 63, seed=1)
    widen_classifier(model, torch.from_numpy(check), seed=1)
    out_dir = tmp_path / "teacher_test"
    results = export_model(
        model, SMALL_FRONTEND, LABELS, out_dir, "teacher_test", "teacher", "eca_nfnet_l0",
        check_inputs=check, compress_to_fp16=False,
    )  # fmt: skip
    assert results["openvino_weights"] == "fp32"
    assert results["fold_max_abs_diff"] <= ONNX_TOLERANCE
    assert results["onnx_max_abs_diff"] <= ONNX_TOLERANCE
    assert results["openvino_max_abs_diff"] <= OPENVINO_FP32_TOLERANCE
    # The caller's model is copied, not folded in place.
    assert count_scaled_std_convs(model) > 0

    fresh = model_inputs(2, 32, 63, seed=8)
    expected = _torch_logits(model, fresh)
    assert _max_abs(_onnx_logits(out_dir / "model.onnx", fresh), expected) <= ONNX_TOLERANCE
    assert (
        _max_abs(_openvino_logits(out_dir / "model.xml", fresh), expected)
        <= OPENVINO_FP32_TOLERANCE
    )
    # Folded convolutions leave no per-call weight standardisation in the graph.
    ops = {node.op_type for node in onnx.load(str(out_dir / "model.onnx")).graph.node}
    assert "BatchNormalization" not in ops and "Conv" in ops
    assert json.loads((out_dir / "manifest.json").read_text())["role"] == "teacher"


def test_export_refuses_arguments_that_would_break_the_manifest(tmp_path):
    model = create_model("efficientnet_b0", 3, channel_multiplier=0.25, depth_multiplier=0.25)
    args = dict(frontend=SMALL_FRONTEND, role="student", architecture="efficientnet_b0")
    with pytest.raises(ValueError, match="folder name"):
        export_model(model, labels=["a", "b", "c"], out_dir=tmp_path / "x", name="y", **args)
    with pytest.raises(ValueError, match="shape \\(4, 3\\); expected \\[B, 2\\]"):
        export_model(model, labels=["a", "b"], out_dir=tmp_path / "x", name="x", **args)
    with pytest.raises(ValueError, match="distinct"):
        export_model(model, labels=["a", "a", "c"], out_dir=tmp_path / "x", name="x", **args)
    with pytest.raises(ValueError, match="check_inputs has shape"):
        export_model(
            model, labels=["a", "b", "c"], out_dir=tmp_path / "x", name="x",
            check_inputs=np.zeros((2, 1, 32, 64), np.float32), **args,
        )  # fmt: skip
    with pytest.raises(ValueError, match="lacks n_mels"):
        bad = {k: v for k, v in SMALL_FRONTEND.items() if k != "n_mels"}
        export_model(
            model,
            labels=["a", "b", "c"],
            out_dir=tmp_path / "x",
            name="x",
            **{**args, "frontend": bad},
        )
    assert not (tmp_path / "x").exists()
