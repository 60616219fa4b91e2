/**
 * Every kind of bad input, through the real CLI: one folder of good recordings mixed with corrupt,
 * empty, truncated, too short, silent, non-finite, 6-channel, 8 kHz, 96 kHz, mis-named and
 * unsupported files. The run must still exit 0 with rows for every file that decodes (ceil(d / 5)
 * each, d from what was written) and none for the rest, each of which stderr names with its
 * reason; --strict writes the same CSV and exits 1.
 *
 * The CLI runs twice in before(); each kind of file then has its own test on that run's output.
 * Files cut from real recordings need ../shared/data and skip without it.
 */
import assert from 'node:assert/strict';
import { copyFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { decodeAudioFile } from '../../src/audio/decode.js';
import { noise } from '../features/helpers.js';
import {
  CliResult,
  Submission,
  TINY_LABELS,
  readSubmission,
  rowsByStem,
  rowsFor,
  submit,
} from '../helpers/cli.js';
import { NO_SHARED_DATA, SHARED_DATA_DIR, sharedDataAvailable } from '../helpers/shared-data.js';
import { tempDir, wavBytes, writeBytes } from '../helpers/wav-writer.js';

const real = sharedDataAvailable();
const skipReal = real ? false : NO_SHARED_DATA;
const soundscape = (name: string) => path.join(SHARED_DATA_DIR, 'soundscapes', name);

/** 16-bit codes of a 1.3 kHz tone over noise: something for the models to look at. */
function toneCodes(n: number, sampleRateHz: number, seed: number): number[] {
  const hiss = noise(n, seed);
  return Array.from({ length: n }, (_, i) =>
    Math.round(
      32767 * (0.3 * Math.sin((2 * Math.PI * 1300 * i) / sampleRateHz) + 0.05 * hiss[i]),
    ),
  );
}

function pcm16(seconds: number, sampleRateHz: number, nChannels = 1, seed = 1) {
  const n = Math.round(seconds * sampleRateHz);
  const channels = Array.from({ length: nChannels }, (_, c) => toneCodes(n, sampleRateHz, seed + c));
  return { bytes: wavBytes({ sampleRateHz, bits: 16, channels }), n };
}

/** A file that decodes: its stem and the rows it must get. */
interface Decodable {
  stem: string;
  rows: number;
}
/** A file that must fail: its name, and what its failure line must say. */
interface Undecodable {
  name: string;
  reason: RegExp;
}

const decodable = new Map<string, Decodable>();
const undecodable = new Map<string, Undecodable>();
let input = '';
let first: CliResult;
let strict: CliResult;
let sub: Submission;
let csvA: Buffer;
let csvB: Buffer;
let byStem: Map<string, Submission['rows']>;
const cleanups: (() => Promise<void>)[] = [];

async function good(name: string, bytes: Uint8Array, n: number, rate: number): Promise<void> {
  await writeBytes(input, name, bytes);
  decodable.set(name, { stem: path.parse(name).name, rows: rowsFor(n, rate) });
}

async function bad(name: string, bytes: Uint8Array, reason: RegExp): Promise<void> {
  await writeBytes(input, name, bytes);
  undecodable.set(name, { name, reason });
}

/** The first 30% of a real recording's bytes; its rows follow what the decoder makes of them. */
async function truncatedCopy(source: string, name: string): Promise<void> {
  const bytes = await readFile(soundscape(source));
  const file = await writeBytes(input, name, bytes.subarray(0, Math.floor(bytes.length * 0.3)));
  const d = await decodeAudioFile(file);
  decodable.set(name, { stem: path.parse(name).name, rows: rowsFor(d.channels[0].length, d.sampleRateHz) });
}

before(async () => {
  const tmpIn = await tempDir('aviary-bad-in-');
  const tmpA = await tempDir('aviary-bad-out-');
  const tmpB = await tempDir('aviary-bad-strict-');
  cleanups.push(tmpIn.cleanup, tmpA.cleanup, tmpB.cleanup);
  input = tmpIn.dir;

  const tone = pcm16(12.5, 16000, 1, 1);
  await good('good_tone.wav', tone.bytes, tone.n, 16000);
  const stereo = pcm16(7, 22050, 2, 3);
  await good('good_stereo.wav', stereo.bytes, stereo.n, 22050);
  const short = pcm16(0.3, 16000, 1, 5);
  await good('too_short.wav', short.bytes, short.n, 16000);
  const nSilent = 6 * 16000;
  const silent = wavBytes({ sampleRateHz: 16000, bits: 16, channels: [new Array(nSilent).fill(0)] });
  await good('silent.wav', silent, nSilent, 16000);
  const nFloat = 5 * 16000 + 1;
  const floats = Array.from(noise(nFloat, 9), (v) => 0.2 * v);
  floats[10] = NaN;
  floats[20_000] = Infinity;
  floats[40_000] = -Infinity;
  await good('non_finite.wav', wavBytes({ sampleRateHz: 16000, bits: 32, float: true, channels: [floats] }), nFloat, 16000);
  const six = pcm16(8, 16000, 6, 11);
  await good('six_channels.wav', six.bytes, six.n, 16000);
  const low = pcm16(11, 8000, 1, 21);
  await good('rate_8k.wav', low.bytes, low.n, 8000);
  const high = pcm16(6, 96000, 1, 23);
  await good('rate_96k.wav', high.bytes, high.n, 96000);
  // A synthetic WAV cut at 30% of its bytes: the 44-byte header, then whole 16-bit samples.
  const long = pcm16(20, 16000, 1, 31);
  const cut = Math.floor(long.bytes.length * 0.3);
  await good('truncated_synth.wav', long.bytes.subarray(0, cut), Math.floor((cut - 44) / 2), 16000);

  await bad('corrupt.ogg', Uint8Array.from(noise(30_000, 41), (v) => Math.floor((v + 1) * 127.5)), /E_DECODE.*not Ogg/);
  await bad('empty.wav', new Uint8Array(0), /E_EMPTY_AUDIO.*empty \(0 bytes\)/);
  await bad('text.mp3', new TextEncoder().encode('a list of birds, not a recording\n'.repeat(40)), /E_DECODE.*not MP3/);
  // Not an audio extension: never discovered, so neither scored nor failed.
  await writeBytes(input, 'notes.txt', new TextEncoder().encode('field notes\n'));

  if (real) {
    await truncatedCopy('oss_1min.ogg', 'truncated_ogg.ogg');
    await truncatedCopy('maad_spinetail.flac', 'truncated_flac.flac');
    await truncatedCopy('qut_SERF_3_20101019-073000.mp3', 'truncated_mp3.mp3');
    await truncatedCopy('oss_birds_10s.wav', 'truncated_wav.wav');
    // Mis-named: decoded by their bytes. spinetail is 19.54 s (4 rows), the jura ogg 10 s (2).
    await copyFile(soundscape('maad_spinetail.flac'), path.join(input, 'flac_named.wav'));
    decodable.set('flac_named.wav', { stem: 'flac_named', rows: 4 });
    await copyFile(soundscape('maad_jura_S4A03895_20190522_000000.ogg'), path.join(input, 'ogg_named.mp3'));
    decodable.set('ogg_named.mp3', { stem: 'ogg_named', rows: 2 });
  }

  first = await submit(input, tmpA.dir, ['--workers', '2', '--threads', '1']);
  strict = await submit(input, tmpB.dir, ['--workers', '2', '--threads', '1', '--strict']);
  csvA = await readFile(path.join(tmpA.dir, 'submission.csv'));
  csvB = await readFile(path.join(tmpB.dir, 'submission.csv'));
  sub = readSubmission(path.join(tmpA.dir, 'submission.csv'));
  byStem = rowsByStem(sub);
});

after(async () => {
  for (const c of cleanups) await c();
});

function rowsOf(name: string): number {
  return byStem.get(path.parse(name).name)?.length ?? 0;
}

/** The stderr lines that mention `file` (by absolute path). */
function linesAbout(name: string, out: CliResult = first): string[] {
  const file = path.join(input, name);
  return out.stderr.split('\n').filter((l) => l.includes(file));
}

function assertRows(name: string): void {
  const want = decodable.get(name)!;
  const rows = byStem.get(want.stem) ?? [];
  assert.equal(rows.length, want.rows, `${name}: ${rows.length} rows, expected ${want.rows}`);
  assert.deepEqual(
    rows.map((r) => r.endSecond),
    Array.from({ length: want.rows }, (_, i) => 5 * (i + 1)),
  );
}

test('the run exits 0 and its CSV has the row_id + label header', () => {
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(sub.header, ['row_id', ...TINY_LABELS]);
});

test('every probability in the CSV is a finite number in [0, 1]', () => {
  for (const r of sub.rows) {
    assert.equal(r.probs.length, TINY_LABELS.length, r.rowId);
    for (const p of r.probs) assert.ok(Number.isFinite(p) && p >= 0 && p <= 1, `${r.rowId}: ${p}`);
  }
});

test('the CSV holds rows for the decodable files only, and no others', () => {
  const stems = new Set([...decodable.values()].map((d) => d.stem));
  assert.deepEqual([...byStem.keys()].sort(), [...stems].sort());
  const total = [...decodable.values()].reduce((sum, d) => sum + d.rows, 0);
  assert.equal(sub.rows.length, total);
  assert.match(first.stderr, new RegExp(`${total} rows from ${decodable.size} of ${decodable.size + undecodable.size} recordings`));
});

for (const name of ['good_tone.wav', 'good_stereo.wav', 'six_channels.wav', 'rate_8k.wav', 'rate_96k.wav']) {
  test(`${name} gets ceil(d / 5) rows ending at 5, 10, …`, () => assertRows(name));
}

test('a 0.3 s recording gets one row, ending at 5', () => {
  assertRows('too_short.wav');
  assert.equal(byStem.get('too_short')![0].rowId, 'too_short_5');
});

test('a silent recording gets its rows with finite probabilities', () => {
  assertRows('silent.wav');
});

test('NaN and infinite samples are scored as 0, with a warning counting them', () => {
  assertRows('non_finite.wav');
  assert.ok(
    linesAbout('non_finite.wav').some((l) => /warning: .*3 non-finite samples set to 0/.test(l)),
    first.stderr,
  );
});

test('a WAV cut at 30% of its bytes is scored for the samples it holds, with a truncation warning', () => {
  assertRows('truncated_synth.wav');
  assert.ok(linesAbout('truncated_synth.wav').some((l) => /warning: .*truncated/.test(l)), first.stderr);
});

for (const [name, warns] of [
  ['truncated_ogg.ogg', true],
  ['truncated_flac.flac', true],
  ['truncated_wav.wav', true],
  // MP3 has no header giving the stream length, so a cut file cannot be told from a short one.
  ['truncated_mp3.mp3', false],
] as const) {
  test(
    `the first 30% of a real ${path.extname(name)} is scored as partial audio${warns ? ', with a truncation warning' : ', silently'}`,
    { skip: skipReal },
    () => {
      assertRows(name);
      const warned = linesAbout(name).some((l) => /warning: .*truncated/.test(l));
      assert.equal(warned, warns, linesAbout(name).join('\n'));
      assert.ok(!linesAbout(name).some((l) => /failed/.test(l)));
    },
  );
}

test('FLAC bytes named .wav and Ogg bytes named .mp3 decode by their bytes, with a warning', { skip: skipReal }, () => {
  assertRows('flac_named.wav');
  assertRows('ogg_named.mp3');
  assert.ok(linesAbout('flac_named.wav').some((l) => /warning: .*named \.wav but holds FLAC/.test(l)), first.stderr);
  assert.ok(linesAbout('ogg_named.mp3').some((l) => /warning: .*named \.mp3 but holds Ogg/.test(l)), first.stderr);
});

for (const name of ['corrupt.ogg', 'empty.wav', 'text.mp3']) {
  test(`${name} gets no rows, and stderr names it with its reason`, () => {
    assert.equal(rowsOf(name), 0);
    const { reason } = undecodable.get(name)!;
    assert.ok(linesAbout(name).some((l) => reason.test(l)), `no line matching ${reason} for ${name}:\n${first.stderr}`);
  });
}

test('a .txt file in the folder is not discovered: no rows, no failure', () => {
  assert.equal(rowsOf('notes.txt'), 0);
  assert.deepEqual(linesAbout('notes.txt'), []);
});

test('--strict exits 1 and writes the same CSV, byte for byte', () => {
  assert.equal(strict.code, 1, strict.stderr);
  assert.ok(csvA.equals(csvB), 'the --strict CSV differs');
  for (const name of undecodable.keys()) assert.ok(linesAbout(name, strict).length > 0, `${name} not named`);
});
