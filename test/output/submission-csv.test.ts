import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { AviaryError } from '../../src/errors.js';
import { writeSubmission } from '../../src/output/submission-csv.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'aviary-csv-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readCsv(file: string): Promise<string[][]> {
  return parse(await readFile(file, 'utf8'));
}

const labels = ['barn_owl', 'robin'];

test('rows are ordered by stem in code-unit order, then by end second numerically', async () => {
  const ends = [5, 10, 15, 20, 25, 30, 35, 40, 45, 50];
  const long = { stem: 'b', endSeconds: ends, probs: new Float32Array(ends.flatMap((e) => [e / 100, 1 - e / 100])) };
  // Given out of order: the window ending at 10 s comes first, with its scores.
  const short = { stem: 'a', endSeconds: [10, 5], probs: new Float32Array([0.1, 0.2, 0.3, 0.4]) };
  const upper = { stem: 'B', endSeconds: [5], probs: new Float32Array([0.5, 0.5]) };
  const file = path.join(dir, 'order.csv');
  const { rows } = await writeSubmission(file, labels, [long, short, upper]);

  const table = await readCsv(file);
  assert.deepEqual(table[0], ['row_id', 'barn_owl', 'robin']);
  assert.equal(rows, 13);
  assert.equal(table.length, 1 + 13);
  const ids = table.slice(1).map((row) => row[0]);
  assert.deepEqual(ids, ['B_5', 'a_5', 'a_10', ...ends.map((e) => `b_${e}`)]);
  assert.deepEqual(table[2], ['a_5', '0.300000', '0.400000']);
  assert.deepEqual(table[3], ['a_10', '0.100000', '0.200000']);
  assert.deepEqual(table[5], ['b_10', '0.100000', '0.900000']);
  assert.deepEqual(table[13], ['b_50', '0.500000', '0.500000']);
});

test('values are clamped to [0, 1] and printed with the asked number of decimals', async () => {
  const file = path.join(dir, 'decimals.csv');
  const files = [{ stem: 'x', endSeconds: [5], probs: new Float32Array([0.1234567, 1.5]) }];
  await writeSubmission(file, labels, files);
  assert.deepEqual((await readCsv(file))[1], ['x_5', '0.123457', '1.000000']);
  files[0].probs = new Float32Array([-0.25, 0.98765]);
  await writeSubmission(file, labels, files, { decimals: 3 });
  assert.deepEqual((await readCsv(file))[1], ['x_5', '0.000', '0.988']);
  await assert.rejects(writeSubmission(file, labels, files, { decimals: 0 }), /decimals 0 must be an integer from 1 to 12/);
});

test('a label with a comma is quoted so the CSV still parses to the same header', async () => {
  const file = path.join(dir, 'quoted.csv');
  await writeSubmission(file, ['owl, barn', 'robin'], [{ stem: 'x', endSeconds: [5], probs: new Float32Array([0, 1]) }]);
  assert.deepEqual((await readCsv(file))[0], ['row_id', 'owl, barn', 'robin']);
});

test('a submission larger than one chunk keeps every row, in order', async () => {
  const n = 1200;
  const ends = Array.from({ length: n }, (_, i) => 5 * (i + 1));
  const probs = new Float32Array(n * 2).map((_, i) => (i % 2 === 0 ? 0.25 : 0.75));
  const file = path.join(dir, 'many.csv');
  const { rows } = await writeSubmission(file, labels, [{ stem: 'long', endSeconds: ends, probs }]);
  const table = await readCsv(file);
  assert.equal(rows, n);
  assert.equal(table.length, n + 1);
  assert.deepEqual(table[n], [`long_${5 * n}`, '0.250000', '0.750000']);
  assert.deepEqual(table.slice(1).map((r) => Number(r[0].slice(5))), ends);
});

test('a NaN score is refused before writing and the previous submission survives', async () => {
  const file = path.join(dir, 'keep.csv');
  await writeFile(file, 'previous\n');
  const files = [{ stem: 'x', endSeconds: [5, 10], probs: new Float32Array([0.1, 0.2, NaN, 0.4]) }];
  await assert.rejects(
    writeSubmission(file, labels, files),
    (err: unknown) => err instanceof AviaryError && err.code === 'E_OUTPUT' && /non-finite score \(NaN\) at x_10, label column 0/.test(err.message),
  );
  assert.equal(await readFile(file, 'utf8'), 'previous\n');
});

test('the output folder is created when missing', async () => {
  const file = path.join(dir, 'new', 'deeper', 'submission.csv');
  await writeSubmission(file, labels, [{ stem: 'x', endSeconds: [5], probs: new Float32Array([0.5, 0.5]) }]);
  assert.equal((await readCsv(file)).length, 2);
});

test('a folder that cannot be created is an E_OUTPUT error and leaves no file', async () => {
  const blocker = path.join(dir, 'not-a-folder');
  await writeFile(blocker, 'a file where a folder should be');
  const file = path.join(blocker, 'submission.csv');
  await assert.rejects(
    writeSubmission(file, labels, [{ stem: 'x', endSeconds: [5], probs: new Float32Array([0.5, 0.5]) }]),
    (err: unknown) => err instanceof AviaryError && err.code === 'E_OUTPUT' && err.message.includes(file),
  );
  assert.equal(await readFile(blocker, 'utf8'), 'a file where a folder should be');
});

test('two files with the same stem are refused because their row ids would collide', async () => {
  const one = { stem: 'x', endSeconds: [5], probs: new Float32Array([0.5, 0.5]) };
  const file = path.join(dir, 'collide.csv');
  await assert.rejects(writeSubmission(file, labels, [one, { ...one }]), /two files share the stem "x"/);
  assert.ok(!(await readdir(dir)).includes('collide.csv'));
});
