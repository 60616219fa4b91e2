/**
 * `aviary submit` on real field recordings: eight soundscapes from ../shared/data (Ogg, WAV at
 * 22 and 32 kHz, FLAC at 22.05 and 44.1 kHz, MP3), linked into a temp folder. Row counts come
 * from index.csv's durations, not from the decoder, so a decoder that loses or invents audio
 * shows here. About six minutes of audio: well under a minute on two cores.
 */
import assert from 'node:assert/strict';
import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  CliResult,
  Submission,
  TINY_LABELS,
  readSubmission,
  rowsByStem,
  submit,
} from '../helpers/cli.js';
import {
  IndexRow,
  NO_SHARED_DATA,
  SHARED_DATA_DIR,
  readIndex,
  sharedDataAvailable,
} from '../helpers/shared-data.js';
import { readJson } from '../helpers/json.js';
import { tempDir } from '../helpers/wav-writer.js';

const skip = sharedDataAvailable() ? false : NO_SHARED_DATA;

/**
 * Source recording → the name it gets in the input folder. One is renamed so that its stem,
 * `oss_1min-spinetail`, extends another stem, `oss_1min`, with a character ('-') that sorts
 * before '.': by file name it comes first, by stem (the CSV's order) second.
 */
const PICKS: Record<string, string> = {
  'maad_jura_S4A03895_20190522_000000.ogg': 'maad_jura_S4A03895_20190522_000000.ogg',
  'maad_jura_S4A03895_20190522_013000.wav': 'maad_jura_S4A03895_20190522_013000.wav',
  'oss_birds_10s.wav': 'oss_birds_10s.wav',
  'maad_spinetail.flac': 'oss_1min-spinetail.flac',
  'oss_1min.ogg': 'oss_1min.ogg',
  'qut_BAC2_20071008-085040.ogg': 'qut_BAC2_20071008-085040.ogg',
  'qut_GParrots_JB2_20090607-173000_minute8.flac': 'qut_GParrots_JB2_20090607-173000_minute8.flac',
  'qut_SERF_3_20101019-073000.mp3': 'qut_SERF_3_20101019-073000.mp3',
};

let input = '';
let output = '';
const cleanups: (() => Promise<void>)[] = [];
let run: CliResult;
let sub: Submission;
/** Stem in the input folder → its index.csv row. */
const expected = new Map<string, IndexRow>();

before(async () => {
  if (skip) return;
  const tmpIn = await tempDir('aviary-real-in-');
  const tmpOut = await tempDir('aviary-real-out-');
  cleanups.push(tmpIn.cleanup, tmpOut.cleanup);
  input = tmpIn.dir;
  output = tmpOut.dir;
  const index = readIndex();
  for (const [source, name] of Object.entries(PICKS)) {
    const row = index.find((r) => r.file === path.join(SHARED_DATA_DIR, 'soundscapes', source));
    assert.ok(row, `${source} is not in index.csv`);
    await symlink(row.file, path.join(input, name));
    expected.set(path.parse(name).name, row);
  }
  run = await submit(input, output, ['--workers', '2', '--threads', '1']);
  if (run.code === 0) sub = readSubmission(path.join(output, 'submission.csv'));
});

after(async () => {
  for (const c of cleanups) await c();
});

test('submit on eight real recordings exits 0 with no failures or warnings', { skip }, () => {
  assert.equal(run.code, 0, run.stderr);
  assert.doesNotMatch(run.stderr, /failed|warning/, run.stderr);
  assert.deepEqual(sub.header, ['row_id', ...TINY_LABELS]);
});

test(
  'each recording gets ceil(duration / 5) rows, the duration taken from index.csv',
  { skip },
  () => {
    const byStem = rowsByStem(sub);
    assert.deepEqual([...byStem.keys()].sort(), [...expected.keys()].sort());
    for (const [stem, row] of expected) {
      const rows = byStem.get(stem)!;
      assert.equal(rows.length, Math.ceil(row.durationSec / 5), `${stem}: ${row.durationSec} s`);
      assert.deepEqual(
        rows.map((r) => r.endSecond),
        rows.map((_, i) => 5 * (i + 1)),
        `${stem}: end seconds`,
      );
    }
  },
);

test(
  'rows are ordered by stem in code-unit order, then by end second as a number',
  { skip },
  () => {
    const stems = [...expected.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const want = stems.flatMap((stem) =>
      Array.from(
        { length: Math.ceil(expected.get(stem)!.durationSec / 5) },
        (_, i) => `${stem}_${5 * (i + 1)}`,
      ),
    );
    assert.deepEqual(
      sub.rows.map((r) => r.rowId),
      want,
    );
    // The two cases a plain sort of row ids or file names would get wrong:
    const ids = sub.rows.map((r) => r.rowId);
    assert.ok(ids.indexOf('oss_1min_60') < ids.indexOf('oss_1min-spinetail_5'));
    assert.ok(ids.indexOf('oss_1min_5') < ids.indexOf('oss_1min_10'));
  },
);

test('every probability is a finite number in [0, 1], and not all rows are alike', { skip }, () => {
  const distinct = new Set(sub.rows.map((r) => r.probs.join(',')));
  for (const r of sub.rows) {
    for (const p of r.probs) assert.ok(Number.isFinite(p) && p >= 0 && p <= 1, `${r.rowId}: ${p}`);
  }
  // Real audio differs window to window; a pipeline feeding the models zeros would not.
  assert.ok(
    distinct.size > sub.rows.length / 2,
    `${distinct.size} distinct rows of ${sub.rows.length}`,
  );
});

test(
  'run-info.json records the settings, models, labels, counts and timings of the run',
  { skip },
  () => {
    const info = readJson(path.join(output, 'run-info.json'));
    assert.equal(info.settings.input, input);
    assert.equal(info.settings.output, output);
    assert.equal(info.settings.windowSec, 5);
    assert.equal(info.settings.hopSec, 5);
    assert.equal(info.settings.strict, false);
    assert.equal(info.workers, 2);
    assert.equal(info.threadsPerWorker, 1);
    assert.equal(typeof info.backend, 'string');
    assert.ok(run.stderr.includes(`backend: ${info.backend}`), 'the backend in the log differs');
    assert.deepEqual(
      info.models.map((m: { name: string; weight: number }) => [m.name, m.weight]),
      [
        ['tiny_b0', 1],
        ['tiny_b0_b', 1],
      ],
    );
    assert.deepEqual(info.labels, TINY_LABELS);
    assert.equal(info.rows, sub.rows.length);
    assert.equal(info.files, expected.size);
    assert.deepEqual(info.failures, []);
    assert.deepEqual(info.droppedModels, []);
    assert.deepEqual(info.timeLimit.fallbackFiles, []);
    assert.ok(
      info.timings.wallMs > 0 && info.timings.wallMs < run.ms,
      `wall ${info.timings.wallMs} ms`,
    );
    assert.ok(
      info.timings.decodeMs > 0 && info.timings.resampleMs > 0,
      JSON.stringify(info.timings),
    );
    assert.equal(info.node, process.version);
  },
);
