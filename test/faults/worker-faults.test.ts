/**
 * A worker that crashes and one that hangs cost their own file only: both are retried once and
 * reported, the other files get all their rows, and the pool ends the run at its full size.
 * Runs the built CLI over synthetic WAVs; the faults come from the worker's test hooks
 * (AVIARY_TEST_CRASH_ON / AVIARY_TEST_HANG_ON in src/worker/score-file.ts).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { expectedRows, makeRecordings, readJson, rowsByStem, runCli, tinyModels, type CliRun } from './helpers.js';

const DURATIONS_SEC = [12, 7, 20, 15, 3, 11];
const CRASH = 'rec_01.wav';
const HANG = 'rec_03.wav';
const FILE_TIMEOUT_SEC = 3;

let input: string;
let output: string;
let faulty: CliRun;
let clean: CliRun;
let cleanOutput: string;

before(async () => {
  input = makeRecordings(DURATIONS_SEC);
  output = mkdtempSync(path.join(tmpdir(), 'aviary-faults-out-'));
  cleanOutput = mkdtempSync(path.join(tmpdir(), 'aviary-faults-ref-'));
  const args = ['submit', '-q', '-i', input, '-m', tinyModels, '--workers', '2', '--threads', '1'];
  faulty = await runCli([...args, '-o', output, '--file-timeout', String(FILE_TIMEOUT_SEC)], {
    env: { AVIARY_TEST_CRASH_ON: CRASH, AVIARY_TEST_HANG_ON: HANG },
  });
  clean = await runCli([...args, '-o', cleanOutput]);
  console.log(`faulty run ${faulty.ms} ms, clean run ${clean.ms} ms`);
});

after(() => {
  for (const dir of [input, output, cleanOutput]) rmSync(dir, { recursive: true, force: true });
});

test('a run with a crashing and a hanging worker still exits 0 and writes the CSV', () => {
  assert.equal(faulty.code, 0, faulty.stderr);
  assert.ok(existsSync(path.join(output, 'submission.csv')));
});

test('the crashed and the hung file are reported as failed after exactly one retry', () => {
  const info = readJson(path.join(output, 'run-info.json'));
  const byName = new Map(info.failures.map((f: { file: string }) => [path.basename(f.file), f]));
  assert.deepEqual([...byName.keys()].sort(), [CRASH, HANG]);
  const crash = byName.get(CRASH) as { code: string; message: string };
  const hang = byName.get(HANG) as { code: string; message: string };
  assert.equal(crash.code, 'E_WORKER');
  assert.match(crash.message, /exited with code: 70; retried once/);
  assert.equal(hang.code, 'E_TIMEOUT');
  assert.match(hang.message, new RegExp(`no result within ${FILE_TIMEOUT_SEC} s .*retried once`));
  // Two attempts each, one per line of the log, none for other files.
  assert.equal((faulty.stderr.match(/^failed: /gm) ?? []).length, 2);
  assert.ok(faulty.stderr.includes(`${CRASH}: E_WORKER`), faulty.stderr);
  assert.ok(faulty.stderr.includes(`${HANG}: E_TIMEOUT`), faulty.stderr);
});

test('every other file has all its rows, equal to those of a run without faults', () => {
  assert.equal(clean.code, 0, clean.stderr);
  const got = rowsByStem(readFileSync(path.join(output, 'submission.csv'), 'utf8'));
  const want = rowsByStem(readFileSync(path.join(cleanOutput, 'submission.csv'), 'utf8'));
  DURATIONS_SEC.forEach((sec, i) => {
    const stem = `rec_${String(i).padStart(2, '0')}`;
    if (`${stem}.wav` === CRASH || `${stem}.wav` === HANG) {
      assert.equal(got.has(stem), false, `${stem} failed and must have no rows`);
      return;
    }
    assert.equal(got.get(stem)?.length, expectedRows(sec), stem);
    assert.deepEqual(got.get(stem), want.get(stem), stem);
  });
});

test('crashed and terminated workers are replaced, so the pool ends the run with 2 workers', () => {
  const { pool } = readJson(path.join(output, 'run-info.json'));
  // Each faulty file costs two workers (first attempt and retry): 2 crashes, 2 terminations,
  // and four replacement threads on top of the first two.
  assert.deepEqual(pool, { size: 2, threads: 2, started: 6, destroyed: 4, crashes: 2, timeouts: 2 });
  assert.match(faulty.stderr, /pool: 2 of 2 workers at the end; 4 started to replace 2 crashed and 2 timed-out attempts/);
  const cleanPool = readJson(path.join(cleanOutput, 'run-info.json')).pool;
  assert.deepEqual(cleanPool, { size: 2, threads: 2, started: 2, destroyed: 0, crashes: 0, timeouts: 0 });
});

test('the hung file costs about two file timeouts, not the whole run', () => {
  // Two attempts of 3 s each; the other files are scored meanwhile on the second worker.
  assert.ok(faulty.ms >= 2 * FILE_TIMEOUT_SEC * 1000, `${faulty.ms} ms`);
  assert.ok(faulty.ms < 2 * FILE_TIMEOUT_SEC * 1000 + 15_000, `${faulty.ms} ms`);
});
