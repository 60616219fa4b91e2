import koffi from 'koffi';
import { AviaryError, ErrorCode } from '../errors.js';

/**
 * koffi bindings for the part of OpenVINO's C API (openvino/c/*.h) that one inference session
 * needs. Handles (ov_core_t *, ov_tensor_t *, ...) are opaque: koffi 3 gives them to us as
 * BigInt addresses, and every `**` out-parameter is a one-element array that receives one.
 * Every function returns an ov_status_e, 0 meaning OK; `check` turns anything else into an
 * AviaryError carrying OpenVINO's own message.
 */

export type Handle = bigint;
/** ov_shape_t as koffi decodes it: `dims` is the address of `rank` int64 values. */
export interface OvShape {
  rank: number | bigint;
  dims: Handle | null;
}
type Out<T> = [T | null];

export interface OpenVinoCApi {
  readonly libraryPath: string;
  readonly version: string;
  /** ov_element_type_e's value for f32 in this library (the enum was renumbered between releases). */
  readonly f32: number;
  coreCreate(core: Out<Handle>): number;
  coreFree(core: Handle): void;
  coreReadModel(core: Handle, xml: string, bin: string | null, model: Out<Handle>): number;
  /** Variadic tail: `'str', key, 'str', value` per property; `nArgs` counts keys and values. */
  coreCompileModel(
    core: Handle,
    model: Handle,
    device: string,
    nArgs: number,
    compiled: Out<Handle>,
    ...props: string[]
  ): number;
  modelFree(model: Handle): void;
  compiledModelCreateInferRequest(compiled: Handle, request: Out<Handle>): number;
  compiledModelFree(compiled: Handle): void;
  inferRequestSetTensor(request: Handle, name: string, tensor: Handle): number;
  inferRequestGetOutputTensorByIndex(request: Handle, index: number, tensor: Out<Handle>): number;
  /** ov_infer_request_infer on one of koffi's worker threads, so the event loop keeps running. */
  inferRequestInferAsync(request: Handle): Promise<number>;
  inferRequestFree(request: Handle): void;
  shapeCreate(rank: number, dims: BigInt64Array, shape: Partial<OvShape>): number;
  shapeFree(shape: OvShape): number;
  tensorCreate(type: number, shape: OvShape, tensor: Out<Handle>): number;
  tensorGetShape(tensor: Handle, shape: Partial<OvShape>): number;
  tensorGetElementType(tensor: Handle, type: [number]): number;
  tensorGetByteSize(tensor: Handle, size: [number | bigint]): number;
  tensorData(tensor: Handle, data: Out<Handle>): number;
  tensorFree(tensor: Handle): void;
  /** Copies the int64 dims out of a shape returned by OpenVINO. */
  shapeDims(shape: OvShape): number[];
  /** A Float32Array over OpenVINO-owned memory; valid only while the tensor lives. */
  floatView(data: Handle, length: number): Float32Array;
  /** Throws `code` with OpenVINO's last error message unless `status` is OK. */
  check(status: number, what: string, code?: ErrorCode): void;
}

const cache = new Map<string, OpenVinoCApi>();

/** Loads libopenvino_c once per path; throws E_BACKEND if it cannot be loaded. */
export function loadOpenVinoC(libraryPath: string): OpenVinoCApi {
  const cached = cache.get(libraryPath);
  if (cached) return cached;
  let lib: ReturnType<typeof koffi.load>;
  try {
    lib = koffi.load(libraryPath);
  } catch (err) {
    throw new AviaryError(
      'E_BACKEND',
      `cannot load the OpenVINO C library ${libraryPath}: ${(err as Error).message}`,
      'the libraries beside it (libopenvino.so, libtbb) must come from the same OpenVINO release',
    );
  }
  const api = bind(lib, libraryPath);
  cache.set(libraryPath, api);
  return api;
}

