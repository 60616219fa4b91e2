import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { AviaryError } from '../../src/errors.js';
import { alignModels, readLabelOrder } from '../../src/output/labels.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'aviary-labels-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function labelFile(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

function labelsError(pattern: RegExp) {
  return (err: unknown) => err instanceof AviaryError && err.code === 'E_LABELS' && pattern.test(err.message);
}

test('a sample submission gives the header columns after row_id, in order', async () => {
  const file = await labelFile('sample_submission.csv', '\ufeffrow_id,zitcis1,asbfly,ashdro1\nsoundscape_1_5,0.1,0.2,0.3\n');
  assert.deepEqual(await readLabelOrder(file), ['zitcis1', 'asbfly', 'ashdro1']);
});

test('a taxonomy CSV gives its primary_label values in row order, quoted commas and all', async () => {
  const file = await labelFile(
    'taxonomy.csv',
    'inat_taxon_id,primary_label,common_name\n1,ashdro1,"Ashy Drongo, grey"\n2,asbfly,Asian Brown Flycatcher\r\n3,barowl,Barn Owl\n',
  );
  assert.deepEqual(await readLabelOrder(file), ['ashdro1', 'asbfly', 'barowl']);
});

test('a taxonomy CSV without primary_label falls back to its SPECIES_CODE column', async () => {
  const file = await labelFile('ebird.csv', 'SCI_NAME,SPECIES_CODE\nTyto alba,brnowl\nPyrrhula pyrrhula,eurbul\n');
  assert.deepEqual(await readLabelOrder(file), ['brnowl', 'eurbul']);
});

test('a plain text file gives one label per line, skipping blank lines and trimming', async () => {
  const file = await labelFile('labels.txt', 'barn_owl\n\n  bullfinch \r\nrobin\n');
  assert.deepEqual(await readLabelOrder(file), ['barn_owl', 'bullfinch', 'robin']);
});

test('a file with no labels is an E_LABELS error naming the file', async () => {
  const empty = await labelFile('empty.txt', '\n\n');
  await assert.rejects(readLabelOrder(empty), labelsError(/empty\.txt has no labels/));
  const headerOnly = await labelFile('only_row_id.csv', 'row_id\n');
  await assert.rejects(readLabelOrder(headerOnly), labelsError(/only_row_id\.csv has no labels/));
  const unknown = await labelFile('scores.csv', 'file,score\na.wav,0.5\n');
  await assert.rejects(readLabelOrder(unknown), labelsError(/scores\.csv has no labels.*primary_label or species_code/));
});

test('a label file that repeats a label is refused with the repeated name', async () => {
  const file = await labelFile('dupes.txt', 'robin\nwren\nrobin\n');
  await assert.rejects(readLabelOrder(file), labelsError(/dupes\.txt repeats robin/));
});

test('a missing label file is an E_LABELS (setup) error naming it', async () => {
  await assert.rejects(
    readLabelOrder(path.join(dir, 'nope.csv')),
    (err: unknown) => err instanceof AviaryError && err.code === 'E_LABELS' && /nope\.csv/.test(err.message),
  );
});

test('alignment finds each output label in models whose label orders are permuted', () => {
  const output = ['a', 'b', 'c'];
  const models = [
    { name: 'm1', labels: ['c', 'a', 'extra', 'b'] },
    { name: 'm2', labels: ['b', 'c', 'a'] },
  ];
  const columns = alignModels(output, models);
  assert.deepEqual(columns, [
    [1, 3, 0],
    [2, 0, 1],
  ]);
  columns.forEach((cols, m) => assert.deepEqual(cols.map((c) => models[m].labels[c]), output));
});

test('a label missing from a model is an error listing the labels and the model', () => {
  assert.throws(
    () =>
      alignModels(['a', 'b', 'c'], [
        { name: 'full', labels: ['a', 'b', 'c'] },
        { name: 'student_b0_a', labels: ['a'] },
        { name: 'teacher', labels: ['c', 'b'] },
      ]),
    labelsError(/model "student_b0_a" lacks 2 of the 3 output labels: b, c; model "teacher" lacks 1 of the 3 output labels: a$/),
  );
});
