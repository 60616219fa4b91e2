import { AviaryError } from '../errors.js';
import type { ModelManifest } from '../models/manifest.js';
import type { InferenceSession } from './backend.js';
import { compileProperties } from './openvino-c.js';

/*
 * openvino-node is an optional dependency: its postinstall downloads the runtime, which an
 * offline machine cannot do. This adapter is written against its documented API (addon.Core,
 * readModel, compileModel, createInferRequest, Tensor) and is only used when the import works.
 */

interface OvTensor {
  getShape(): number[];
  getData(): Float32Array;
}
interface OvInferRequest {
  inferAsync(inputs: Record<string, OvTensor>): Promise<Record<string, OvTensor>>;
}
interface OvCompiledModel {
  createInferRequest(): OvInferRequest;
}
interface OvCore {
  readModel(xml: string, bin?: string): Promise<unknown>;
  compileModel(
    model: unknown,
    device: string,
    config: Record<string, string | number>,
  ): Promise<OvCompiledModel>;
  getVersions(device: string): Record<string, { buildNumber: string; description: string }>;
}
export interface OpenVinoNodeAddon {
  Core: new () => OvCore;
  Tensor: new (type: 'f32', shape: number[], data: Float32Array) => OvTensor;
}

let loaded: Promise<OpenVinoNodeAddon | string> | null = null;

/** The addon, or why it is unusable (not installed, or its runtime library is missing). */
export function loadOpenVinoNode(): Promise<OpenVinoNodeAddon | string> {
  loaded ??= (async () => {
    // A variable specifier keeps TypeScript from requiring the package's types at build time.
    const specifier = 'openvino-node';
    let mod: { addon?: OpenVinoNodeAddon };
    try {
      mod = (await import(specifier)) as { addon?: OpenVinoNodeAddon };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return code === 'ERR_MODULE_NOT_FOUND'
        ? 'openvino-node not installed (optional; its runtime download needs network)'
        : `openvino-node failed to load: ${(err as Error).message}`;
    }
    if (!mod.addon?.Core) return 'openvino-node has no addon.Core export';
    try {
      new mod.addon.Core().getVersions('CPU');
    } catch (err) {
      return `openvino-node has no working CPU runtime: ${(err as Error).message}`;
    }
    return mod.addon;
  })();
  return loaded;
}

/** "2026.4.1-..." from the CPU plugin, for probeBackends. */
export function openVinoNodeVersion(addon: OpenVinoNodeAddon): string {
  const versions = new addon.Core().getVersions('CPU');
  return Object.values(versions)[0]?.buildNumber ?? 'unknown';
}

class OpenVinoNodeSession implements InferenceSession {
  readonly backend = 'openvino-node' as const;
  readonly device = 'CPU';
  readonly nClasses: number;
  readonly #addon: OpenVinoNodeAddon;
  readonly #request: OvInferRequest;
  readonly #inputName: string;
  readonly #inputDims: [number, number, number];
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(addon: OpenVinoNodeAddon, request: OvInferRequest, manifest: ModelManifest) {
    this.#addon = addon;
    this.#request = request;
    this.nClasses = manifest.labels.length;
    this.#inputName = manifest.input.name;
    const [, channels, nMels, nFrames] = manifest.input.shape;
    this.#inputDims = [channels, nMels, nFrames];
  }

  run(batch: Float32Array, batchSize: number): Promise<Float32Array> {
    if (this.#closed)
      return Promise.reject(new AviaryError('E_INFERENCE', 'run() on a closed OpenVINO session'));
    const sampleSize = this.#inputDims[0] * this.#inputDims[1] * this.#inputDims[2];
    if (!Number.isInteger(batchSize) || batchSize < 1 || batch.length !== batchSize * sampleSize) {
      return Promise.reject(
        new AviaryError(
          'E_INFERENCE',
          `batch has ${batch.length} values, ${batchSize} windows need ${batchSize * sampleSize}`,
        ),
      );
    }
    const result = this.#queue.then(async () => {
      // The Tensor wraps `batch` without copying; it stays referenced until inferAsync settles.
      const input = new this.#addon.Tensor('f32', [batchSize, ...this.#inputDims], batch);
      let outputs: Record<string, OvTensor>;
      try {
        outputs = await this.#request.inferAsync({ [this.#inputName]: input });
      } catch (err) {
        throw new AviaryError(
          'E_INFERENCE',
          `OpenVINO inference failed: ${(err as Error).message}`,
        );
      }
      const out = Object.values(outputs)[0];
      const shape = out.getShape();
      if (shape.length !== 2 || shape[0] !== batchSize || shape[1] !== this.nClasses) {
        throw new AviaryError(
          'E_INFERENCE',
          `model output has shape [${shape.join(', ')}], expected [${batchSize}, ${this.nClasses}]`,
        );
      }
      return Float32Array.from(out.getData());
    });
    this.#queue = result.catch(() => undefined);
    return result;
  }

  close(): void {
    // The addon frees its objects when they are garbage collected; nothing to release by hand.
    this.#closed = true;
  }
}

export async function openOpenVinoNodeSession(
  addon: OpenVinoNodeAddon,
  manifest: ModelManifest,
  threads: number,
): Promise<InferenceSession> {
  const xml = manifest.files.openvino;
  if (!xml)
    throw new AviaryError(
      'E_MODEL_FILE',
      `model ${manifest.name} has no OpenVINO IR (files.openvino)`,
    );
  const core = new addon.Core();
  let model: unknown;
  try {
    model = await core.readModel(xml, manifest.files.openvinoBin);
  } catch (err) {
    throw new AviaryError('E_MODEL_FILE', `OpenVINO cannot read ${xml}: ${(err as Error).message}`);
  }
  try {
    const config = Object.fromEntries(compileProperties(threads));
    const compiled = await core.compileModel(model, 'CPU', config);
    return new OpenVinoNodeSession(addon, compiled.createInferRequest(), manifest);
  } catch (err) {
    throw new AviaryError(
      'E_BACKEND',
      `OpenVINO cannot compile ${xml} for CPU: ${(err as Error).message}`,
    );
  }
}
