import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { AviaryError } from '../../src/errors.js';
import { writeFileAtomic } from '../../src/output/atomic-write.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'aviary-atomic-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('chunks of strings and bytes are written in order into one file', async () => {
  const file = path.join(dir, 'chunks.txt');
  await writeFileAtomic(file, ['row_id,a\n', new TextEncoder().encode('x_5,0.5\n'), 'x_10,0.25\n']);
  assert.equal(await readFile(file, 'utf8'), 'row_id,a\nx_5,0.5\nx_10,0.25\n');
});

test('a throw before the rename leaves the old file intact and no temp file behind', async () => {
  const sub = await mkdtemp(path.join(dir, 'fail-'));
  const file = path.join(sub, 'submission.csv');
  await writeFile(file, 'old complete file\n');
  async function* halfThenCrash() {
    yield 'row_id,a\n';
    yield 'x_5,0.5\n';
    throw new Error('killed mid-write');
  }
  await assert.rejects(
    writeFileAtomic(file, halfThenCrash()),
    (err: unknown) => err instanceof AviaryError && err.code === 'E_OUTPUT' && /killed mid-write/.test(err.message),
  );
  assert.equal(await readFile(file, 'utf8'), 'old complete file\n');
  assert.deepEqual(await readdir(sub), ['submission.csv']);
});

test('a throw before the rename of a new file leaves nothing at all', async () => {
  const sub = await mkdtemp(path.join(dir, 'fresh-'));
  function* crash(): Generator<string> {
    yield 'partial';
    throw new Error('boom');
  }
  await assert.rejects(writeFileAtomic(path.join(sub, 'out.csv'), crash()), /boom/);
  assert.deepEqual(await readdir(sub), []);
});

test('a replaced file holds only the new content, even when the new one is shorter', async () => {
  const file = path.join(dir, 'replace.txt');
  await writeFileAtomic(file, 'a much longer first version\n');
  await writeFileAtomic(file, 'short\n');
  assert.equal(await readFile(file, 'utf8'), 'short\n');
});
