/** The messages between the main thread and the scoring workers (structured-cloned). */
import type { BackendChoice } from '../inference/backend.js';
import type { ModelManifest } from '../models/manifest.js';

/** Given to every worker once, as piscina's workerData. */
export interface WorkerInit {
  models: ModelManifest[];
  backend: BackendChoice;
  threadsPerWorker: number;
  batchSize: number;
  windowSec: number;
  hopSec: number;
}

/** One recording to score with the named models. */
export interface ScoreTask {
  file: string;
  models: string[];
}

export interface StageTimings {
  decodeMs: number;
  resampleMs: number;
  spectrogramMs: number;
  /** Per model name. */
  inferenceMs: Record<string, number>;
}

export interface ScoreResult {
  file: string;
  durationSec: number;
  sampleRateHz: number;
  format: string;
  /** End second of each window, in order: the row ids' suffixes. */
  endSeconds: number[];
  /** Raw model outputs per model name, [nWindows, nModelClasses] row-major. */
  outputs: Record<string, Float32Array>;
  timings: StageTimings;
  warnings: string[];
}

/** What a worker sends back: a result, or why this file could not be scored. */
export type ScoreOutcome =
  | { ok: true; result: ScoreResult }
  | { ok: false; code: string; message: string };
