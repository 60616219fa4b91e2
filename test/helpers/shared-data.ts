/**
 * The real recordings live outside the repository, at ../shared/data beside its root. Tests that
 * need them call sharedData() and skip with a plain message when it is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

/** Compiled to dist/test/helpers/, so the repository root is three folders up. */
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SHARED_DATA_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'data');
export const NO_SHARED_DATA = `no shared data at ${SHARED_DATA_DIR}; skipped`;

export interface IndexRow {
  /** Absolute path of the recording. */
  file: string;
  kind: string;
  durationSec: number;
  sampleRateHz: number;
  channels: number;
}

export function sharedDataAvailable(): boolean {
  return existsSync(path.join(SHARED_DATA_DIR, 'index.csv'));
}

export function readIndex(): IndexRow[] {
  const text = readFileSync(path.join(SHARED_DATA_DIR, 'index.csv'), 'utf8');
  const rows = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  return rows.map((r) => ({
    file: path.join(SHARED_DATA_DIR, r.path),
    kind: r.kind,
    durationSec: Number(r.duration_s),
    sampleRateHz: Number(r.sample_rate),
    channels: Number(r.channels),
  }));
}

/** The first soundscape (in index order) with the given extension, e.g. '.ogg'. */
export function soundscapeWithExtension(ext: string): IndexRow | undefined {
  return readIndex().find(
    (r) =>
      r.kind === 'soundscape' && path.extname(r.file).toLowerCase() === ext && existsSync(r.file),
  );
}
