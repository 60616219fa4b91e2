"""The Python reference for ``aviary bench``: the usual notebook pipeline on the same recordings
and models, in one process, one recording after another.

soundfile decodes, the channels are averaged, ``scipy.signal.resample_poly`` converts the rate,
``aviary_train.frontend.melspec_numpy`` computes each window's spectrogram (docs/manifest.md),
and OpenVINO's Python API runs the models in batches of windows. One spectrogram per distinct
front-end, one resampling per distinct rate, as the TypeScript pipeline does. The thread
budget (``--threads``) goes to OpenVINO's inference threads and to the BLAS / OpenMP pools.

Usage: python bench/python_reference.py --spec spec.json --out result.json
spec: {"files": [...], "models": [model dirs], "threads": n, "batch_size": n,
       "window_sec": 5, "hop_sec": 5}
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path


def _set_thread_budget(threads: int) -> None:
    # Must happen before numpy is imported, or its BLAS pool is already sized to every core.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(threads)


def _windows(n_samples: int, rate: int, window_sec: int, hop_sec: int) -> list[int]:
    """Start samples of the scored windows (docs/manifest.md, Windows and edges)."""
    if n_samples <= 0:
        return []
    win, hop = window_sec * rate, hop_sec * rate
    count = max(1, math.ceil((n_samples - win) / hop) + 1)
    return [i * hop for i in range(count)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    spec = json.loads(Path(args.spec).read_text())
    threads = int(spec["threads"])
    _set_thread_budget(threads)

    t_import = time.perf_counter()
    import numpy as np
    import openvino as ov
    import soundfile as sf
    from scipy.signal import resample_poly

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "train"))
    from aviary_train.frontend import FrontendConfig, melspec_numpy

    import_sec = time.perf_counter() - t_import

    cpu_start = time.process_time()
    t_compile = time.perf_counter()
    core = ov.Core()
    models = []
    for model_dir in spec["models"]:
        manifest = json.loads((Path(model_dir) / "manifest.json").read_text())
        cfg = FrontendConfig.from_dict(manifest["frontend"])
        compiled = core.compile_model(
            str(Path(model_dir) / manifest["files"]["openvino"]),
            "CPU",
            {
                "INFERENCE_PRECISION_HINT": "f32",
                "INFERENCE_NUM_THREADS": threads,
                "PERFORMANCE_HINT": "LATENCY",
            },
        )
        key = json.dumps(manifest["frontend"], sort_keys=True)
        models.append({"name": manifest["name"], "cfg": cfg, "key": key, "request": compiled.create_infer_request()})
    compile_sec = time.perf_counter() - t_compile

    stage = {"decode": 0.0, "resample": 0.0, "spectrogram": 0.0, "inference": 0.0}
    window_sec, hop_sec, batch_size = spec["window_sec"], spec["hop_sec"], int(spec["batch_size"])
    audio_sec = 0.0
    windows_per_file = []
    checksum = 0.0
    t_run = time.perf_counter()
    for path in spec["files"]:
        t0 = time.perf_counter()
        data, file_rate = sf.read(path, dtype="float32", always_2d=True)
        mono = data.mean(axis=1)
        stage["decode"] += time.perf_counter() - t0
        audio_sec += len(mono) / file_rate
        starts = _windows(len(mono), file_rate, window_sec, hop_sec)
        windows_per_file.append(len(starts))
        by_rate: dict[int, np.ndarray] = {}
        images: dict[str, np.ndarray] = {}
        for m in models:
            cfg = m["cfg"]
            if cfg.sample_rate not in by_rate:
                t0 = time.perf_counter()
                g = math.gcd(cfg.sample_rate, file_rate)
                up, down = cfg.sample_rate // g, file_rate // g
                by_rate[cfg.sample_rate] = mono if up == down else resample_poly(mono, up, down).astype(np.float32)
                stage["resample"] += time.perf_counter() - t0
            if m["key"] not in images:
                t0 = time.perf_counter()
                audio = by_rate[cfg.sample_rate]
                n_input = cfg.input_samples()
                context = int(math.floor(cfg.context_sec * cfg.sample_rate + 0.5))
                padded = np.zeros(len(audio) + n_input + 2 * context, dtype=np.float32)
                padded[context : context + len(audio)] = audio
                stack = []
                for s in starts:
                    first = int(math.floor(s / file_rate * cfg.sample_rate + 0.5))
                    stack.append(melspec_numpy(padded[first : first + n_input], cfg))
                images[m["key"]] = np.stack(stack).astype(np.float32)[:, None]
                stage["spectrogram"] += time.perf_counter() - t0
            t0 = time.perf_counter()
            batch_all = images[m["key"]]
            for b in range(0, len(batch_all), batch_size):
                out = m["request"].infer({0: batch_all[b : b + batch_size]})
                checksum += float(np.asarray(next(iter(out.values()))).sum())
            stage["inference"] += time.perf_counter() - t0
    run_sec = time.perf_counter() - t_run
    cpu_sec = time.process_time() - cpu_start

    result = {
        "python": sys.version.split()[0],
        "openvino": ov.get_version(),
        "numpy": np.__version__,
        "threads": threads,
        "import_sec": import_sec,
        "compile_sec": compile_sec,
        "run_sec": run_sec,
        "wall_sec": compile_sec + run_sec,
        "cpu_sec": cpu_sec,
        "audio_sec": audio_sec,
        "windows": sum(windows_per_file),
        "windows_per_file": windows_per_file,
        "stage_sec": stage,
        "logit_sum": checksum,
    }
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
