"""The committed tiny models (test/fixtures/tiny-model, from train/scripts/make_tiny_model.py)
are what the TypeScript backend tests rely on; these checks keep files and recorded logits in
step."""

import json
from pathlib import Path

import numpy as np
import onnxruntime
import openvino
import pytest

from aviary_train.export import frontend_input_shape

FIXTURE = Path(__file__).resolve().parents[2] / "test" / "fixtures" / "tiny-model"
TOLERANCE = 1e-4  # float32 runtimes against the recorded PyTorch logits


@pytest.fixture(scope="module")
def io():
    return json.loads((FIXTURE / "tiny_b0_io.json").read_text())


@pytest.mark.parametrize("name", ["tiny_b0", "tiny_b0_b"])
def test_a_committed_tiny_model_reproduces_its_recorded_logits_in_both_runtimes(io, name):
    manifest = json.loads((FIXTURE / name / "manifest.json").read_text())
    n_mels, n_frames = frontend_input_shape(manifest["frontend"])
    assert manifest["input"]["shape"] == [-1, 1, n_mels, n_frames] == [-1, 1, 32, 161]
    assert io["shape"] == [2, 1, 32, 161]
    x = np.asarray(io["input"], dtype=np.float32).reshape(io["shape"])
    expected = np.asarray(io["models"][name]["logits"], dtype=np.float32)
    assert io["models"][name]["labels"] == manifest["labels"]
    assert np.abs(expected).max() > 1.0

    session = onnxruntime.InferenceSession(str(FIXTURE / name / "model.onnx"))
    onnx_logits = session.run(["logits"], {"spectrogram": x})[0]
    core = openvino.Core()
    compiled = core.compile_model(
        str(FIXTURE / name / "model.xml"), "CPU", {"INFERENCE_PRECISION_HINT": "f32"}
    )
    openvino_logits = compiled(x)[compiled.output(0)]
    assert np.abs(onnx_logits - expected).max() <= TOLERANCE
    assert np.abs(openvino_logits - expected).max() <= TOLERANCE
    assert np.abs(openvino_logits - onnx_logits).max() <= TOLERANCE


def test_the_second_tiny_model_scores_each_label_like_the_first(io):
    first, second = io["models"]["tiny_b0"], io["models"]["tiny_b0_b"]
    assert sorted(first["labels"]) == sorted(second["labels"])
    assert first["labels"] != second["labels"]
    for k, label in enumerate(second["labels"]):
        j = first["labels"].index(label)
        assert np.array(second["logits"])[:, k] == pytest.approx(np.array(first["logits"])[:, j])
    # Aligned by position instead of name, the two disagree.
    assert not np.allclose(first["logits"], second["logits"], atol=0.1)
