/** The deadline arithmetic and the fallback row of src/pipeline/deadline.ts, by hand. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Deadline, countCostMs, countWindowEnds, fallbackRow, repeatRow } from '../../src/pipeline/deadline.js';
import { synthWav } from './helpers.js';

test('the reserve is 1 s plus 2 % of the limit plus the counting cost, and the grace half the fixed part', () => {
  const d = new Deadline(60_000, 1000);
  assert.equal(d.marginMs, 2200);
  assert.equal(d.graceMs, 1100);
  assert.equal(d.reserveMs(300), 2500);
  // Dispatch closes once more than 60 000 − 2 500 = 57 500 ms have passed since the start (1000).
  assert.equal(d.dispatchClosed(1000 + 57_500, 300), false);
  assert.equal(d.dispatchClosed(1000 + 57_501, 300), true);
  // Files in flight are abandoned 1 100 ms later.
  assert.equal(d.inFlightExpired(1000 + 58_600, 300), false);
  assert.equal(d.inFlightExpired(1000 + 58_601, 300), true);
});

test('a limit smaller than its reserve closes dispatching from the start', () => {
  const d = new Deadline(1200, 0);
  assert.equal(d.dispatchClosed(0, 0), false); // 1200 − 1024 = 176 ms of room
  assert.equal(d.dispatchClosed(0, 200), true);
});

test('counting costs follow the file extension, in any case, per MB', () => {
  assert.equal(countCostMs('/a/x.wav', 2_000_000), 40);
  assert.equal(countCostMs('/a/x.OGG', 1_000_000), 700);
  assert.equal(countCostMs('/a/x.flac', 500_000), 50);
  assert.equal(countCostMs('/a/x.mp3', 1_000_000), 200);
});

test('the fallback row is the per-label mean over all windows of all files, each window weighing the same', () => {
  // File 1: two windows; file 2: one window; 2 labels.
  const a = new Float32Array([0.1, 0.9, 0.3, 0.5]);
  const b = new Float32Array([0.8, 0.1]);
  const row = fallbackRow([a, b], 2);
  assert.ok(Math.abs(row[0] - (0.1 + 0.3 + 0.8) / 3) < 1e-7);
  assert.ok(Math.abs(row[1] - (0.9 + 0.5 + 0.1) / 3) < 1e-7);
  assert.deepEqual(Array.from(fallbackRow([], 3)), [0, 0, 0]);
  assert.deepEqual(Array.from(repeatRow(new Float32Array([0.25, 0.5]), 3)), [0.25, 0.5, 0.25, 0.5, 0.25, 0.5]);
});

test('window ends are counted from the decoded length: 12.5 s gives 5, 10, 15; exactly 10 s gives 5, 10', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'aviary-deadline-'));
  try {
    writeFileSync(path.join(dir, 'a.wav'), synthWav(12.5, 16000, 1));
    writeFileSync(path.join(dir, 'b.wav'), synthWav(10, 22050, 2));
    assert.deepEqual(await countWindowEnds(path.join(dir, 'a.wav'), 5, 5), [5, 10, 15]);
    assert.deepEqual(await countWindowEnds(path.join(dir, 'b.wav'), 5, 5), [5, 10]);
  } finally {
    rmSync(dir, { recursive: true });
  }
});
