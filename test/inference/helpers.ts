import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadManifest, type ModelManifest } from '../../src/models/manifest.js';
import { locateOpenVinoC } from '../../src/inference/locate-openvino.js';

/** Logit tolerance against PyTorch for the FP32 IR and the ONNX file (the brief's bound). */
export const LOGIT_TOLERANCE = 1e-4;
/** Batched and one-at-a-time runs may pick different kernels; rows must still agree this well. */
export const BATCH_TOLERANCE = 1e-5;

// Compiled tests live in dist/test/inference/; the fixtures stay in the source tree.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const fixtureDir = path.join(repoRoot, 'test', 'fixtures', 'tiny-model');
export const tinyModelDir = path.join(fixtureDir, 'tiny_b0');

export interface TinyIo {
  batchSize: number;
  /** [batchSize, 1, nMels, nFrames] row-major. */
  inputs: Float32Array;
  /** [batchSize, nClasses] row-major, from PyTorch in float32. */
  logits: Float64Array;
}

/** Null (with the reason) when the fixture written by train/scripts/make_tiny_model.py is absent. */
export function tinyModelMissing(): string | null {
  if (
    existsSync(path.join(tinyModelDir, 'manifest.json')) &&
    existsSync(path.join(fixtureDir, 'tiny_b0_io.json'))
  )
    return null;
  return `tiny model fixture not found in ${fixtureDir}; run train/scripts/make_tiny_model.py`;
}

export function loadTinyModel(): Promise<ModelManifest> {
  return loadManifest(tinyModelDir);
}

/** Flattens nested number arrays (the JSON keeps PyTorch's nesting). */
function flat(value: unknown): number[] {
  return Array.isArray(value) ? value.flatMap(flat) : [value as number];
}

/**
 * The fixture's inputs and the PyTorch logits of `manifest`'s model on them, checked against
 * the manifest's shapes. The file (make_tiny_model.py) holds one flat `input` and, per model
 * name, its `labels` and nested `logits`.
 */
export function loadTinyIo(manifest: ModelManifest): TinyIo {
  const file = path.join(fixtureDir, 'tiny_b0_io.json');
  const raw = JSON.parse(readFileSync(file, 'utf8')) as {
    input: number[];
    models: Record<string, { labels: string[]; logits: number[][] }>;
  };
  const expected = raw.models?.[manifest.name];
  if (!expected) throw new Error(`${file} has no logits for ${manifest.name}`);
  if (expected.labels.join() !== manifest.labels.join()) {
    throw new Error(`${file}: labels of ${manifest.name} differ from its manifest`);
  }
  const inputs = Float32Array.from(raw.input);
  const logits = Float64Array.from(flat(expected.logits));
  const [, channels, nMels, nFrames] = manifest.input.shape;
  const batchSize = inputs.length / (channels * nMels * nFrames);
  if (!Number.isInteger(batchSize) || logits.length !== batchSize * manifest.labels.length) {
    throw new Error(
      `${file}: ${inputs.length} inputs and ${logits.length} logits do not fit the manifest`,
    );
  }
  return { batchSize, inputs, logits };
}

/** Null when the OpenVINO C library can be found, else why not and how to get it. */
export async function openVinoCMissing(): Promise<string | null> {
  const location = await locateOpenVinoC();
  return location.libraryPath
    ? null
    : `libopenvino_c not found (${location.searched.join(', ')}); run \`make train-setup\``;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

export function sigmoid(x: ArrayLike<number>): Float64Array {
  return Float64Array.from(x, (v) => 1 / (1 + Math.exp(-v)));
}

/** Deterministic values in [0, 1), like a min-max normalised spectrogram (a small LCG). */
export function spectrogramBatch(batchSize: number, sampleSize: number, seed = 7): Float32Array {
  const out = new Float32Array(batchSize * sampleSize);
  let s = seed >>> 0;
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32;
  }
  return out;
}
