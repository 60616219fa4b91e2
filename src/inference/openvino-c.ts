import { AviaryError } from '../errors.js';
import type { ModelManifest } from '../models/manifest.js';
import type { InferenceSession } from './backend.js';
import { Handle, OpenVinoCApi, OvShape, loadOpenVinoC } from './openvino-c-api.js';

const DEVICE = 'CPU';

/**
 * Compile-time properties, shared with the openvino-node route. One session runs one request
 * at a time and the pool runs several sessions side by side, so each session asks for the
 * LATENCY hint (a single stream) and exactly `threads` inference threads; the pool decides how
 * the cores are shared, not OpenVINO. On CPUs with AVX512-BF16 or AMX, OpenVINO silently
 * computes in bf16 unless told otherwise (it moved the tiny test model's logits by 1.4e-4);
 * f32 keeps scores the same on every machine and equal to ONNX Runtime's.
 */
export function compileProperties(threads: number): [string, string][] {
  return [
    ['PERFORMANCE_HINT', 'LATENCY'],
    ['NUM_STREAMS', '1'],
    ['INFERENCE_NUM_THREADS', String(threads)],
    ['INFERENCE_PRECISION_HINT', 'f32'],
  ];
}

function variadicProperties(threads: number): string[] {
  const props = compileProperties(threads);
  return props.flatMap(([key, value]) => ['str', key, 'str', value]);
}

