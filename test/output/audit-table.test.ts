import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatAudit } from '../../src/commands/audit-table.js';
import type { SubmitReport } from '../../src/pipeline/submit.js';

/** A report of `audioSec` seconds scored in `wallMs`; only the fields the table reads matter. */
function report(audioSec: number, wallMs: number): SubmitReport {
  return {
    rows: Math.ceil(audioSec / 5),
    wallMs,
    audioSec,
    workers: 2,
    threadsPerWorker: 1,
    backend: 'openvino-c',
    totals: {
      decodeMs: 100,
      resampleMs: 0,
      spectrogramMs: 50,
      inferenceMs: { a: 250 },
      writeMs: 1,
    },
  } as unknown as SubmitReport;
}

test('the projection scales wall time per audio second: 600 s of audio in 10 s → 1100 × 4 min in 73.3 min', () => {
  const lines = formatAudit(report(600, 10_000)).split('\n');
  // 1100 × 240 s × (10 s / 600 s) = 4400 s = 73.3 min
  assert.equal(lines.at(-1), '  projection: 1100 soundscapes × 4 min ≈ 73.3 min on this machine');
});

test('a projection from under five minutes of audio says it is an overestimate and how to do better', () => {
  const line = formatAudit(report(0.2, 1_000)).split('\n').at(-1)!;
  assert.match(
    line,
    /≈ 22000\.0 min on this machine \(from only 0\.2 s of audio, where start-up dominates/,
  );
  assert.match(line, /aviary audit/);
});

test('stage shares add up to 100 % of the worker seconds', () => {
  const lines = formatAudit(report(600, 10_000)).split('\n');
  const shares = lines
    .filter((l) => l.trim().endsWith('%'))
    .map((l) => Number(l.trim().split(/\s+/).at(-1)!.slice(0, -1)));
  assert.equal(shares.length, 5);
  assert.ok(Math.abs(shares.reduce((a, b) => a + b, 0) - 100) < 0.2, shares.join());
});
