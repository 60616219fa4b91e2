/**
 * Bench line 4: runs bench/python_reference.py with the venv's interpreter on the same recordings,
 * models and thread budget, and reads back the JSON it writes. A missing venv or a failing
 * script gives a reason, not an exception: the other lines of the bench still stand.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ModelManifest } from '../models/manifest.js';
import { packageRoot } from '../package-info.js';

const run = promisify(execFile);

export interface PythonResult {
  python: string;
  openvino: string;
  threads: number;
  importSec: number;
  compileSec: number;
  runSec: number;
  /** compile + run: the part comparable to the pipeline's wall time. */
  wallSec: number;
  /** Process CPU seconds (all threads) over compile + run. */
  cpuSec: number;
  audioSec: number;
  windows: number;
  stageSec: Record<string, number>;
}

export type PythonOutcome = { ok: true; result: PythonResult } | { ok: false; reason: string };

export function pythonPath(): string {
  return path.join(
    packageRoot(),
    '.venv',
    process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python',
  );
}

export async function runPythonReference(
  files: string[],
  models: ModelManifest[],
  opts: {
    threads: number;
    batchSize: number;
    windowSec: number;
    hopSec: number;
    timeoutSec: number;
  },
): Promise<PythonOutcome> {
  const python = pythonPath();
  const script = path.join(packageRoot(), 'bench', 'python_reference.py');
  if (!existsSync(python))
    return { ok: false, reason: `no Python venv at ${python} (run make train-setup)` };
  if (models.some((m) => !m.files.openvino))
    return { ok: false, reason: 'a model has no OpenVINO IR, which the reference runs' };
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'aviary-bench-py-'));
  try {
    const spec = path.join(scratch, 'spec.json');
    const out = path.join(scratch, 'result.json');
    await writeFile(
      spec,
      JSON.stringify({
        files,
        models: models.map((m) => m.dir),
        threads: opts.threads,
        batch_size: opts.batchSize,
        window_sec: opts.windowSec,
        hop_sec: opts.hopSec,
      }),
    );
    try {
      await run(python, [script, '--spec', spec, '--out', out], {
        timeout: opts.timeoutSec * 1000,
        maxBuffer: 1 << 24,
      });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      const last = (e.stderr ?? '').trim().split('\n').slice(-1)[0];
      return { ok: false, reason: `python_reference.py failed: ${last || e.message}` };
    }
    const raw = JSON.parse(await readFile(out, 'utf8'));
    return {
      ok: true,
      result: {
        python: raw.python,
        openvino: raw.openvino,
        threads: raw.threads,
        importSec: raw.import_sec,
        compileSec: raw.compile_sec,
        runSec: raw.run_sec,
        wallSec: raw.wall_sec,
        cpuSec: raw.cpu_sec,
        audioSec: raw.audio_sec,
        windows: raw.windows,
        stageSec: raw.stage_sec,
      },
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
