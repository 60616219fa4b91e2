import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { AviaryError } from '../errors.js';
import { ModelManifest, loadManifest } from './manifest.js';

export interface ModelSelection {
  /** Run only these models (by name); default: every student. */
  names?: string[];
  /** Include teachers when no names are given. */
  includeTeachers?: boolean;
}

/**
 * Reads every `models/<name>/manifest.json`, validating all of them before any audio is read.
 * Folders without a manifest are ignored; a manifest that is present but invalid is an error.
 */
export async function loadModels(modelsDir: string, selection: ModelSelection = {}): Promise<ModelManifest[]> {
  const dir = path.resolve(modelsDir);
  let entries: string[];
  try {
    entries = (await readdir(dir)).sort();
  } catch {
    throw new AviaryError('E_MANIFEST', `model folder ${dir} does not exist`, 'pass --models-dir DIR, or export models into models/ (see README)');
  }
  const manifests: ModelManifest[] = [];
  for (const name of entries) {
    const folder = path.join(dir, name);
    if (!(await stat(folder)).isDirectory()) continue;
    try {
      await stat(path.join(folder, 'manifest.json'));
    } catch {
      continue;
    }
    manifests.push(await loadManifest(folder));
  }
  let chosen: ModelManifest[];
  if (selection.names && selection.names.length > 0) {
    const missing = selection.names.filter((n) => !manifests.some((m) => m.name === n));
    if (missing.length > 0) {
      throw new AviaryError(
        'E_MANIFEST',
        `no model named ${missing.join(', ')} in ${dir}`,
        `available: ${manifests.map((m) => m.name).join(', ') || 'none'}`,
      );
    }
    chosen = selection.names.map((n) => manifests.find((m) => m.name === n)!);
  } else {
    chosen = manifests.filter((m) => m.role === 'student' || selection.includeTeachers);
  }
  if (chosen.length === 0) {
    throw new AviaryError('E_MANIFEST', `no student models found in ${dir}`, 'each model needs models/<name>/manifest.json (see docs/manifest.md)');
  }
  return chosen;
}
