import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileStem } from '../../src/audio/discover.js';
import { extractWindow, planWindows, rowId } from '../../src/audio/windows.js';
import { AviaryError } from '../../src/errors.js';

const SR = 32000;

function ends(nSamples: number, sr = SR, opts = {}): number[] {
  return planWindows(nSamples, sr, opts).map((w) => w.endSecond);
}

test('a 240.0 s file gets 48 five-second rows ending at 5, 10, …, 240', () => {
  const e = ends(240 * SR);
  assert.equal(e.length, 48);
  assert.deepEqual(
    e,
    Array.from({ length: 48 }, (_, i) => 5 * (i + 1)),
  );
});

test('240.5 s and 243 s files get a 49th, zero-padded row ending at 245', () => {
  for (const n of [240.5 * SR, 243 * SR]) {
    const e = ends(n);
    assert.equal(e.length, 49);
    assert.equal(e[48], 245);
  }
});

test('one sample past a window boundary adds a row', () => {
  assert.equal(ends(10 * SR).length, 2);
  assert.equal(ends(10 * SR + 1).length, 3);
});

test('a 2 s file gets one row ending at 5, never 0; exactly 5 s gets one row', () => {
  assert.deepEqual(ends(2 * SR), [5]);
  assert.deepEqual(ends(5 * SR), [5]);
  assert.deepEqual(ends(1), [5]);
});

test('an empty file gets no rows', () => {
  assert.deepEqual(planWindows(0, SR), []);
});

test('start samples step by the hop, and rows are numbered from 0', () => {
  const plan = planWindows(12 * 22050, 22050);
  assert.deepEqual(plan, [
    { index: 0, startSample: 0, endSecond: 5 },
    { index: 1, startSample: 110250, endSecond: 10 },
    { index: 2, startSample: 220500, endSecond: 15 },
  ]);
});

test('a hop shorter than the window overlaps windows: 12 s, window 5, hop 2 → ends 5…13', () => {
  // ceil((12 − 5) / 2) + 1 = 5 windows starting at 0, 2, 4, 6, 8 s.
  const plan = planWindows(12 * SR, SR, { windowSec: 5, hopSec: 2 });
  assert.deepEqual(
    plan.map((w) => w.endSecond),
    [5, 7, 9, 11, 13],
  );
  assert.deepEqual(
    plan.map((w) => w.startSample),
    [0, 2, 4, 6, 8].map((s) => s * SR),
  );
});

test('end seconds stay exact integers over a day-long file at an odd sample rate', () => {
  const plan = planWindows(86_400 * 22_050 + 7, 22_050);
  assert.equal(plan.length, 17_281);
  assert.equal(plan.at(-1)!.endSecond, 86_405);
  assert.ok(plan.every((w) => Number.isInteger(w.endSecond)));
});

test('a fractional window or hop is refused with E_USAGE naming the option', () => {
  for (const [opts, name] of [
    [{ windowSec: 2.5 }, '--window'],
    [{ hopSec: 0.5 }, '--hop'],
    [{ hopSec: 0 }, '--hop'],
    [{ windowSec: -5 }, '--window'],
  ] as const) {
    assert.throws(
      () => planWindows(SR * 10, SR, opts),
      (err: unknown) =>
        err instanceof AviaryError && err.code === 'E_USAGE' && err.message.includes(name),
    );
  }
});

test('a non-integer sample rate or sample count is refused with E_USAGE', () => {
  assert.throws(() => planWindows(100, 22050.5), { code: 'E_USAGE' });
  assert.throws(() => planWindows(-1, SR), { code: 'E_USAGE' });
  assert.throws(() => planWindows(1.5, SR), { code: 'E_USAGE' });
});

test('row ids join the file stem and the end second with an underscore', () => {
  assert.equal(rowId('soundscape_12', 5), 'soundscape_12_5');
  assert.equal(rowId(fileStem('/data/BC2024_S07.ogg'), 240), 'BC2024_S07_240');
});

test('fileStem strips only the last extension', () => {
  assert.equal(fileStem('/x/a.b.ogg'), 'a.b');
  assert.equal(fileStem('rec.WAV'), 'rec');
  assert.equal(fileStem('/x/noext'), 'noext');
});

test('extractWindow copies the window and zero-fills context before the start', () => {
  const s = Float32Array.from([1, 2, 3, 4, 5, 6]);
  assert.deepEqual(Array.from(extractWindow(s, 0, 3, 2)), [0, 0, 1, 2, 3, 4, 5]);
});

test('extractWindow zero-fills past the end of the file', () => {
  const s = Float32Array.from([1, 2, 3, 4, 5, 6]);
  assert.deepEqual(Array.from(extractWindow(s, 4, 3, 1)), [4, 5, 6, 0, 0]);
  assert.deepEqual(Array.from(extractWindow(s, 3, 3, 0)), [4, 5, 6]);
});

test('extractWindow of a window wholly outside the file is all zeros of the right length', () => {
  const s = Float32Array.from([1, 2, 3]);
  assert.deepEqual(Array.from(extractWindow(s, 10, 4, 1)), [0, 0, 0, 0, 0, 0]);
});

test('extractWindow returns a copy, so filling a batch never writes into the recording', () => {
  const s = Float32Array.from([1, 2, 3, 4]);
  const w = extractWindow(s, 0, 4, 0);
  w[0] = 99;
  assert.equal(s[0], 1);
});