function bind(lib: ReturnType<typeof koffi.load>, libraryPath: string): OpenVinoCApi {
  // Struct names are global to koffi; reuse them if another library path declared them first.
  const declare = (name: string, def: Record<string, string>) => {
    try {
      return koffi.type(name);
    } catch {
      return koffi.struct(name, def);
    }
  };
  declare('ov_shape_t', { rank: 'int64_t', dims: 'void *' });
  declare('ov_version_t', { buildNumber: 'void *', description: 'void *' });

  const f = (proto: string) => lib.func(proto);
  const getVersion = f('int ov_get_openvino_version(_Out_ ov_version_t *version)');
  const versionFree = f('void ov_version_free(ov_version_t *version)');
  const lastErrMsg = f('void *ov_get_last_err_msg()');
  const errorInfo = f('const char *ov_get_error_info(int status)');
  const ovFree = f('void ov_free(void *content)');
  const infer = f('int ov_infer_request_infer(void *request)');

  const check = (status: number, what: string, code: ErrorCode = 'E_INFERENCE') => {
    if (status === 0) return;
    // The last message is process-global and allocated for us; copy it, then free it.
    let detail = '';
    const msg = lastErrMsg() as Handle | null;
    if (msg) {
      detail = koffi.decode.string(msg).trim();
      ovFree(msg);
    }
    const summary = `${errorInfo(status) as string} (status ${status})`;
    throw new AviaryError(
      code,
      `OpenVINO ${what} failed: ${detail ? `${detail} [${summary}]` : summary}`,
    );
  };

  const ver: { buildNumber?: Handle; description?: Handle } = {};
  check(getVersion(ver), 'ov_get_openvino_version', 'E_BACKEND');
  const version = ver.buildNumber ? koffi.decode.string(ver.buildNumber) : 'unknown';
  versionFree(ver);

  const api: Omit<OpenVinoCApi, 'f32'> & { f32: number } = {
    libraryPath,
    version,
    f32: -1,
    coreCreate: f('int ov_core_create(_Out_ void **core)'),
    coreFree: f('void ov_core_free(void *core)'),
    coreReadModel: f(
      'int ov_core_read_model(void *core, const char *xml, const char *bin, _Out_ void **model)',
    ),
    coreCompileModel: f(
      'int ov_core_compile_model(void *core, void *model, const char *device, size_t n, _Out_ void **compiled, ...)',
    ),
    modelFree: f('void ov_model_free(void *model)'),
    compiledModelCreateInferRequest: f(
      'int ov_compiled_model_create_infer_request(void *compiled, _Out_ void **request)',
    ),
    compiledModelFree: f('void ov_compiled_model_free(void *compiled)'),
    inferRequestSetTensor: f(
      'int ov_infer_request_set_tensor(void *request, const char *name, void *tensor)',
    ),
    inferRequestGetOutputTensorByIndex: f(
      'int ov_infer_request_get_output_tensor_by_index(void *request, size_t index, _Out_ void **tensor)',
    ),
    inferRequestInferAsync: (request) =>
      new Promise((resolve, reject) =>
        infer.async(request, (err: unknown, status: number) =>
          err ? reject(err) : resolve(status),
        ),
      ),
    inferRequestFree: f('void ov_infer_request_free(void *request)'),
    // Current releases take rank, dims, then the shape to fill (early 2022 headers had the shape first).
    shapeCreate: f('int ov_shape_create(int64_t rank, int64_t *dims, _Out_ ov_shape_t *shape)'),
    shapeFree: f('int ov_shape_free(ov_shape_t *shape)'),
    tensorCreate: f('int ov_tensor_create(int type, ov_shape_t shape, _Out_ void **tensor)'),
    tensorGetShape: f('int ov_tensor_get_shape(void *tensor, _Out_ ov_shape_t *shape)'),
    tensorGetElementType: f('int ov_tensor_get_element_type(void *tensor, _Out_ int *type)'),
    tensorGetByteSize: f('int ov_tensor_get_byte_size(void *tensor, _Out_ size_t *size)'),
    tensorData: f('int ov_tensor_data(void *tensor, _Out_ void **data)'),
    tensorFree: f('void ov_tensor_free(void *tensor)'),
    shapeDims: (shape) => {
      const rank = Number(shape.rank);
      if (rank === 0 || !shape.dims) return [];
      return Array.from(koffi.decode(shape.dims, 'int64_t', rank) as BigInt64Array, Number);
    },
    floatView: (data, length) => new Float32Array(koffi.view(data, length * 4)),
    check,
  };
  api.f32 = findF32Code(api);
  return api;
}

/**
 * Newer OpenVINO releases dropped UNDEFINED from the head of ov_element_type_e, so f32 is 5 in
 * older libraries and 4 in newer ones (2026.4 is 4). Rather than guess from the version string, create a
 * one-element tensor with each candidate and keep the one that takes 4 bytes: in the old
 * numbering 4 is f16 (2 bytes), in the new one 5 is f64 (8 bytes).
 */
function findF32Code(api: Omit<OpenVinoCApi, 'f32'>): number {
  const shape: Partial<OvShape> = {};
  api.check(api.shapeCreate(1, new BigInt64Array([1n]), shape), 'ov_shape_create', 'E_BACKEND');
  try {
    for (const code of [4, 5]) {
      const tensor: Out<Handle> = [null];
      if (api.tensorCreate(code, shape as OvShape, tensor) !== 0 || !tensor[0]) continue;
      const bytes: [number | bigint] = [0];
      const status = api.tensorGetByteSize(tensor[0], bytes);
      api.tensorFree(tensor[0]);
      if (status === 0 && Number(bytes[0]) === 4) return code;
    }
  } finally {
    api.shapeFree(shape as OvShape);
  }
  throw new AviaryError(
    'E_BACKEND',
    `cannot find the f32 element type code of the OpenVINO C library ${api.libraryPath}`,
  );
}
