/**
 * The offline bundle (scripts/bundle.sh): unpacked into a temp folder and run with networking
 * switched off (`unshare -n`) and a bare environment (`env -i`), it must score real recordings
 * with the OpenVINO libraries of its own lib/openvino/, exactly as the repository's build does.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const dataDir = path.resolve(repoRoot, '..', 'shared', 'data');
const modelsDir = path.join(repoRoot, 'models');
const version = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'))
  .version as string;
const bundleName = `aviary-${version}-linux-x64`;
const tarball = path.join(repoRoot, 'dist', `${bundleName}.tar.gz`);
/** Three formats, 10 s to 20 s: ogg 32 kHz, wav 22 kHz, flac 44.1 kHz. */
const RECORDINGS = [
  'maad_jura_S4A03895_20190522_000000.ogg',
  'maad_jura_S4A03895_20190522_013000.wav',
  'maad_spinetail.flac',
];
const OPENVINO_FILES = [
  'libhwloc.so.15',
  'libopenvino.so.2641',
  'libopenvino_c.so.2641',
  'libopenvino_intel_cpu_plugin.so',
  'libopenvino_ir_frontend.so.2641',
  'libtbb.so.12',
  'libtbbbind_2_5.so.3',
  'libtbbmalloc.so.2',
];

function readManifest(name: string): { role: string; labels: string[] } {
  return JSON.parse(readFileSync(path.join(modelsDir, name, 'manifest.json'), 'utf8'));
}

/** The model folders of the repository's models/ whose manifest role passes `keep`, sorted. */
function modelNames(keep: (role: string) => boolean): string[] {
  return readdirSync(modelsDir)
    .filter(
      (name) =>
        existsSync(path.join(modelsDir, name, 'manifest.json')) && keep(readManifest(name).role),
    )
    .sort();
}

/** The CSV columns after row_id: the first student's labels (the shipped students share one order). */
function studentLabels(): string[] {
  return readManifest(modelNames((role) => role === 'student')[0]).labels;
}

let work: string;
let bundle: string;
let whyNoBundle: string | null = null;

function newestMtimeMs(target: string): number {
  const s = statSync(target);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(target).reduce(
    (m, name) => Math.max(m, newestMtimeMs(path.join(target, name))),
    s.mtimeMs,
  );
}

/** A bundle newer than everything that goes into it is reused; otherwise it is rebuilt. */
function ensureBundle(): string | null {
  const inputs = ['dist/src', 'models', 'package.json', 'package-lock.json', 'scripts/bundle.sh'];
  const newestInput = Math.max(...inputs.map((p) => newestMtimeMs(path.join(repoRoot, p))));
  if (existsSync(tarball) && statSync(tarball).mtimeMs > newestInput) {
    console.log(`reusing ${tarball}`);
    return null;
  }
  const t0 = Date.now();
  const built = spawnSync('bash', [path.join(repoRoot, 'scripts', 'bundle.sh'), '--no-build'], {
    encoding: 'utf8',
  });
  if (built.status === 3) return `cannot build the bundle: ${built.stderr.trim()}`;
  assert.equal(built.status, 0, built.stderr);
  console.log(`${built.stdout.trim()} (built in ${Date.now() - t0} ms)`);
  return null;
}

/** How to run a command without networking here, or null when this machine does not allow it. */
function networkOff(): string[] | null {
  for (const flags of [['-n'], ['-rn']]) {
    if (spawnSync('unshare', [...flags, 'true']).status === 0) return ['unshare', ...flags];
  }
  return null;
}

before(() => {
  whyNoBundle = ensureBundle();
  if (whyNoBundle) return;
  work = mkdtempSync(path.join(tmpdir(), 'aviary-bundle-'));
  execFileSync('tar', ['-xzf', tarball, '-C', work]);
  bundle = path.join(work, bundleName);
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the bundle holds the built JS, production packages only, and OpenVINO libraries that resolve inside it', (t) => {
  if (whyNoBundle) return t.skip(whyNoBundle);
  for (const file of [
    'run.sh',
    'README.md',
    'package.json',
    'dist/src/cli.js',
    'dist/src/worker/entry.cjs',
  ]) {
    assert.ok(existsSync(path.join(bundle, file)), file);
  }
  assert.ok(statSync(path.join(bundle, 'run.sh')).mode & 0o100, 'run.sh is executable');
  const packages = readdirSync(path.join(bundle, 'node_modules'));
  for (const needed of [
    'piscina',
    'koffi',
    'onnxruntime-node',
    'commander',
    'fft.js',
    'wav-decoder',
  ])
    assert.ok(packages.includes(needed), needed);
  for (const dev of ['typescript', 'prettier', '@types'])
    assert.ok(!packages.includes(dev), `${dev} is a dev dependency`);
  const ortBin = path.join(bundle, 'node_modules', 'onnxruntime-node', 'bin', 'napi-v6');
  assert.deepEqual(readdirSync(ortBin), ['linux']);
  assert.deepEqual(readdirSync(path.join(ortBin, 'linux')), ['x64']);
  const ovDir = path.join(bundle, 'lib', 'openvino');
  assert.deepEqual(readdirSync(ovDir).sort(), OPENVINO_FILES);
  for (const lib of OPENVINO_FILES) {
    const deps = execFileSync('ldd', [path.join(ovDir, lib)], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
    });
    for (const line of deps.split('\n').filter((l) => l.includes('=>'))) {
      const target = line.split('=>')[1].trim().split(' ')[0];
      assert.ok(
        target.startsWith(ovDir) || /^\/(usr\/)?lib(64)?\//.test(target),
        `${lib}: ${line.trim()} must resolve inside the bundle or to a system library`,
      );
    }
  }
});

