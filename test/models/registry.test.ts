import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AviaryError } from '../../src/errors.js';
import { loadManifest } from '../../src/models/manifest.js';
import { loadModels } from '../../src/models/registry.js';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const tiny = path.join(repo, 'test', 'fixtures', 'tiny-model');

async function copyOfTiny(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'aviary-models-'));
  await cp(tiny, dir, { recursive: true });
  return dir;
}

async function editManifest(dir: string, edit: (m: Record<string, any>) => void): Promise<void> {
  const file = path.join(dir, 'tiny_b0', 'manifest.json');
  const m = JSON.parse(await readFile(file, 'utf8'));
  edit(m);
  await writeFile(file, JSON.stringify(m));
}

function rejectsWith(code: string, pattern: RegExp) {
  return (err: unknown) => err instanceof AviaryError && err.code === code && pattern.test(err.message);
}

test('the tiny fixture models load with absolute weight paths and their input shape', async () => {
  const models = await loadModels(tiny);
  assert.deepEqual(models.map((m) => m.name), ['tiny_b0', 'tiny_b0_b']);
  const m = models[0];
  assert.deepEqual(m.input.shape, [-1, 1, 32, 161]);
  assert.ok(path.isAbsolute(m.files.openvino!) && m.files.openvinoBin!.endsWith('.bin'));
  assert.equal(m.frontend.sampleRateHz, 16000);
});

test('asking for a model that is not there names what is available', async () => {
  await assert.rejects(loadModels(tiny, { names: ['nope'] }), rejectsWith('E_MANIFEST', /no model named nope/));
});

test('a manifest whose input shape disagrees with its front-end is refused', async () => {
  const dir = await copyOfTiny();
  await editManifest(dir, (m) => (m.input.shape = [-1, 1, 32, 160]));
  await assert.rejects(loadManifest(path.join(dir, 'tiny_b0')), rejectsWith('E_MANIFEST', /does not match the front-end.*161/));
  await rm(dir, { recursive: true });
});

test('a missing OpenVINO .bin is an error naming the file', async () => {
  const dir = await copyOfTiny();
  await rm(path.join(dir, 'tiny_b0', 'model.bin'));
  await assert.rejects(loadManifest(path.join(dir, 'tiny_b0')), rejectsWith('E_MODEL_FILE', /model\.bin/));
  await rm(dir, { recursive: true });
});

test('a manifest named differently from its folder, or with repeated labels, is refused', async () => {
  const dir = await copyOfTiny();
  await editManifest(dir, (m) => (m.name = 'other'));
  await assert.rejects(loadManifest(path.join(dir, 'tiny_b0')), rejectsWith('E_MANIFEST', /must equal the folder name/));
  await editManifest(dir, (m) => {
    m.name = 'tiny_b0';
    m.labels = ['a', 'a', 'b', 'c'];
  });
  await assert.rejects(loadManifest(path.join(dir, 'tiny_b0')), rejectsWith('E_MANIFEST', /labels must not repeat/));
  await rm(dir, { recursive: true });
});

test('a models folder with no manifests at all says where to put them', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'aviary-empty-'));
  await assert.rejects(loadModels(dir), rejectsWith('E_MANIFEST', /no student models found/));
  await assert.rejects(loadModels(path.join(dir, 'missing')), rejectsWith('E_MANIFEST', /does not exist/));
  await rm(dir, { recursive: true });
});
