import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The environment variable that names libopenvino_c (the file, or the folder holding it). */
export const OPENVINO_LIB_ENV = 'AVIARY_OPENVINO_LIB';

export interface OpenVinoLocation {
  /** Absolute path of the library file, or null when none was found. */
  libraryPath: string | null;
  /** Every place looked at, in order, for error messages. */
  searched: string[];
  /** True when the library was named by the environment variable (no other place is tried then). */
  fromEnv: boolean;
}

// The C API's file name on each platform; the Python wheel ships it with the soname version
// appended (libopenvino_c.so.2641), a system install also has the bare name.
const LIBRARY_PATTERNS: RegExp[] = [
  /^libopenvino_c\.so(\.\d+)*$/,
  /^libopenvino_c(\.\d+)*\.dylib$/,
  /^openvino_c\.dll$/,
];

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The C library inside `dir`, preferring the bare name, then the highest version suffix. */
export function findLibraryIn(dir: string): string | null {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return null;
  }
  const matches = names.filter((n) => LIBRARY_PATTERNS.some((p) => p.test(n)));
  if (matches.length === 0) return null;
  matches.sort((a, b) => a.length - b.length || b.localeCompare(a, 'en', { numeric: true }));
  const found = path.join(dir, matches[0]);
  return isFile(found) ? found : null;
}

/** The folder with aviary's package.json: the repository, or the root of an unpacked bundle. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if (JSON.parse(readFileSync(manifest, 'utf8')).name === 'aviary') return dir;
      } catch {
        // An unreadable package.json is not ours; keep walking up.
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

function venvCandidates(root: string): string[] {
  const lib = path.join(root, '.venv', 'lib');
  let pythons: string[];
  try {
    pythons = readdirSync(lib).filter((n) => n.startsWith('python3'));
  } catch {
    return [path.join(lib, 'python3*', 'site-packages', 'openvino', 'libs')];
  }
  return pythons
    .sort()
    .reverse()
    .map((p) => path.join(lib, p, 'site-packages', 'openvino', 'libs'));
}

/** Asks a `python3` on PATH where its openvino package lives; null when it has none. */
function pythonOpenVinoDir(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string | null> {
  const script = 'import openvino, os; print(os.path.dirname(openvino.__file__))';
  return new Promise((resolve) => {
    execFile(
      'python3',
      ['-c', script],
      { env, timeout: timeoutMs, encoding: 'utf8' },
      (err, stdout) => {
        const dir = stdout?.trim();
        resolve(err || !dir ? null : dir);
      },
    );
  });
}

/**
 * Finds libopenvino_c. Order: `AVIARY_OPENVINO_LIB` (a file or a folder; when set, nothing
 * else is tried, so a wrong setting is reported instead of silently bypassed); the repository's
 * `.venv` (what `make train-setup` installs); a bundle's `lib/openvino/`; the openvino package of
 * whatever `python3` is on PATH.
 */
export async function locateOpenVinoC(
  env: NodeJS.ProcessEnv = process.env,
  pythonTimeoutMs = 5000,
): Promise<OpenVinoLocation> {
  const searched: string[] = [];
  const fromEnv = env[OPENVINO_LIB_ENV];
  if (fromEnv) {
    const target = path.resolve(fromEnv);
    searched.push(`${OPENVINO_LIB_ENV}=${target}`);
    const found = isFile(target) ? target : findLibraryIn(target);
    return { libraryPath: found, searched, fromEnv: true };
  }

  const root = packageRoot();
  const folders = [...venvCandidates(root), path.join(root, 'lib', 'openvino')];
  for (const dir of folders) {
    searched.push(dir);
    const found = findLibraryIn(dir);
    if (found) return { libraryPath: found, searched, fromEnv: false };
  }

  const pyDir = await pythonOpenVinoDir(env, pythonTimeoutMs);
  if (pyDir) {
    const dir = path.join(pyDir, 'libs');
    searched.push(`${dir} (from python3)`);
    const found = findLibraryIn(dir);
    if (found) return { libraryPath: found, searched, fromEnv: false };
  } else {
    searched.push('python3 -c "import openvino" (no python3, or no openvino in it)');
  }
  return { libraryPath: null, searched, fromEnv: false };
}

/** How to fix a missing library, for error hints and probe details. */
export function openVinoFixHint(): string {
  return `run \`make train-setup\` (installs the openvino wheel into .venv), or set ${OPENVINO_LIB_ENV} to libopenvino_c or its folder`;
}
