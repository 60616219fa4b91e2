/**
 * Bench lines 2 and 5, "model-only": the pipeline's windows through the same models with the
 * spectrograms already computed. It uses the pipeline's own thread layout — `workers` worker
 * threads, each with its own compiled copy of every model at `threadsPerWorker` inference
 * threads, one recording at a time per worker, recordings handed out in the pipeline's order —
 * so the only work it leaves out is decoding, resampling and spectrograms. Its wall time runs
 * from creating the workers to the last result, compilation included, as the pipeline's does.
 */
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { AviaryError } from '../errors.js';
import type { BackendChoice } from '../inference/backend.js';
import type { ModelManifest } from '../models/manifest.js';
import type { PrecomputedFile } from './frontend-stage.js';
import type { ModelOnlyInit, ModelOnlyReply } from './model-only-protocol.js';

export interface ModelOnlyOptions {
  models: ModelManifest[];
  backend: BackendChoice;
  workers: number;
  threadsPerWorker: number;
  batchSize: number;
}

export interface ModelOnlyResult {
  /** The backend the sessions actually opened (openvino-c, openvino-node, onnxruntime). */
  backend: string;
  wallSec: number;
  /**
   * Until the first worker had compiled its models and could start. With small models one worker
   * may finish every recording before the others are ready, so "all ready" is not always seen.
   */
  startupSec: number;
  windows: number;
  /** Worker seconds of inference per model, summed over recordings. */
  inferenceSec: Record<string, number>;
}

const WORKER_URL = new URL('./model-only-worker.js', import.meta.url);

/** `order[k]` is the index in `files` of the k-th recording the pipeline scored. */
export async function runModelOnly(
  files: PrecomputedFile[],
  order: number[],
  opts: ModelOnlyOptions,
): Promise<ModelOnlyResult> {
  const started = performance.now();
  const init: ModelOnlyInit = {
    models: opts.models,
    backend: opts.backend,
    threadsPerWorker: opts.threadsPerWorker,
    batchSize: opts.batchSize,
    files: files.map((f) => ({ nWindows: f.nWindows, images: f.images })),
  };
  const workers = Array.from(
    { length: opts.workers },
    () => new Worker(WORKER_URL, { workerData: init }),
  );
  const inferenceSec: Record<string, number> = {};
  let backend = 'none';
  let startupSec = NaN;
  let next = 0;
  let finished = 0;
  let wallSec = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (why: string) =>
        reject(new AviaryError('E_INFERENCE', `model-only bench worker: ${why}`));
      const dispatch = (w: Worker) => {
        if (next < order.length) {
          w.postMessage({ taskIndex: next, fileIndex: order[next] });
          next++;
        }
      };
      for (const w of workers) {
        w.on('error', (err) => fail(err.message));
        w.on('exit', (code) => {
          if (finished < order.length) fail(`exited with code ${code} before the run ended`);
        });
        w.on('message', (msg: ModelOnlyReply) => {
          if (msg.type === 'failed') return fail(msg.message);
          if (msg.type === 'ready') {
            backend = msg.backend;
            if (Number.isNaN(startupSec)) startupSec = (performance.now() - started) / 1000;
            return dispatch(w);
          }
          for (const [name, ms] of Object.entries(msg.inferenceMs))
            inferenceSec[name] = (inferenceSec[name] ?? 0) + ms / 1000;
          finished++;
          if (finished === order.length) resolve();
          else dispatch(w);
        });
      }
      if (order.length === 0) resolve();
    });
    wallSec = (performance.now() - started) / 1000;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return {
    backend,
    wallSec,
    startupSec,
    windows: order.reduce((sum, i) => sum + files[i].nWindows, 0),
    inferenceSec,
  };
}
