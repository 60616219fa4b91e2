import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Journal, runSignature } from '../../src/pipeline/journal.js';

async function fixture() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'aviary-journal-'));
  const audio = path.join(dir, 'rec.wav');
  await writeFile(audio, 'pretend audio');
  return { dir, audio };
}

test('a journal returns the exact float32 probabilities it was given', async () => {
  const { dir, audio } = await fixture();
  const sig = await runSignature({ models: ['a'] });
  const journal = await Journal.open(dir, sig);
  const { size, mtimeMs } = await import('node:fs').then((fs) => fs.statSync(audio));
  const probs = new Float32Array([0.1, 1 / 3, 0.999999, 1e-8]);
  await journal.append({ file: audio, sizeBytes: size, mtimeMs: Math.round(mtimeMs), stem: 'rec', endSeconds: [5, 10], probs, durationSec: 7.5 });
  await journal.close();
  const loaded = await (await Journal.open(dir, sig)).load();
  const entry = loaded.get(audio)!;
  assert.deepEqual(Array.from(entry.probs), Array.from(probs));
  assert.deepEqual(entry.endSeconds, [5, 10]);
});

test('a line torn by a kill is ignored and later appends still parse', async () => {
  const { dir, audio } = await fixture();
  const journal = await Journal.open(dir, 'sig');
  const { size, mtimeMs } = await import('node:fs').then((fs) => fs.statSync(audio));
  await appendFile(journal.path, '{"file": "/x/half-writ');
  await journal.append({ file: audio, sizeBytes: size, mtimeMs: Math.round(mtimeMs), stem: 'rec', endSeconds: [5], probs: new Float32Array([0.5]), durationSec: 5 });
  await journal.close();
  const loaded = await (await Journal.open(dir, 'sig')).load();
  assert.deepEqual([...loaded.keys()], [audio]);
  assert.match(await readFile(journal.path, 'utf8'), /half-writ\n/);
});

test('an entry whose recording changed since is not reused', async () => {
  const { dir, audio } = await fixture();
  const journal = await Journal.open(dir, 'sig');
  await journal.append({ file: audio, sizeBytes: 1, mtimeMs: 0, stem: 'rec', endSeconds: [5], probs: new Float32Array([0.5]), durationSec: 5 });
  await journal.close();
  assert.equal((await (await Journal.open(dir, 'sig')).load()).size, 0);
});

test('different run settings give different signatures', async () => {
  assert.notEqual(await runSignature({ window: 5 }), await runSignature({ window: 10 }));
  assert.equal(await runSignature({ window: 5 }), await runSignature({ window: 5 }));
});
