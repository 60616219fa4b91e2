/**
 * Command lines that are wrong, through the real CLI: each exits 2 (bad usage) as `--help`
 * documents, names the option at fault, and writes nothing; exit 1 stays reserved for --strict.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { AviaryError } from '../../src/errors.js';
import { runSubmit } from '../../src/pipeline/submit.js';
import { runCli, submit } from '../helpers/cli.js';
import { tempDir, wavBytes, writeBytes } from '../helpers/wav-writer.js';

let root = '';
let input = '';
let cleanup: () => Promise<void> = async () => {};
let outputs = 0;
const freshOutput = () => path.join(root, `out-${outputs++}`);

before(async () => {
  ({ dir: root, cleanup } = await tempDir('aviary-usage-'));
  input = path.join(root, 'in');
  mkdirSync(input);
  const codes = Array.from({ length: 6 * 16000 }, (_, i) => Math.round(8000 * Math.sin(i / 7)));
  await writeBytes(
    input,
    'tone.wav',
    wavBytes({ sampleRateHz: 16000, bits: 16, channels: [codes] }),
  );
});
after(() => cleanup());

test('an even --smoothing exits 2 naming the option, before any file is scored or written', async () => {
  const output = freshOutput();
  const run = await submit(input, output, ['--smoothing', '2']);
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /--smoothing/);
  assert.match(run.stderr, /even/);
  assert.equal(existsSync(output), false);
});

test('runSubmit itself refuses an even smoothing before it looks at the models', async () => {
  const output = freshOutput();
  await assert.rejects(
    runSubmit(
      {
        input,
        output,
        modelsDir: path.join(root, 'no-models-here'),
        backend: 'auto',
        batchSize: 16,
        windowSec: 5,
        hopSec: 5,
        smoothing: 4,
        ensembleMode: 'mean',
        timeLimitMin: 120,
        fileTimeoutSec: 60,
        strict: false,
        quiet: true,
      },
      () => {},
    ),
    (err: unknown) =>
      err instanceof AviaryError && err.code === 'E_USAGE' && /smoothing width 4/.test(err.message),
  );
  assert.equal(existsSync(output), false);
});

test('an --output that is a file exits 2 naming it, and the file is left as it was', async () => {
  const output = path.join(root, 'not-a-folder');
  writeFileSync(output, 'keep me');
  const run = await submit(input, output);
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /E_USAGE: --output .*not-a-folder exists and is not a folder/);
  assert.equal(readFileSync(output, 'utf8'), 'keep me');
});

for (const args of [
  ['submit', '--workers', '0'],
  ['submit', '--window', '2.5'],
  ['submit', '--backend', 'tensorrt'],
  ['spectrogram', 'x.wav'],
  ['no-such-command'],
  [],
]) {
  test(`\`aviary ${args.join(' ')}\` is bad usage: exit 2`, async () => {
    const run = await runCli(args);
    assert.equal(run.code, 2, run.stderr);
    assert.ok(run.stderr.length > 0, 'commander explains the problem on stderr');
  });
}

test('--help and --version exit 0', async () => {
  assert.equal((await runCli(['submit', '--help'])).code, 0);
  assert.equal((await runCli(['--version'])).code, 0);
});

test('a --labels file that does not exist is a setup error: exit 3 naming it, no output', async () => {
  const output = freshOutput();
  const run = await submit(input, output, ['--labels', path.join(root, 'nope.csv')]);
  assert.equal(run.code, 3, run.stderr);
  assert.match(run.stderr, /E_LABELS: cannot read label file .*nope\.csv/);
  assert.equal(existsSync(output), false);
});

test('--workers above the cores is lowered to the cores, and the log says so', async () => {
  const cores = availableParallelism();
  const run = await submit(input, freshOutput(), [
    '--workers',
    String(cores + 5),
    '--threads',
    '1',
  ]);
  assert.equal(run.code, 0, run.stderr);
  assert.ok(run.stderr.includes(`note: --workers ${cores + 5} lowered to ${cores}`), run.stderr);
});
