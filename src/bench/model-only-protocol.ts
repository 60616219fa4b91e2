/** Messages between the bench's main thread and its model-only workers (structured-cloned). */
import type { BackendChoice } from '../inference/backend.js';
import type { ModelManifest } from '../models/manifest.js';

export interface ModelOnlyInit {
  models: ModelManifest[];
  backend: BackendChoice;
  threadsPerWorker: number;
  batchSize: number;
  /** Per recording: its window count and inputs per front-end key (SharedArrayBuffer-backed). */
  files: { nWindows: number; images: Record<string, Float32Array> }[];
}

export interface ModelOnlyTask {
  taskIndex: number;
  fileIndex: number;
}

export type ModelOnlyReply =
  | { type: 'ready'; backend: string; compileMs: number }
  | { type: 'done'; taskIndex: number; inferenceMs: Record<string, number> }
  | { type: 'failed'; message: string };
