/**
 * The recordings every stage of `aviary bench` measures: a fixed list from the shared data set,
 * repeated until the run holds at least `minMinutes` of audio, and laid out as a scratch folder
 * of symbolic links so that `runSubmit` (which takes a folder) sees exactly that list.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, symlink } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../package-info.js';

/**
 * Mostly 32 kHz Ogg Vorbis, the competition's format, plus 22.05 kHz MP3 and WAV so that
 * resampling and the other decoders take their share of the time. About 10 minutes in all.
 * Durations come from ../shared/data/index.csv; the bench measures the real ones when it decodes.
 */
export const BENCH_FILES: readonly string[] = [
  'qut_West_Knoll_Bees_20091102-010000.ogg', // 240 s, 32 kHz Vorbis
  'qut_BAC2_20071008-085040.ogg', // 60 s, 32 kHz Vorbis
  'qut_NEJB_NE465_20101013-052900.ogg', // 59 s, 32 kHz Vorbis
  'oss_1min.ogg', // 60 s, 32 kHz Vorbis
  'oss_birds_10s.wav', // 10 s, 32 kHz WAV
  'qut_SERF_3_20101019-073000.mp3', // 120 s, 22.05 kHz MP3
  'qut_BAC2_20071015-045040.wav', // 60 s, 22.05 kHz WAV
];

/** Where the shared recordings live: ../shared/data/soundscapes beside the repository. */
export function defaultSoundscapeDir(): string {
  return path.resolve(packageRoot(), '..', 'shared', 'data', 'soundscapes');
}

/** The list's files that are missing from `dir` (empty when all are there). */
export function missingFiles(dir: string, names: readonly string[] = BENCH_FILES): string[] {
  return names.filter((n) => !existsSync(path.join(dir, n)));
}

/**
 * Seconds of audio in the list, from the data set's index.csv (`path`, `duration_s` columns),
 * so the number of passes is known before anything is decoded. Null when the index or a row is
 * missing; the caller then makes one pass.
 */
export async function listSeconds(
  soundscapeDir: string,
  names: readonly string[] = BENCH_FILES,
): Promise<number | null> {
  let text: string;
  try {
    text = await readFile(path.join(soundscapeDir, '..', 'index.csv'), 'utf8');
  } catch {
    return null;
  }
  const rows = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const byName = new Map(rows.map((r) => [path.basename(r.path ?? ''), Number(r.duration_s)]));
  let total = 0;
  for (const n of names) {
    const sec = byName.get(n);
    if (sec === undefined || !Number.isFinite(sec)) return null;
    total += sec;
  }
  return total;
}

/** How many passes over a list of `listSec` seconds reach at least `minSec` seconds. */
export function passesFor(listSec: number, minSec: number): number {
  if (!(listSec > 0)) return 1;
  return Math.max(1, Math.ceil(minSec / listSec));
}

export interface BenchInput {
  /** The scratch folder of links, to hand to runSubmit as --input. */
  dir: string;
  /** The links, in the order discoverAudioFiles will list them (sorted by name). */
  links: string[];
  /** For each link, the index of the original in `sources`. */
  sourceIndex: number[];
  sources: string[];
  passes: number;
}

/**
 * Links pass p's copy of each file as `p<p>_<name>`: distinct stems (distinct row ids), the same
 * bytes, no audio copied. The pipeline sorts by name, so pass 1 is scored before pass 2.
 */
export async function makeBenchInput(
  sourceDir: string,
  passes: number,
  names: readonly string[] = BENCH_FILES,
): Promise<BenchInput> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'aviary-bench-input-'));
  await mkdir(dir, { recursive: true });
  const sources = names.map((n) => path.join(sourceDir, n));
  const entries: { link: string; source: number }[] = [];
  for (let p = 1; p <= passes; p++) {
    for (const [i, name] of names.entries()) {
      const link = path.join(dir, `p${p}_${name}`);
      await symlink(sources[i], link);
      entries.push({ link, source: i });
    }
  }
  entries.sort((a, b) => (a.link < b.link ? -1 : a.link > b.link ? 1 : 0));
  return {
    dir,
    links: entries.map((e) => e.link),
    sourceIndex: entries.map((e) => e.source),
    sources,
    passes,
  };
}
