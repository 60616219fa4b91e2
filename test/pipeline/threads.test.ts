import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveThreads } from '../../src/pipeline/submit.js';

test('by default each core gets one worker with one inference thread', () => {
  assert.deepEqual(resolveThreads(2), { workers: 2, threads: 1 });
  assert.deepEqual(resolveThreads(8), { workers: 8, threads: 1 });
});

test('fewer workers share the cores out as inference threads', () => {
  assert.deepEqual(resolveThreads(8, 2), { workers: 2, threads: 4 });
  assert.deepEqual(resolveThreads(2, 1), { workers: 1, threads: 2 });
});

test('workers are capped at the cores and workers × threads may not exceed them', () => {
  assert.deepEqual(resolveThreads(2, 5), { workers: 2, threads: 1 });
  assert.throws(() => resolveThreads(2, 2, 2), /exceeds the 2 cores/);
});
