/**
 * Near the time limit the CSV is still complete: files the run could not score in time get the
 * fallback rows documented in src/pipeline/deadline.ts (per-label mean of the windows scored in
 * the run, 0 when none was), and run-info.json names them. Built CLI, synthetic WAVs.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { expectedRows, makeRecordings, readJson, rowsByStem, runCli, tinyModels } from './helpers.js';

const DURATIONS_SEC = [60, 45, 62, 58, 30, 61, 40, 55, 63, 50, 57, 44];
const STEMS = DURATIONS_SEC.map((_, i) => `rec_${String(i).padStart(2, '0')}`);
/** CSV cells carry 6 decimals; a mean recomputed from them may differ by this much. */
const CSV_TOLERANCE = 2e-6;

let input: string;
const outputs: string[] = [];
let reference: Map<string, string[][]>;

function newOutput(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'aviary-limit-out-'));
  outputs.push(dir);
  return dir;
}

function submit(output: string, extra: string[] = []) {
  return runCli(['submit', '-q', '-i', input, '-o', output, '-m', tinyModels, '--workers', '2', '--threads', '1', ...extra]);
}

before(async () => {
  input = makeRecordings(DURATIONS_SEC);
  const out = newOutput();
  const run = await submit(out);
  assert.equal(run.code, 0, run.stderr);
  reference = rowsByStem(readFileSync(path.join(out, 'submission.csv'), 'utf8'));
  console.log(`reference run without a limit: ${run.ms} ms`);
});

after(() => {
  for (const dir of [input, ...outputs]) rmSync(dir, { recursive: true, force: true });
});

/**
 * The checks every time-limited run must pass: all rows present; scored files equal to the
 * reference; fallback files constant at the recorded value, which is the mean of the scored rows.
 */
function checkCompleteWithFallback(output: string): { fallback: string[]; value: number[] | null } {
  const info = readJson(path.join(output, 'run-info.json'));
  const rows = rowsByStem(readFileSync(path.join(output, 'submission.csv'), 'utf8'));
  const fallback: string[] = info.timeLimit.fallbackFiles.map((f: string) => path.basename(f, '.wav'));
  const value: number[] | null = info.timeLimit.fallbackValue;
  assert.deepEqual(info.failures, []);
  const scoredWindows: number[][] = [];
  STEMS.forEach((stem, i) => {
    assert.equal(rows.get(stem)?.length, expectedRows(DURATIONS_SEC[i]), `${stem} rows`);
    assert.deepEqual(
      rows.get(stem)!.map((r) => r[0]),
      reference.get(stem)!.map((r) => r[0]),
      `${stem} row ids`,
    );
    if (fallback.includes(stem)) {
      for (const r of rows.get(stem)!) assert.deepEqual(r.slice(1), value!.map((v) => v.toFixed(6)), stem);
    } else {
      assert.deepEqual(rows.get(stem), reference.get(stem), `${stem} was scored and must match the reference`);
      scoredWindows.push(...rows.get(stem)!.map((r) => r.slice(1).map(Number)));
    }
  });
  if (fallback.length > 0) {
    const nLabels = value!.length;
    for (let k = 0; k < nLabels; k++) {
      const mean = scoredWindows.length ? scoredWindows.reduce((s, w) => s + w[k], 0) / scoredWindows.length : 0;
      assert.ok(Math.abs(value![k] - mean) <= CSV_TOLERANCE, `label ${k}: fallback ${value![k]} vs mean ${mean}`);
    }
  }
  return { fallback, value };
}

test('a limit smaller than the reserve scores nothing and still writes every row, all 0', async () => {
  const out = newOutput();
  const run = await submit(out, ['--time-limit', '0.02']);
  assert.equal(run.code, 0, run.stderr);
  const { fallback, value } = checkCompleteWithFallback(out);
  assert.deepEqual(fallback, STEMS);
  assert.deepEqual(value, [0, 0, 0, 0]);
  assert.match(run.stderr, /time limit: 12 recordings not scored within 0\.02 min get fallback rows .*none, so 0/);
  const info = readJson(path.join(out, 'run-info.json'));
  // 1.2 s of limit; counting the windows of 12 WAVs takes a few ms. The slack is for loading
  // the models and starting the workers, which no limit can skip, on a busy machine.
  assert.ok(info.timings.wallMs < 1200 + 800, `wall ${info.timings.wallMs} ms`);
});

test('files resumed from the journal count as scored and set the fallback mean for the rest', async () => {
  // A full run, then its journal cut to the first 5 files: what a run killed early leaves.
  const out = newOutput();
  assert.equal((await submit(out)).code, 0);
  const journalDir = path.join(out, '.aviary-journal');
  const [journalFile] = readdirSync(journalDir);
  const lines = readFileSync(path.join(journalDir, journalFile), 'utf8').split('\n').filter(Boolean);
  const kept = lines.filter((l) => STEMS.slice(0, 5).includes(JSON.parse(l).stem));
  assert.equal(kept.length, 5);
  writeFileSync(path.join(journalDir, journalFile), kept.join('\n') + '\n');

  const run = await submit(out, ['--time-limit', '0.02']);
  assert.equal(run.code, 0, run.stderr);
  const { fallback, value } = checkCompleteWithFallback(out);
  assert.deepEqual(fallback, STEMS.slice(5));
  assert.ok(value!.every((v) => v > 0), `a mean of softmax-like scores is positive: ${value}`);
});

test('a limit that runs out mid-run splits the files into scored and fallback, complete either way', async () => {
  const out = newOutput();
  const run = await submit(out, ['--time-limit', '0.04']);
  assert.equal(run.code, 0, run.stderr);
  const { fallback } = checkCompleteWithFallback(out);
  console.log(`--time-limit 0.04: ${STEMS.length - fallback.length} scored, ${fallback.length} fallback, ${run.ms} ms`);
  const { wallMs } = readJson(path.join(out, 'run-info.json')).timings;
  assert.ok(wallMs < 2400 + 800, `wall ${wallMs} ms for a 2.4 s limit`);
});

test('fallback rows are not journaled, so a rerun without the limit scores those files', async () => {
  const out = newOutput();
  assert.equal((await submit(out, ['--time-limit', '0.02'])).code, 0);
  const run = await submit(out);
  assert.equal(run.code, 0, run.stderr);
  const { fallback } = checkCompleteWithFallback(out);
  assert.deepEqual(fallback, []);
  assert.deepEqual(rowsByStem(readFileSync(path.join(out, 'submission.csv'), 'utf8')), reference);
});
