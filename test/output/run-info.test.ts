import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { AviaryError } from '../../src/errors.js';
import { runtimeVersions, writeRunInfo } from '../../src/output/run-info.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'aviary-runinfo-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('run-info.json lands in the output folder and keeps failures with their codes', async () => {
  const outDir = path.join(dir, 'run1');
  const written = await writeRunInfo(outDir, {
    settings: { smoothing: 3, ensemble: 'mean' },
    models: [{ name: 'student_b0_a', weight: 1.5, backend: 'openvino' }],
    versions: runtimeVersions(),
    timings: { totalSec: 12.5, perStage: new Map([['decode', 2.5]]) },
    failures: [{ file: 'broken.ogg', error: new AviaryError('E_DECODE', 'bad page') }],
    thresholds: new Float32Array([0.5, 0.25]),
  });
  assert.equal(written, path.join(outDir, 'run-info.json'));
  const info = JSON.parse(await readFile(written, 'utf8'));
  assert.deepEqual(info.settings, { smoothing: 3, ensemble: 'mean' });
  assert.equal(info.models[0].weight, 1.5);
  assert.equal(info.versions.node, process.versions.node);
  assert.deepEqual(info.timings.perStage, { decode: 2.5 });
  assert.deepEqual(info.failures[0].error, { name: 'AviaryError', message: 'bad page', code: 'E_DECODE' });
  assert.deepEqual(info.thresholds, [0.5, 0.25]);
});

test('a run info with a cycle is an E_OUTPUT error', async () => {
  const info: Record<string, unknown> = {};
  info.self = info;
  await assert.rejects(
    writeRunInfo(dir, info),
    (err: unknown) => err instanceof AviaryError && err.code === 'E_OUTPUT' && /cannot serialise/.test(err.message),
  );
});
