/**
 * Worker thread: scores one recording with every active model and returns the raw model outputs
 * per window. Each worker compiles its models once, on its first task, and keeps them.
 *
 * Runs inside a piscina worker; everything it receives and returns is structured-cloned.
 */
import { performance } from 'node:perf_hooks';
import { workerData } from 'node:worker_threads';
import { decodeAudioFile } from '../audio/decode.js';
import { mixToMono } from '../audio/mixdown.js';
import { resample } from '../audio/resample.js';
import { extractWindow, planWindows } from '../audio/windows.js';
import { frontendKey, inputSamples } from '../features/frontend-config.js';
import { MelSpectrogram } from '../features/melspec.js';
import { InferenceSession, openSession } from '../inference/backend.js';
import { AviaryError } from '../errors.js';
import type { ScoreOutcome, ScoreResult, ScoreTask, WorkerInit } from '../pool/protocol.js';

const init = workerData as WorkerInit;
const sessions = new Map<string, Promise<InferenceSession>>();
const spectrograms = new Map<string, MelSpectrogram>();

function sessionFor(name: string): Promise<InferenceSession> {
  let session = sessions.get(name);
  if (!session) {
    const manifest = init.models.find((m) => m.name === name);
    if (!manifest) throw new Error(`worker has no model named ${name}`);
    session = openSession(manifest, { backend: init.backend, threads: init.threadsPerWorker });
    sessions.set(name, session);
  }
  return session;
}

function spectrogramFor(key: string, name: string): MelSpectrogram {
  let spec = spectrograms.get(key);
  if (!spec) {
    spec = new MelSpectrogram(init.models.find((m) => m.name === name)!.frontend);
    spectrograms.set(key, spec);
  }
  return spec;
}

/** Test hook: lets fault-tolerance tests make a worker crash or hang on a chosen file. */
function faultInjection(file: string): void {
  const crashOn = process.env.AVIARY_TEST_CRASH_ON;
  if (crashOn && file.endsWith(crashOn)) process.exit(70);
  const hangOn = process.env.AVIARY_TEST_HANG_ON;
  if (hangOn && file.endsWith(hangOn)) {
    const until = Date.now() + 3_600_000;
    while (Date.now() < until) {
      // deliberately busy: a decoder stuck in a loop never yields either
    }
  }
}

/**
 * Piscina's entry point. A file that cannot be scored (bad audio, a model error) comes back as an
 * outcome, not a throw, so the main thread can tell it from a crashed or hung worker.
 */
export default async function run(task: ScoreTask): Promise<ScoreOutcome> {
  faultInjection(task.file);
  try {
    return { ok: true, result: await scoreFile(task) };
  } catch (err) {
    const code = err instanceof AviaryError ? err.code : 'E_INFERENCE';
    const message = err instanceof AviaryError ? err.describe() : (err as Error)?.message ?? String(err);
    return { ok: false, code, message };
  }
}

async function scoreFile(task: ScoreTask): Promise<ScoreResult> {
  const timings = { decodeMs: 0, resampleMs: 0, spectrogramMs: 0, inferenceMs: {} as Record<string, number> };
  let t0 = performance.now();
  const decoded = await decodeAudioFile(task.file);
  const { samples, nonFinite } = mixToMono(decoded.channels);
  timings.decodeMs = performance.now() - t0;

  const plan = planWindows(samples.length, decoded.sampleRateHz, {
    windowSec: init.windowSec,
    hopSec: init.hopSec,
  });
  const outputs: Record<string, Float32Array> = {};
  const active = init.models.filter((m) => task.models.includes(m.name));

  // Group the active models by sample rate, then by front-end, so that each distinct
  // resampling and each distinct spectrogram is computed once per window.
  const byRate = new Map<number, typeof active>();
  for (const m of active) {
    const rate = m.frontend.sampleRateHz;
    byRate.set(rate, [...(byRate.get(rate) ?? []), m]);
  }
  for (const [rate, models] of byRate) {
    t0 = performance.now();
    const audio = await resample(samples, decoded.sampleRateHz, rate);
    timings.resampleMs += performance.now() - t0;

    const byFrontend = new Map<string, typeof models>();
    for (const m of models) {
      const key = frontendKey(m.frontend);
      byFrontend.set(key, [...(byFrontend.get(key) ?? []), m]);
    }
    for (const [key, group] of byFrontend) {
      const cfg = group[0].frontend;
      const spec = spectrogramFor(key, group[0].name);
      const nInput = inputSamples(cfg);
      const context = Math.round(cfg.contextSec * rate);
      const imageSize = spec.nMels * spec.nFrames(nInput);
      const groupSessions = await Promise.all(group.map((m) => sessionFor(m.name)));
      for (const [i, m] of group.entries()) {
        outputs[m.name] = new Float32Array(plan.length * groupSessions[i].nClasses);
      }
      for (let start = 0; start < plan.length; start += init.batchSize) {
        const windows = plan.slice(start, start + init.batchSize);
        t0 = performance.now();
        const batch = new Float32Array(windows.length * imageSize);
        for (const [j, w] of windows.entries()) {
          const first = Math.round((w.startSample / decoded.sampleRateHz) * rate);
          const excerpt = extractWindow(audio, first, nInput - 2 * context, context);
          spec.compute(excerpt, batch.subarray(j * imageSize, (j + 1) * imageSize));
        }
        timings.spectrogramMs += performance.now() - t0;
        for (const [i, m] of group.entries()) {
          t0 = performance.now();
          const out = await groupSessions[i].run(batch, windows.length);
          timings.inferenceMs[m.name] = (timings.inferenceMs[m.name] ?? 0) + performance.now() - t0;
          outputs[m.name].set(out, start * groupSessions[i].nClasses);
        }
      }
    }
  }
  const warnings = [...decoded.warnings];
  if (nonFinite > 0) warnings.push(`${nonFinite} non-finite samples set to 0`);
  return {
    file: task.file,
    durationSec: samples.length / decoded.sampleRateHz,
    sampleRateHz: decoded.sampleRateHz,
    format: decoded.format,
    endSeconds: plan.map((w) => w.endSecond),
    outputs,
    timings,
    warnings,
  };
}
