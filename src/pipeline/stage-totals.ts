import type { StageTimings } from '../pool/protocol.js';

/** Worker milliseconds summed over files, per stage; `writeMs` is the main thread's CSV write. */
export interface StageTotals extends StageTimings {
  writeMs: number;
}

export function emptyTotals(): StageTotals {
  return { decodeMs: 0, resampleMs: 0, spectrogramMs: 0, inferenceMs: {}, writeMs: 0 };
}

export function addTimings(totals: StageTotals, t: StageTimings): void {
  totals.decodeMs += t.decodeMs;
  totals.resampleMs += t.resampleMs;
  totals.spectrogramMs += t.spectrogramMs;
  for (const [name, ms] of Object.entries(t.inferenceMs)) {
    totals.inferenceMs[name] = (totals.inferenceMs[name] ?? 0) + ms;
  }
}
