import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { AviaryError } from '../errors.js';

/** What counts as a recording, matched case-insensitively on the last extension. */
export const AUDIO_EXTENSIONS = ['.wav', '.ogg', '.oga', '.flac', '.mp3'] as const;

const POINT_ELSEWHERE = 'point at your recordings with --input DIR (or make submit INPUT=DIR)';

function isAudioName(name: string): boolean {
  const ext = path.extname(name).toLowerCase();
  return !name.startsWith('.') && (AUDIO_EXTENSIONS as readonly string[]).includes(ext);
}

/**
 * The recordings of a folder as absolute paths: top level only (the competition's layout), hidden
 * files skipped, sorted by file name in plain UTF-16 code-unit order, never localeCompare, so that
 * every machine and locale scores (and writes) the files in the same order.
 */
export async function discoverAudioFiles(inputDir: string): Promise<string[]> {
  const dir = path.resolve(inputDir);
  let names: string[];
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) {
      throw new AviaryError(
        'E_INPUT_MISSING',
        `input ${dir} is a file, not a folder`,
        POINT_ELSEWHERE,
      );
    }
    names = await readdir(dir);
  } catch (err) {
    if (err instanceof AviaryError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(err)})`;
    throw new AviaryError('E_INPUT_MISSING', `input folder ${dir} ${why}`, POINT_ELSEWHERE);
  }
  const files: string[] = [];
  for (const name of names.filter(isAudioName)) {
    const full = path.join(dir, name);
    try {
      // stat, not the dirent type: a symlink to a recording counts, a folder named x.wav does not.
      if ((await stat(full)).isFile()) files.push(full);
    } catch {
      // Vanished between readdir and stat, or a dangling link: nothing to score.
    }
  }
  if (files.length === 0) {
    throw new AviaryError(
      'E_NO_AUDIO',
      `no recordings in ${dir}: looked for ${AUDIO_EXTENSIONS.join(' ')} (any case, top level only)`,
      POINT_ELSEWHERE,
    );
  }
  // Same folder for all, so comparing whole paths compares names.
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The row-id prefix: the file name without its last extension (`a.b.ogg` → `a.b`). */
export function fileStem(filePath: string): string {
  const base = path.basename(filePath);
  const ext = path.extname(base);
  return ext ? base.slice(0, -ext.length) : base;
}
