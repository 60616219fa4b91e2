import * as ort from 'onnxruntime-node';
import { createRequire } from 'node:module';
import { AviaryError } from '../errors.js';
import type { ModelManifest } from '../models/manifest.js';
import type { InferenceSession } from './backend.js';

/** Version and install folder of onnxruntime-node, for probeBackends. */
export function onnxRuntimeInfo(): { version: string; location: string } {
  const require = createRequire(import.meta.url);
  let location = 'onnxruntime-node';
  try {
    location = require.resolve('onnxruntime-node/package.json').replace(/[\\/]package\.json$/, '');
  } catch {
    // Resolution only feeds a message; the import above already succeeded.
  }
  return { version: ort.env.versions.node ?? ort.env.versions.common, location };
}

class OnnxRuntimeSession implements InferenceSession {
  readonly backend = 'onnxruntime' as const;
  readonly device = 'CPU';
  readonly nClasses: number;
  readonly #session: ort.InferenceSession;
  readonly #inputName: string;
  readonly #outputName: string;
  readonly #inputDims: [number, number, number];
  #closed = false;

  constructor(session: ort.InferenceSession, manifest: ModelManifest, outputName: string) {
    this.#session = session;
    this.nClasses = manifest.labels.length;
    this.#inputName = manifest.input.name;
    this.#outputName = outputName;
    const [, channels, nMels, nFrames] = manifest.input.shape;
    this.#inputDims = [channels, nMels, nFrames];
  }

  async run(batch: Float32Array, batchSize: number): Promise<Float32Array> {
    if (this.#closed)
      throw new AviaryError('E_INFERENCE', 'run() on a closed ONNX Runtime session');
    const sampleSize = this.#inputDims[0] * this.#inputDims[1] * this.#inputDims[2];
    if (!Number.isInteger(batchSize) || batchSize < 1 || batch.length !== batchSize * sampleSize) {
      throw new AviaryError(
        'E_INFERENCE',
        `batch has ${batch.length} values; ${batchSize} windows of [${this.#inputDims.join(', ')}] need ${batchSize * sampleSize}`,
      );
    }
    const input = new ort.Tensor('float32', batch, [batchSize, ...this.#inputDims]);
    let outputs: ort.InferenceSession.OnnxValueMapType;
    try {
      outputs = await this.#session.run({ [this.#inputName]: input });
    } catch (err) {
      throw new AviaryError(
        'E_INFERENCE',
        `ONNX Runtime inference failed: ${(err as Error).message}`,
      );
    }
    const out = outputs[this.#outputName] as ort.Tensor;
    if (
      out.type !== 'float32' ||
      out.dims.length !== 2 ||
      out.dims[0] !== batchSize ||
      out.dims[1] !== this.nClasses
    ) {
      throw new AviaryError(
        'E_INFERENCE',
        `model output is ${out.type} [${out.dims.join(', ')}], expected float32 [${batchSize}, ${this.nClasses}] (one score per label)`,
        'the manifest labels must match the model head',
      );
    }
    // The tensor's data is a view the next run may reuse; hand back an owned copy.
    return (out.data as Float32Array).slice();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    void this.#session.release().catch(() => undefined);
  }
}

/**
 * Opens `manifest.files.onnx` with ONNX Runtime on the CPU, `threads` threads inside each
 * operator and none across operators: the pool already runs several sessions in parallel.
 */
export async function openOnnxRuntimeSession(
  manifest: ModelManifest,
  threads: number,
): Promise<InferenceSession> {
  const file = manifest.files.onnx;
  if (!file)
    throw new AviaryError(
      'E_MODEL_FILE',
      `model ${manifest.name} has no ONNX file (files.onnx)`,
      'export the model to ONNX or use --backend openvino',
    );
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(file, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
  } catch (err) {
    throw new AviaryError(
      'E_MODEL_FILE',
      `ONNX Runtime cannot load ${file}: ${(err as Error).message}`,
      're-export the model',
    );
  }
  if (!session.inputNames.includes(manifest.input.name)) {
    void session.release();
    throw new AviaryError(
      'E_MANIFEST',
      `${file} has inputs ${JSON.stringify(session.inputNames)}, but the manifest names "${manifest.input.name}"`,
      'fix input.name in the manifest',
    );
  }
  const outputName =
    manifest.output.name && session.outputNames.includes(manifest.output.name)
      ? manifest.output.name
      : session.outputNames[0];
  return new OnnxRuntimeSession(session, manifest, outputName);
}
