"""The committed front-end parity fixtures are what make_fixtures.py writes now, and consistent.

Regenerated values are compared with a tolerance of 2e-6 relative (+1e-6 absolute): the
committed numbers are rounded to 7 significant digits, and a different numpy/scipy build may
move a float64 result by a few ulps, enough to flip the last rounded digit.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
import torch

from aviary_train.frontend import FrontendConfig, MelFrontend, melspec_numpy

REPO = Path(__file__).resolve().parents[2]
FIXTURE_DIR = REPO / "test" / "fixtures" / "frontend"
RTOL, ATOL = 2e-6, 1e-6


def load_script():
    spec = importlib.util.spec_from_file_location(
        "make_fixtures", REPO / "train" / "scripts" / "make_fixtures.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_fixtures = load_script()
NAMES = [case[0] for case in make_fixtures.CASES]


def committed(name: str) -> dict:
    return json.loads((FIXTURE_DIR / f"{name}.json").read_text())


def test_the_fixture_folder_holds_exactly_the_generated_cases():
    assert sorted(p.stem for p in FIXTURE_DIR.glob("*.json")) == sorted(NAMES)
    total = sum(p.stat().st_size for p in FIXTURE_DIR.glob("*.json"))
    assert total < 1.5 * 2**20, f"fixtures take {total} bytes"


@pytest.mark.parametrize("name", NAMES)
def test_committed_fixture_is_what_make_fixtures_writes_now(name):
    case = next(c for c in make_fixtures.CASES if c[0] == name)
    fresh = make_fixtures.build_fixture(*case)
    if fresh is None:
        pytest.skip(f"real data not found at {make_fixtures.DATA_ROOT}")
    old = committed(name)
    assert sorted(old) == sorted(fresh)
    for key in ("name", "description", "config", "n_mels", "n_frames"):
        assert old[key] == fresh[key], key
    np.testing.assert_allclose(old["audio"], fresh["audio"], rtol=0, atol=1e-7)
    np.testing.assert_allclose(old["expected"], fresh["expected"], rtol=RTOL, atol=ATOL)
    if fresh["expected_db"] is None:
        assert old["expected_db"] is None
    else:
        np.testing.assert_allclose(old["expected_db"], fresh["expected_db"], rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("name", NAMES)
def test_fixture_expected_values_are_the_reference_on_its_stored_audio(name):
    # Holds without the real data too: the audio is in the fixture.
    fx = committed(name)
    cfg = FrontendConfig.from_dict(fx["config"])
    audio = np.array(fx["audio"], dtype=np.float64)
    assert len(audio) == cfg.input_samples()
    # Stored samples are float32 values in shortest decimal form: float32 round trip is exact.
    assert [float(str(v)) for v in audio.astype(np.float32)] == fx["audio"]
    want, want_db = melspec_numpy(audio, cfg, return_db=True)
    assert np.shape(fx["expected"]) == (fx["n_mels"], fx["n_frames"]) == want.shape
    np.testing.assert_allclose(fx["expected"], want, rtol=1e-6, atol=1e-9)
    if want_db is not None:
        np.testing.assert_allclose(fx["expected_db"], want_db, rtol=1e-6, atol=1e-9)
    # The training front-end must land on the fixture too (1e-3 dB contract; 1e-4 normalised).
    out = MelFrontend(cfg)(torch.from_numpy(audio.astype(np.float32))[None]).numpy()[0, 0]
    if cfg.normalize != "none":
        limit = 1e-4
    else:
        limit = 1e-3 if cfg.to_db else 1e-5 * np.abs(want).max()
    assert np.abs(out - np.array(fx["expected"])).max() <= limit
