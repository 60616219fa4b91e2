import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { AviaryError } from '../errors.js';
import { FrontendConfig, frameCount, inputSamples, parseFrontendConfig } from '../features/frontend-config.js';

export const MANIFEST_SCHEMA = 'aviary.model/1';

/** A validated `models/<name>/manifest.json` (docs/manifest.md). Paths are absolute. */
export interface ModelManifest {
  name: string;
  role: 'student' | 'teacher';
  architecture: string;
  dir: string;
  files: { openvino?: string; openvinoBin?: string; onnx?: string };
  input: { name: string; shape: [number, 1, number, number] };
  output: { name: string | null; kind: 'logits' | 'probabilities' };
  labels: string[];
  weight: number;
  frontend: FrontendConfig;
}

function bad(where: string, what: string): never {
  throw new AviaryError('E_MANIFEST', `${where}: ${what}`, 'see docs/manifest.md for the manifest format');
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** Reads and validates one model folder's manifest; checks that its weight files exist. */
export async function loadManifest(modelDir: string): Promise<ModelManifest> {
  const dir = path.resolve(modelDir);
  const where = path.join(dir, 'manifest.json');
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(await readFile(where, 'utf8'));
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (err as Error).message;
    throw new AviaryError('E_MANIFEST', `${where}: cannot read manifest (${reason})`, 'each model folder needs a manifest.json written by the export tooling');
  }
  if (typeof raw !== 'object' || raw === null) bad(where, 'is not a JSON object');
  if (raw.schema !== MANIFEST_SCHEMA) bad(where, `schema is ${JSON.stringify(raw.schema)}, expected "${MANIFEST_SCHEMA}"`);
  const name = raw.name;
  if (typeof name !== 'string' || name !== path.basename(dir)) {
    bad(where, `name ${JSON.stringify(name)} must equal the folder name "${path.basename(dir)}"`);
  }
  const role = raw.role ?? 'student';
  if (role !== 'student' && role !== 'teacher') bad(where, `role must be "student" or "teacher", not ${JSON.stringify(role)}`);

  const filesRaw = (raw.files ?? {}) as Record<string, unknown>;
  const files: ModelManifest['files'] = {};
  for (const key of ['openvino', 'onnx'] as const) {
    const rel = filesRaw[key];
    if (rel === undefined || rel === null) continue;
    if (typeof rel !== 'string') bad(where, `files.${key} must be a path string`);
    const abs = path.resolve(dir, rel);
    if (!(await exists(abs))) {
      throw new AviaryError('E_MODEL_FILE', `${where}: files.${key} names ${abs}, which does not exist`, 're-export the model or fix the path in the manifest');
    }
    files[key] = abs;
  }
  if (files.openvino) {
    const bin = files.openvino.replace(/\.xml$/i, '.bin');
    if (!(await exists(bin))) {
      throw new AviaryError('E_MODEL_FILE', `${where}: OpenVINO weights ${bin} are missing beside ${files.openvino}`, 'copy the .bin next to the .xml');
    }
    files.openvinoBin = bin;
  }
  if (!files.openvino && !files.onnx) bad(where, 'files must name an OpenVINO .xml or an .onnx model');

  const input = raw.input as { name?: unknown; shape?: unknown } | undefined;
  if (!input || typeof input.name !== 'string') bad(where, 'input.name must be a string');
  const shape = input.shape;
  if (!Array.isArray(shape) || shape.length !== 4 || shape[1] !== 1 || !shape.every((d) => Number.isInteger(d))) {
    bad(where, `input.shape must be [batch, 1, n_mels, n_frames], not ${JSON.stringify(shape)}`);
  }
  const output = (raw.output ?? {}) as { name?: unknown; kind?: unknown };
  if (output.kind !== 'logits' && output.kind !== 'probabilities') bad(where, 'output.kind must be "logits" or "probabilities"');

  const labels = raw.labels;
  if (!Array.isArray(labels) || labels.length === 0 || !labels.every((l) => typeof l === 'string' && l.length > 0)) {
    bad(where, 'labels must be a non-empty list of class names');
  }
  if (new Set(labels).size !== labels.length) bad(where, 'labels must not repeat');
  const weight = raw.weight ?? 1;
  if (typeof weight !== 'number' || !(weight > 0) || !Number.isFinite(weight)) bad(where, `weight must be a number > 0, not ${JSON.stringify(weight)}`);

  const frontend = parseFrontendConfig(raw.frontend, where);
  const nFrames = frameCount(frontend, inputSamples(frontend));
  if (shape[2] !== frontend.nMels || shape[3] !== nFrames) {
    bad(where, `input.shape ${JSON.stringify(shape)} does not match the front-end, which gives [*, 1, ${frontend.nMels}, ${nFrames}]`);
  }
  return {
    name,
    role,
    architecture: typeof raw.architecture === 'string' ? raw.architecture : 'unknown',
    dir,
    files,
    input: { name: input.name, shape: shape as ModelManifest['input']['shape'] },
    output: { name: typeof output.name === 'string' ? output.name : null, kind: output.kind },
    labels: labels as string[],
    weight,
    frontend,
  };
}