test('the bundle carries the student models of models/ and leaves the teacher out', (t) => {
  if (whyNoBundle) return t.skip(whyNoBundle);
  const students = modelNames((role) => role === 'student');
  assert.equal(students.length, 4, `models/ has ${students.join(', ')}`);
  assert.deepEqual(readdirSync(path.join(bundle, 'models')).sort(), students);
  for (const name of students) {
    for (const file of ['manifest.json', 'model.xml', 'model.bin', 'model.onnx']) {
      assert.ok(existsSync(path.join(bundle, 'models', name, file)), `${name}/${file}`);
    }
  }
});

test('offline, in a bare environment, the bundle scores 3 real recordings with its own OpenVINO and students', (t) => {
  if (whyNoBundle) return t.skip(whyNoBundle);
  if (!RECORDINGS.every((f) => existsSync(path.join(dataDir, 'soundscapes', f)))) {
    return t.skip(`real recordings not found in ${dataDir}/soundscapes`);
  }
  const isolate = networkOff();
  if (!isolate)
    return t.skip(
      'neither `unshare -n` nor `unshare -rn` works here; see docs/offline.md for the manual check',
    );
  const input = path.join(work, 'in');
  mkdirSync(input);
  for (const f of RECORDINGS)
    symlinkSync(path.join(dataDir, 'soundscapes', f), path.join(input, f));
  const out = path.join(work, 'out');
  const home = path.join(work, 'home');
  mkdirSync(home);
  const bin = [...new Set([path.dirname(process.execPath), '/usr/bin', '/bin'])].join(':');

  const t0 = Date.now();
  // Inside the new network namespace: record the interfaces, then run with nothing but PATH and
  // HOME, so neither the repo's .venv nor an AVIARY_* variable can be seen.
  const script = `cat /proc/net/dev > "$1/net.txt" && exec env -i PATH="$2" HOME="$3" "$4/run.sh" submit -i "$5" -o "$6"`;
  const run = spawnSync(
    isolate[0],
    [...isolate.slice(1), 'sh', '-c', script, 'sh', work, bin, home, bundle, input, out],
    {
      encoding: 'utf8',
      cwd: work,
    },
  );
  console.log(`offline run (${isolate.join(' ')}): ${Date.now() - t0} ms`);
  assert.equal(run.status, 0, run.stderr);
  const interfaces = readFileSync(path.join(work, 'net.txt'), 'utf8')
    .split('\n')
    .slice(2)
    .filter((l) => l.includes(':'))
    .map((l) => l.split(':')[0].trim());
  assert.deepEqual(interfaces, ['lo'], 'only the (down) loopback exists inside the namespace');
  const backendLine = run.stderr.split('\n').find((l) => l.startsWith('backend: ')) ?? '';
  assert.match(backendLine, /^backend: openvino-c \(OpenVINO 2026\.4\.\d+\S* C API at /);
  assert.ok(
    backendLine.includes(`C API at ${path.join(bundle, 'lib', 'openvino', 'libopenvino_c.so')}`),
    backendLine,
  );

  // Row ids from the recordings' durations in index.csv: ceil(d / 5) windows each.
  const index = readFileSync(path.join(dataDir, 'index.csv'), 'utf8').split('\n');
  const expectedIds = RECORDINGS.flatMap((f) => {
    const duration = Number(index.find((l) => l.startsWith(`soundscapes/${f},`))!.split(',')[3]);
    const stem = f.replace(/\.[a-z0-9]+$/, '');
    return Array.from({ length: Math.ceil(duration / 5) }, (_, i) => `${stem}_${5 * (i + 1)}`);
  });
  const csv = readFileSync(path.join(out, 'submission.csv'), 'utf8');
  const lines = csv.trim().split('\n');
  assert.equal(lines[0], ['row_id', ...studentLabels()].join(','));
  assert.deepEqual(
    lines.slice(1).map((l) => l.split(',')[0]),
    expectedIds,
  );
  for (const line of lines.slice(1)) {
    for (const cell of line.split(',').slice(1))
      assert.ok(/^[01]\.\d{6}$/.test(cell) && Number(cell) <= 1, line);
  }

  // The same recordings through the repository's own build and .venv give the same bytes.
  const refOut = path.join(work, 'ref');
  const ref = spawnSync(
    process.execPath,
    [path.join(repoRoot, 'dist', 'src', 'cli.js'), 'submit', '-q', '-i', input, '-o', refOut],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(ref.status, 0, ref.stderr);
  assert.equal(csv, readFileSync(path.join(refOut, 'submission.csv'), 'utf8'));
});
