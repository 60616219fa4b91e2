/**
 * Finishing inside --time-limit with a complete CSV. Dropping models (time-budget.ts) may not be
 * enough: a slow machine, or a limit far too small, still leaves files unscored when the time is
 * up. So the run keeps a reserve at the end of its limit:
 *
 *   reserve = 1 s + 2 % of the limit + the projected cost of counting the windows of every file
 *             not finished yet (decode only, in the main thread, at the rates in COUNT_MS_PER_MB)
 *
 * Once the elapsed time passes `limit − reserve` no new file is dispatched. Files already in
 * flight get a grace of half the fixed part (0.5 s + 1 % of the limit) and are then abandoned.
 * Every file left unscored is decoded only to learn its window count, and gets fallback rows:
 * the per-label mean of every window scored so far in this run (resumed files included), all
 * windows weighing the same; 0 for every label when nothing was scored. A constant row ranks
 * no window of the file above another, and it is the best constant guess of each label's rate.
 */
import { extname } from 'node:path';
import { decodeAudioFile } from '../audio/decode.js';
import { planWindows } from '../audio/windows.js';

/**
 * Decode cost in the main thread, ms per MB of file: twice what this project's machine measured
 * (2 cores; wav 9, flac 42, mp3 67–86, ogg 160–318 ms/MB), since the reserve must not run short.
 */
export const COUNT_MS_PER_MB: Record<string, number> = { '.wav': 20, '.flac': 100, '.mp3': 200, '.ogg': 700, '.oga': 700 };

export class Deadline {
  readonly limitMs: number;
  readonly #startedMs: number;

  constructor(limitMs: number, startedMs: number) {
    this.limitMs = limitMs;
    this.#startedMs = startedMs;
  }

  /** The fixed part of the reserve. */
  get marginMs(): number {
    return 1000 + 0.02 * this.limitMs;
  }

  /** How long files in flight may still run once dispatching has stopped. */
  get graceMs(): number {
    return this.marginMs / 2;
  }

  reserveMs(countCostLeftMs: number): number {
    return this.marginMs + countCostLeftMs;
  }

  /** True once no new file should start: the elapsed time is past `limit − reserve`. */
  dispatchClosed(nowMs: number, countCostLeftMs: number): boolean {
    return nowMs - this.#startedMs > this.limitMs - this.reserveMs(countCostLeftMs);
  }

  /** True once files still in flight must be abandoned: past `limit − reserve + grace`. */
  inFlightExpired(nowMs: number, countCostLeftMs: number): boolean {
    return nowMs - this.#startedMs > this.limitMs - this.reserveMs(countCostLeftMs) + this.graceMs;
  }
}

/** Projected ms to decode one file of `sizeBytes` only to count its windows. */
export function countCostMs(file: string, sizeBytes: number): number {
  const rate = COUNT_MS_PER_MB[extname(file).toLowerCase()] ?? 700;
  return (rate * sizeBytes) / 1e6;
}

/** The end seconds of a file's windows, exactly as a worker plans them, without scoring them. */
export async function countWindowEnds(file: string, windowSec: number, hopSec: number): Promise<number[]> {
  const decoded = await decodeAudioFile(file);
  return planWindows(decoded.channels[0].length, decoded.sampleRateHz, { windowSec, hopSec }).map((w) => w.endSecond);
}

/**
 * The fallback row: per-label mean over every window of `scored` ([nWindows, nLabels] row-major
 * each), in float64 before the float32 store; zeros when there is no window at all.
 */
export function fallbackRow(scored: Iterable<Float32Array>, nLabels: number): Float32Array {
  const sum = new Float64Array(nLabels);
  let windows = 0;
  for (const probs of scored) {
    const n = probs.length / nLabels;
    for (let w = 0; w < n; w++) for (let k = 0; k < nLabels; k++) sum[k] += probs[w * nLabels + k];
    windows += n;
  }
  return Float32Array.from(sum, (s) => (windows > 0 ? s / windows : 0));
}

/** `nWindows` copies of `row`, [nWindows, nLabels] row-major. */
export function repeatRow(row: Float32Array, nWindows: number): Float32Array {
  const out = new Float32Array(nWindows * row.length);
  for (let w = 0; w < nWindows; w++) out.set(row, w * row.length);
  return out;
}
