import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { AviaryError } from '../errors.js';

export const AUDIO_EXTENSIONS = ['.wav', '.ogg', '.oga', '.flac', '.mp3'];

/**
 * The recordings of a folder, top level only (the competition's layout), sorted by file name in
 * plain code-unit order so that every machine and locale gives the same order. Hidden files are
 * skipped; extensions match in any case.
 */
export async function discoverAudioFiles(inputDir: string): Promise<string[]> {
  const dir = path.resolve(inputDir);
  let names: string[];
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a folder');
    names = await readdir(dir);
  } catch {
    throw new AviaryError(
      'E_INPUT_MISSING',
      `input folder ${dir} does not exist or is not a folder`,
      'point at your recordings with --input DIR (or make submit INPUT=DIR)',
    );
  }
  const files: string[] = [];
  for (const name of names) {
    if (name.startsWith('.') || !AUDIO_EXTENSIONS.includes(path.extname(name).toLowerCase())) continue;
    const full = path.join(dir, name);
    try {
      if ((await stat(full)).isFile()) files.push(full);
    } catch {
      // vanished between readdir and stat: not ours to score
    }
  }
  if (files.length === 0) {
    throw new AviaryError(
      'E_NO_AUDIO',
      `no recordings (${AUDIO_EXTENSIONS.join(', ')}, any case) in ${dir}`,
      'point at your recordings with --input DIR (or make submit INPUT=DIR)',
    );
  }
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The row-id prefix: the file name without its last extension. */
export function fileStem(filePath: string): string {
  const base = path.basename(filePath);
  const ext = path.extname(base);
  return ext ? base.slice(0, -ext.length) : base;
}
