import { AviaryError, describeError, isAviaryError } from '../errors.js';
import type { ModelManifest } from '../models/manifest.js';
import { locateOpenVinoC, openVinoFixHint } from './locate-openvino.js';

/**
 * The one interface the worker code sees. Each backend module is imported only when it is
 * chosen or probed, so a run on OpenVINO never loads ONNX Runtime's native addon and vice versa.
 */
export type BackendChoice = 'auto' | 'openvino' | 'onnxruntime';
export type BackendName = 'openvino-c' | 'openvino-node' | 'onnxruntime';

export interface InferenceSession {
  readonly backend: BackendName;
  readonly device: string;
  readonly nClasses: number;
  /** batch: [batchSize, 1, nMels, nFrames] float32 row-major → [batchSize, nClasses] raw model outputs */
  run(batch: Float32Array, batchSize: number): Promise<Float32Array>;
  close(): void;
}

export interface SessionOptions {
  backend: BackendChoice;
  /** Inference threads for this session. */
  threads: number;
}

export interface BackendStatus {
  name: BackendName;
  available: boolean;
  /** Version and library path, or why not and how to fix it. */
  detail: string;
}

const CHOICES: readonly BackendChoice[] = ['auto', 'openvino', 'onnxruntime'];

/**
 * OpenVINO through openvino-node when it imports with a working runtime, else through the C
 * API. Throws E_BACKEND naming everything tried when neither route is available; errors about
 * the model itself (E_MODEL_FILE, E_MANIFEST) pass through unchanged.
 */
async function openOpenVino(manifest: ModelManifest, threads: number): Promise<InferenceSession> {
  if (!manifest.files.openvino) {
    throw new AviaryError(
      'E_MODEL_FILE',
      `model ${manifest.name} has no OpenVINO IR (files.openvino in ${manifest.dir})`,
      'export an IR or choose --backend onnxruntime',
    );
  }
  const { loadOpenVinoNode, openOpenVinoNodeSession } = await import('./openvino-node.js');
  const addon = await loadOpenVinoNode();
  const tried: string[] = [];
  if (typeof addon === 'string') tried.push(addon);
  else return openOpenVinoNodeSession(addon, manifest, threads);

  const location = await locateOpenVinoC();
  if (!location.libraryPath) {
    const where = location.fromEnv
      ? `no libopenvino_c at ${location.searched[0]}`
      : `libopenvino_c not found; searched ${location.searched.join(', ')}`;
    tried.push(where);
    throw new AviaryError(
      'E_BACKEND',
      `OpenVINO is unavailable: ${tried.join('; ')}`,
      openVinoFixHint(),
    );
  }
  const { openOpenVinoCSession } = await import('./openvino-c.js');
  return openOpenVinoCSession(manifest, threads, location.libraryPath);
}

async function openOnnx(manifest: ModelManifest, threads: number): Promise<InferenceSession> {
  if (!manifest.files.onnx) {
    throw new AviaryError(
      'E_MODEL_FILE',
      `model ${manifest.name} has no ONNX file (files.onnx in ${manifest.dir})`,
      'export an .onnx or choose --backend openvino',
    );
  }
  let mod: typeof import('./onnxruntime.js');
  try {
    mod = await import('./onnxruntime.js');
  } catch (err) {
    throw new AviaryError(
      'E_BACKEND',
      `onnxruntime-node cannot be loaded: ${(err as Error).message}`,
      'run `make node-setup`',
    );
  }
  return mod.openOnnxRuntimeSession(manifest, threads);
}

/**
 * Opens one inference session for `manifest`. `auto` prefers OpenVINO and falls back to ONNX
 * Runtime only when OpenVINO is unavailable (E_BACKEND) or the model has no IR; an explicit
 * choice never falls back.
 */
export async function openSession(
  manifest: ModelManifest,
  opts: SessionOptions,
): Promise<InferenceSession> {
  if (!CHOICES.includes(opts.backend)) {
    throw new AviaryError(
      'E_USAGE',
      `backend ${JSON.stringify(opts.backend)} is not one of ${CHOICES.join(', ')}`,
    );
  }
  if (!Number.isInteger(opts.threads) || opts.threads < 1) {
    throw new AviaryError(
      'E_USAGE',
      `threads must be a positive integer, not ${JSON.stringify(opts.threads)}`,
    );
  }
  if (opts.backend === 'openvino') return openOpenVino(manifest, opts.threads);
  if (opts.backend === 'onnxruntime') return openOnnx(manifest, opts.threads);

  if (!manifest.files.openvino) return openOnnx(manifest, opts.threads);
  try {
    return await openOpenVino(manifest, opts.threads);
  } catch (err) {
    if (!isAviaryError(err) || err.code !== 'E_BACKEND' || !manifest.files.onnx) throw err;
    try {
      return await openOnnx(manifest, opts.threads);
    } catch (onnxErr) {
      throw new AviaryError(
        'E_BACKEND',
        `no backend could open ${manifest.name}: ${err.message}; ONNX Runtime: ${describeError(onnxErr)}`,
        err.hint,
      );
    }
  }
}

async function probeOpenVinoC(): Promise<BackendStatus> {
  const location = await locateOpenVinoC();
  if (!location.libraryPath) {
    const where = location.fromEnv
      ? `nothing usable at ${location.searched[0]}`
      : `not found; searched ${location.searched.join(', ')}`;
    return {
      name: 'openvino-c',
      available: false,
      detail: `libopenvino_c ${where} — ${openVinoFixHint()}`,
    };
  }
  try {
    const { loadOpenVinoC } = await import('./openvino-c-api.js');
    const api = loadOpenVinoC(location.libraryPath);
    return {
      name: 'openvino-c',
      available: true,
      detail: `OpenVINO ${api.version} C API at ${api.libraryPath}`,
    };
  } catch (err) {
    return {
      name: 'openvino-c',
      available: false,
      detail: `${describeError(err)} — ${openVinoFixHint()}`,
    };
  }
}

async function probeOpenVinoNode(cAvailable: boolean): Promise<BackendStatus> {
  const { loadOpenVinoNode, openVinoNodeVersion } = await import('./openvino-node.js');
  const addon = await loadOpenVinoNode();
  if (typeof addon === 'string') {
    const next = cAvailable
      ? 'using the OpenVINO C API instead'
      : 'and the OpenVINO C API is not available either';
    return { name: 'openvino-node', available: false, detail: `${addon} — ${next}` };
  }
  return {
    name: 'openvino-node',
    available: true,
    detail: `openvino-node with OpenVINO ${openVinoNodeVersion(addon)}`,
  };
}

async function probeOnnxRuntime(): Promise<BackendStatus> {
  try {
    const { onnxRuntimeInfo } = await import('./onnxruntime.js');
    const info = onnxRuntimeInfo();
    return {
      name: 'onnxruntime',
      available: true,
      detail: `onnxruntime-node ${info.version} at ${info.location}`,
    };
  } catch (err) {
    return {
      name: 'onnxruntime',
      available: false,
      detail: `onnxruntime-node cannot be loaded: ${(err as Error).message} — run \`make node-setup\``,
    };
  }
}

/** The three backends in `auto`'s order of preference, each with a one-line detail. */
export async function probeBackends(): Promise<BackendStatus[]> {
  const c = await probeOpenVinoC();
  const node = await probeOpenVinoNode(c.available);
  return [node, c, await probeOnnxRuntime()];
}
