import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planWithinLimit } from '../../src/pipeline/time-budget.js';

// Four models; after 10 % of the bytes the run took 10 min of a 60 min limit, all CPU time
// spent in inference (front-end cost 0), one wall ms per CPU ms.
const models = [
  { name: 'a', weight: 1, msPerByte: 1 },
  { name: 'b', weight: 1, msPerByte: 3 },
  { name: 'c', weight: 0.5, msPerByte: 1 },
  { name: 'd', weight: 1, msPerByte: 1 },
];
const base = { limitMs: 60 * 60_000, bytesDone: 100_000, bytesLeft: 900_000, frontendMsPerByte: 0, active: models };

test('a run that fits its limit keeps every model', () => {
  // 600 s so far + 6 ms/byte × 900k bytes left = 6000 s, inside 0.9 × 2 h.
  const decision = planWithinLimit({ ...base, limitMs: 2 * 3600_000, elapsedMs: 600_000 });
  assert.deepEqual(decision.drop, []);
  assert.equal(Math.round(decision.projectedMs), 6_000_000);
});

test('an overrunning run drops the lowest weight first, then the slowest', () => {
  // elapsed 600 s for 6 ms/byte × 100k bytes: wall/CPU = 1. Budget = 0.9 × 60 min = 3240 s.
  // All four: 600 + 6 × 900 = 6000 s. Drop c (weight 0.5): 600 + 5 × 900 = 5100.
  // Drop b (slowest of weight 1): 600 + 2 × 900 = 2400 ≤ 3240 → stop.
  const decision = planWithinLimit({ ...base, elapsedMs: 600_000 });
  assert.deepEqual(decision.drop, ['c', 'b']);
  assert.deepEqual(decision.keep, ['a', 'd']);
  assert.equal(Math.round(decision.projectedMs), 2_400_000);
});

test('the last model is never dropped, even when it cannot fit', () => {
  const decision = planWithinLimit({ ...base, limitMs: 60_000, elapsedMs: 600_000 });
  assert.equal(decision.keep.length, 1);
  assert.deepEqual(decision.keep, ['d']);
  assert.equal(decision.drop.length, 3);
});
