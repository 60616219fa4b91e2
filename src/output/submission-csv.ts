import { stringify } from 'csv-stringify/sync';
import { AviaryError } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';

/**
 * Six decimals by default: a float32 probability holds about seven significant digits, so more
 * decimals mostly print rounding noise while every extra digit grows a BirdCLEF-sized submission
 * (~10 M values) by ~10 MB; fewer decimals (4) would tie many near-zero scores, and ties blur the
 * ranking that a macro ROC-AUC metric scores, most for rare species.
 */
export const DEFAULT_DECIMALS = 6;

/** Rows stringified per chunk: big enough to amortise csv-stringify, small enough to stay flat. */
const ROWS_PER_CHUNK = 512;

/** The scored windows of one recording. */
export interface FileScores {
  /** The file name without folder and extension; the row id is `<stem>_<end>`. */
  stem: string;
  /** Each window's end in whole seconds (docs/manifest.md, Windows and edges). */
  endSeconds: number[];
  /** [endSeconds.length, labels.length], row-major, in the output label order. */
  probs: Float32Array;
}

/**
 * Writes a BirdCLEF submission: header `row_id,<labels…>`, one row per window, rows ordered by
 * file stem (plain code-unit order, as a byte-wise sort would give) and then by end second
 * numerically (`x_10` after `x_5`). Values are clamped to [0, 1] and printed with a fixed number
 * of decimals. Everything is checked before the first byte is written: a NaN or Infinity, a
 * shape mismatch, a repeated stem or end second is an E_OUTPUT error and no file is touched. The
 * write is atomic (see `writeFileAtomic`), so a killed run never leaves half a CSV behind, and
 * the output folder is created if missing.
 */
export async function writeSubmission(
  outFile: string,
  labels: string[],
  files: FileScores[],
  opts: { decimals?: number } = {},
): Promise<{ rows: number }> {
  const decimals = opts.decimals ?? DEFAULT_DECIMALS;
  if (!Number.isInteger(decimals) || decimals < 1 || decimals > 12) {
    throw new AviaryError('E_USAGE', `decimals ${decimals} must be an integer from 1 to 12`, `the default is ${DEFAULT_DECIMALS}`);
  }
  if (labels.length === 0) {
    throw new AviaryError('E_LABELS', 'the submission has no label columns', 'give a label file with at least one label');
  }
  if (new Set(labels).size !== labels.length) {
    throw new AviaryError('E_LABELS', 'the submission label list repeats a label', 'each label may appear once');
  }

  const ordered = [...files].sort((a, b) => (a.stem < b.stem ? -1 : a.stem > b.stem ? 1 : 0));
  let rows = 0;
  for (let f = 0; f < ordered.length; f++) {
    if (f > 0 && ordered[f].stem === ordered[f - 1].stem) {
      throw new AviaryError('E_OUTPUT', `two files share the stem "${ordered[f].stem}", so their row ids would collide`, 'rename one of the recordings');
    }
    checkFile(ordered[f], labels.length);
    rows += ordered[f].endSeconds.length;
  }

  await writeFileAtomic(outFile, submissionChunks(labels, ordered, decimals));
  return { rows };
}

function checkFile(file: FileScores, nLabels: number): void {
  const { stem, endSeconds, probs } = file;
  if (probs.length !== endSeconds.length * nLabels) {
    throw new AviaryError('E_OUTPUT', `file "${stem}" has ${probs.length} scores for ${endSeconds.length} windows × ${nLabels} labels`);
  }
  const seen = new Set<number>();
  for (const end of endSeconds) {
    if (!Number.isInteger(end) || end < 0) {
      throw new AviaryError('E_OUTPUT', `file "${stem}" has window end ${end}; row ids need whole, non-negative seconds`);
    }
    if (seen.has(end)) throw new AviaryError('E_OUTPUT', `file "${stem}" has two windows ending at ${end} s`);
    seen.add(end);
  }
  for (let i = 0; i < probs.length; i++) {
    if (!Number.isFinite(probs[i])) {
      const window = Math.floor(i / nLabels);
      throw new AviaryError(
        'E_OUTPUT',
        `file "${stem}" has a non-finite score (${probs[i]}) at ${stem}_${endSeconds[window]}, label column ${i % nLabels}`,
        'a NaN or Infinity would make the submission invalid; check the models',
      );
    }
  }
}

/** The CSV text in chunks, so only ROWS_PER_CHUNK rows are ever held as strings at once. */
function* submissionChunks(labels: string[], files: FileScores[], decimals: number): Generator<string> {
  const nLabels = labels.length;
  yield stringify([['row_id', ...labels]]);
  let batch: string[][] = [];
  for (const { stem, endSeconds, probs } of files) {
    const order = endSeconds.map((_, i) => i).sort((a, b) => endSeconds[a] - endSeconds[b]);
    for (const w of order) {
      const row = new Array<string>(nLabels + 1);
      row[0] = `${stem}_${endSeconds[w]}`;
      for (let j = 0; j < nLabels; j++) {
        row[j + 1] = Math.min(1, Math.max(0, probs[w * nLabels + j])).toFixed(decimals);
      }
      batch.push(row);
      if (batch.length === ROWS_PER_CHUNK) {
        yield stringify(batch);
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield stringify(batch);
}