/** A session over OpenVINO's C API; see `openOpenVinoCSession`. */
class OpenVinoCSession implements InferenceSession {
  readonly backend = 'openvino-c' as const;
  readonly device = DEVICE;
  readonly nClasses: number;
  readonly #api: OpenVinoCApi;
  readonly #inputName: string;
  readonly #sampleSize: number;
  readonly #inputDims: [number, number, number];
  #core: Handle;
  #compiled: Handle;
  #request: Handle;
  // The input tensor is kept while consecutive batches have the same size (the usual case).
  #input: { tensor: Handle; batchSize: number; view: Float32Array } | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(
    api: OpenVinoCApi,
    manifest: ModelManifest,
    handles: { core: Handle; compiled: Handle; request: Handle },
  ) {
    this.#api = api;
    this.nClasses = manifest.labels.length;
    this.#inputName = manifest.input.name;
    const [, channels, nMels, nFrames] = manifest.input.shape;
    this.#inputDims = [channels, nMels, nFrames];
    this.#sampleSize = channels * nMels * nFrames;
    this.#core = handles.core;
    this.#compiled = handles.compiled;
    this.#request = handles.request;
  }

  run(batch: Float32Array, batchSize: number): Promise<Float32Array> {
    if (this.#closed)
      return Promise.reject(new AviaryError('E_INFERENCE', 'run() on a closed OpenVINO session'));
    if (
      !Number.isInteger(batchSize) ||
      batchSize < 1 ||
      batch.length !== batchSize * this.#sampleSize
    ) {
      return Promise.reject(
        new AviaryError(
          'E_INFERENCE',
          `batch has ${batch.length} values; ${batchSize} windows of [${this.#inputDims.join(', ')}] need ${batchSize * this.#sampleSize}`,
        ),
      );
    }
    // One infer request cannot run twice at once; calls queue up behind each other.
    const result = this.#queue.then(() => this.#runNow(batch, batchSize));
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #runNow(batch: Float32Array, batchSize: number): Promise<Float32Array> {
    if (this.#closed)
      throw new AviaryError('E_INFERENCE', 'OpenVINO session closed before the batch ran');
    const api = this.#api;
    const input = this.#inputFor(batchSize);
    input.view.set(batch);
    api.check(await api.inferRequestInferAsync(this.#request), 'inference');

    const out: [Handle | null] = [null];
    api.check(
      api.inferRequestGetOutputTensorByIndex(this.#request, 0, out),
      'reading the output tensor',
    );
    const tensor = out[0] as Handle;
    try {
      const shape: Partial<OvShape> = {};
      api.check(api.tensorGetShape(tensor, shape), 'reading the output shape');
      const dims = api.shapeDims(shape as OvShape);
      api.shapeFree(shape as OvShape);
      if (dims.length !== 2 || dims[0] !== batchSize || dims[1] !== this.nClasses) {
        throw new AviaryError(
          'E_INFERENCE',
          `model output has shape [${dims.join(', ')}], expected [${batchSize}, ${this.nClasses}] (one score per label)`,
          'the manifest labels must match the model head',
        );
      }
      const type: [number] = [0];
      api.check(api.tensorGetElementType(tensor, type), 'reading the output type');
      if (type[0] !== api.f32)
        throw new AviaryError('E_INFERENCE', `model output element type ${type[0]} is not f32`);
      const data: [Handle | null] = [null];
      api.check(api.tensorData(tensor, data), 'reading the output data');
      // slice() copies out of OpenVINO's buffer before the tensor is released.
      return api.floatView(data[0] as Handle, batchSize * this.nClasses).slice();
    } finally {
      api.tensorFree(tensor);
    }
  }

  /**
   * The input is copied into a tensor that OpenVINO allocates. Wrapping the caller's array
   * (ov_tensor_create_from_host_ptr) would save a ~1 MB copy per batch of 16 but would hand
   * OpenVINO an address that V8 does not promise to keep; the copy costs far less than inference.
   */
  #inputFor(batchSize: number): { tensor: Handle; batchSize: number; view: Float32Array } {
    if (this.#input?.batchSize === batchSize) return this.#input;
    this.#freeInput();
    const api = this.#api;
    const shape: Partial<OvShape> = {};
    api.check(
      api.shapeCreate(4, new BigInt64Array([batchSize, ...this.#inputDims].map(BigInt)), shape),
      'ov_shape_create',
    );
    const created: [Handle | null] = [null];
    try {
      api.check(
        api.tensorCreate(api.f32, shape as OvShape, created),
        `creating a [${batchSize}, ${this.#inputDims.join(', ')}] input tensor`,
      );
    } finally {
      api.shapeFree(shape as OvShape);
    }
    const tensor = created[0] as Handle;
    try {
      api.check(
        api.inferRequestSetTensor(this.#request, this.#inputName, tensor),
        `setting input "${this.#inputName}"`,
      );
      const data: [Handle | null] = [null];
      api.check(api.tensorData(tensor, data), 'reading the input buffer');
      this.#input = {
        tensor,
        batchSize,
        view: api.floatView(data[0] as Handle, batchSize * this.#sampleSize),
      };
      return this.#input;
    } catch (err) {
      api.tensorFree(tensor);
      throw err;
    }
  }

  #freeInput(): void {
    if (!this.#input) return;
    this.#api.tensorFree(this.#input.tensor);
    this.#input = null;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    // A batch may still be running on a koffi worker thread: free only after it settles.
    void this.#queue.then(() => {
      this.#freeInput();
      this.#api.inferRequestFree(this.#request);
      this.#api.compiledModelFree(this.#compiled);
      this.#api.coreFree(this.#core);
      this.#request = this.#compiled = this.#core = 0n;
    });
  }
}

/**
 * Opens `manifest.files.openvino` on the CPU through libopenvino_c at `libraryPath`.
 * Errors: E_BACKEND when the library or the core fails, E_MODEL_FILE when the IR cannot be
 * read, E_BACKEND when it cannot be compiled.
 */
export async function openOpenVinoCSession(
  manifest: ModelManifest,
  threads: number,
  libraryPath: string,
): Promise<InferenceSession> {
  const xml = manifest.files.openvino;
  if (!xml)
    throw new AviaryError(
      'E_MODEL_FILE',
      `model ${manifest.name} has no OpenVINO IR (files.openvino)`,
    );
  const api = loadOpenVinoC(libraryPath);

  const core: [Handle | null] = [null];
  api.check(api.coreCreate(core), 'creating the core', 'E_BACKEND');
  const handles = { core: core[0] as Handle, compiled: 0n, request: 0n };
  try {
    const model: [Handle | null] = [null];
    api.check(
      api.coreReadModel(handles.core, xml, manifest.files.openvinoBin ?? null, model),
      `reading ${xml}`,
      'E_MODEL_FILE',
    );
    try {
      const props = variadicProperties(threads);
      const compiled: [Handle | null] = [null];
      api.check(
        api.coreCompileModel(
          handles.core,
          model[0] as Handle,
          DEVICE,
          props.length / 2,
          compiled,
          ...props,
        ),
        `compiling ${xml} for ${DEVICE}`,
        'E_BACKEND',
      );
      handles.compiled = compiled[0] as Handle;
    } finally {
      // The compiled model keeps what it needs; the source graph can go.
      api.modelFree(model[0] as Handle);
    }
    const request: [Handle | null] = [null];
    api.check(
      api.compiledModelCreateInferRequest(handles.compiled, request),
      'creating an infer request',
      'E_BACKEND',
    );
    handles.request = request[0] as Handle;
  } catch (err) {
    if (handles.compiled) api.compiledModelFree(handles.compiled);
    api.coreFree(handles.core);
    throw err;
  }
  return new OpenVinoCSession(api, manifest, handles);
}
