/**
 * Runs that cannot start, through the real CLI: an unusable model folder or manifest exits 3
 * before any audio is read, naming the file at fault; a missing or empty input folder, or one
 * where no recording decodes, exits 4 naming the folder and how to point elsewhere.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { TINY_MODELS, submit } from '../helpers/cli.js';
import { tempDir, wavBytes, writeBytes } from '../helpers/wav-writer.js';

let root = '';
let cleanup: () => Promise<void> = async () => {};
/** A folder holding one good 6 s recording, so only the models can be at fault. */
let goodInput = '';

before(async () => {
  ({ dir: root, cleanup } = await tempDir('aviary-setup-'));
  goodInput = path.join(root, 'good-input');
  await mkdir(goodInput);
  const codes = Array.from({ length: 6 * 16000 }, (_, i) => Math.round(8000 * Math.sin(i / 5)));
  await writeBytes(goodInput, 'tone.wav', wavBytes({ sampleRateHz: 16000, bits: 16, channels: [codes] }));
});
after(() => cleanup());

let modelCopies = 0;
/**
 * A models folder holding a copy of tiny_b0, minus `omit`, with `edit` applied to its manifest.
 * Returns the folder and the copied model's own folder.
 */
async function brokenModels(
  edit: (manifest: any) => void,
  omit: string[] = [],
): Promise<{ modelsDir: string; modelDir: string }> {
  const modelsDir = path.join(root, `models-${modelCopies++}`);
  const modelDir = path.join(modelsDir, 'tiny_b0');
  await mkdir(modelDir, { recursive: true });
  for (const f of ['model.xml', 'model.bin', 'model.onnx']) {
    if (!omit.includes(f)) await copyFile(path.join(TINY_MODELS, 'tiny_b0', f), path.join(modelDir, f));
  }
  const manifest = JSON.parse(await readFile(path.join(TINY_MODELS, 'tiny_b0', 'manifest.json'), 'utf8'));
  edit(manifest);
  await writeFile(path.join(modelDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return { modelsDir, modelDir };
}

/** Runs submit with `-m modelsDir` and asserts exit 3 with `names` in stderr and no output. */
async function assertSetupFailure(modelsDir: string, names: string, input = goodInput) {
  const output = path.join(root, `out-${modelCopies++}`);
  const run = await submit(input, output, [], modelsDir);
  assert.equal(run.code, 3, run.stderr);
  assert.ok(run.stderr.includes(names), `stderr does not name ${names}:\n${run.stderr}`);
  // Nothing was scored or written: not even the output folder or the resume journal exists.
  assert.equal(existsSync(output), false, 'the output folder was created');
  return run;
}

test('-m naming a folder that does not exist exits 3, naming it and --models-dir', async () => {
  const run = await assertSetupFailure('/nonexistent', '/nonexistent');
  assert.match(run.stderr, /E_MANIFEST/);
  assert.match(run.stderr, /--models-dir/);
});

test('a bad model folder exits 3 even when the input folder is missing too: models are checked first', async () => {
  const run = await assertSetupFailure('/nonexistent', '/nonexistent', path.join(root, 'no-such-input'));
  assert.doesNotMatch(run.stderr, /no-such-input/);
});

test('a manifest whose input shape disagrees with its front-end exits 3, naming the manifest', async () => {
  const { modelsDir, modelDir } = await brokenModels((m) => {
    m.input.shape = [-1, 1, 64, 161]; // the front-end makes 32 mel bands
  });
  const run = await assertSetupFailure(modelsDir, path.join(modelDir, 'manifest.json'));
  assert.match(run.stderr, /E_MANIFEST/);
  assert.match(run.stderr, /shape/);
});

test('a model whose OpenVINO .bin is missing exits 3, naming the .bin', async () => {
  const { modelsDir, modelDir } = await brokenModels(() => {}, ['model.bin']);
  const run = await assertSetupFailure(modelsDir, path.join(modelDir, 'model.bin'));
  assert.match(run.stderr, /E_MODEL_FILE/);
});

test('a manifest that is not JSON exits 3, naming it', async () => {
  const { modelsDir, modelDir } = await brokenModels(() => {});
  await writeFile(path.join(modelDir, 'manifest.json'), '{ "schema": "aviary.model/1", ');
  const run = await assertSetupFailure(modelsDir, path.join(modelDir, 'manifest.json'));
  assert.match(run.stderr, /E_MANIFEST/);
});

test('a missing input folder exits 4, naming the folder and --input', async () => {
  const missing = path.join(root, 'no-such-recordings');
  const run = await submit(missing, path.join(root, 'out-missing'));
  assert.equal(run.code, 4, run.stderr);
  assert.match(run.stderr, /E_INPUT_MISSING/);
  assert.ok(run.stderr.includes(missing), run.stderr);
  assert.match(run.stderr, /--input DIR/);
});

test('an input folder without recordings exits 4 with E_NO_AUDIO, naming it and --input', async () => {
  const dir = path.join(root, 'only-text');
  await mkdir(dir);
  await writeFile(path.join(dir, 'notes.txt'), 'no audio here\n');
  const run = await submit(dir, path.join(root, 'out-text'));
  assert.equal(run.code, 4, run.stderr);
  assert.match(run.stderr, /E_NO_AUDIO/);
  assert.ok(run.stderr.includes(dir), run.stderr);
  assert.match(run.stderr, /--input DIR/);
});

test('a folder where no recording decodes exits 4 and names each file', async () => {
  const dir = path.join(root, 'all-bad');
  await mkdir(dir);
  await writeFile(path.join(dir, 'empty.flac'), '');
  await writeFile(path.join(dir, 'words.ogg'), 'not a recording at all');
  const output = path.join(root, 'out-all-bad');
  const run = await submit(dir, output, ['--workers', '1', '--threads', '1']);
  assert.equal(run.code, 4, run.stderr);
  assert.match(run.stderr, /none of the 2 recordings could be scored/);
  for (const f of ['empty.flac', 'words.ogg']) assert.ok(run.stderr.includes(path.join(dir, f)), run.stderr);
  assert.equal(existsSync(path.join(output, 'submission.csv')), false);
});
