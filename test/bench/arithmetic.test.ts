import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  kbToMb,
  memoryGrowth,
  perCore,
  project,
  ratio,
  realTimeFactor,
  threadBudget,
} from '../../src/bench/arithmetic.js';
import { wavHeader } from '../../src/bench/long-recording.js';
import { passesFor } from '../../src/bench/subset.js';

test('a ratio divides by its baseline and is NaN without one', () => {
  assert.equal(ratio(11, 10), 1.1);
  assert.equal(ratio(3, 12), 0.25);
  assert.ok(Number.isNaN(ratio(5, 0)));
  assert.ok(Number.isNaN(ratio(5, -1)));
  assert.ok(Number.isNaN(ratio(Infinity, 2)));
});

test('600 s of audio in 6 s is 100× real time, 50× per core on two cores', () => {
  assert.equal(realTimeFactor(600, 6), 100);
  assert.equal(perCore(realTimeFactor(600, 6), 2), 50);
  assert.ok(Number.isNaN(realTimeFactor(600, 0)));
});

test('the projection scales wall time linearly with audio length', () => {
  // 10 min of audio in 30 s: 1100 × 4 min = 4400 min of audio takes 4400 × 30 / 600 s = 220 min.
  const p = project(600, 30, 2, 1100, 4);
  assert.equal(p.machineMin, 220);
  assert.equal(p.coreMin, 440);
  assert.equal(p.soundscapes, 1100);
  assert.equal(p.minutesEach, 4);
});

test('two workers of one thread on two cores are not oversubscribed, two of two are', () => {
  assert.deepEqual(threadBudget(2, 1, 2), {
    workers: 2,
    threadsPerWorker: 1,
    busyThreads: 2,
    cores: 2,
    oversubscribed: false,
  });
  assert.equal(threadBudget(2, 2, 2).busyThreads, 4);
  assert.equal(threadBudget(2, 2, 2).oversubscribed, true);
});

test('memory growth is the difference and must stay strictly under the limit', () => {
  assert.deepEqual(memoryGrowth(500, 750, 300), { growthMb: 250, withinLimit: true });
  assert.deepEqual(memoryGrowth(500, 800, 300), { growthMb: 300, withinLimit: false });
  assert.equal(kbToMb(2048), 2);
});

test('the bench list is repeated just enough passes to reach the minimum audio', () => {
  assert.equal(passesFor(599, 600), 2);
  assert.equal(passesFor(609.7, 600), 1);
  assert.equal(passesFor(100, 600), 6);
  assert.equal(passesFor(0, 600), 1);
});

test('the long-recording WAV header describes 16-bit mono PCM of the given length', () => {
  const h = wavHeader(32000 * 60, 32000);
  assert.equal(h.length, 44);
  assert.equal(h.toString('ascii', 0, 4), 'RIFF');
  assert.equal(h.readUInt32LE(4), 36 + 3_840_000);
  assert.equal(h.toString('ascii', 8, 16), 'WAVEfmt ');
  assert.equal(h.readUInt16LE(20), 1);
  assert.equal(h.readUInt16LE(22), 1);
  assert.equal(h.readUInt32LE(24), 32000);
  assert.equal(h.readUInt32LE(28), 64000);
  assert.equal(h.readUInt16LE(32), 2);
  assert.equal(h.readUInt16LE(34), 16);
  assert.equal(h.toString('ascii', 36, 40), 'data');
  assert.equal(h.readUInt32LE(40), 3_840_000);
});
