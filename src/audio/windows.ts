/**
 * The windowing rules (docs/manifest.md, "Windows and edges").
 *
 * Window i covers samples [i·H, i·H + W). A file of n > 0 samples gets max(1, ceil((n − W)/H) + 1)
 * windows, so the last one may run past the end and is padded with zeros: a 2 s file still gets
 * one row, ending at 5, never 0, and a 240.5 s file gets a 49th row ending at 245. Row ids name a
 * window's end second, (i·H + W) / sample rate, from integer sample counts so that no float error
 * accumulates over an hour-long file; whole-second window and hop make that an integer.
 */
import { AviaryError } from '../errors.js';

export interface WindowPlan {
  index: number;
  /** First sample of the window, at the rate the plan was made for. */
  startSample: number;
  /** Where the window ends, in whole seconds from the start of the file: the row id's number. */
  endSecond: number;
}

export interface WindowOptions {
  /** Scored window length in seconds (default 5, BirdCLEF's). */
  windowSec?: number;
  /** Seconds between window starts (default = windowSec, no overlap). */
  hopSec?: number;
}

function wholeSeconds(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new AviaryError(
      'E_USAGE',
      `--${name} is ${value}; it must be a whole number of seconds above 0`,
      'row ids name whole end seconds, so window and hop are whole seconds',
    );
  }
  return value;
}

/** The windows of a file of `nSamples` samples at `sampleRateHz`; none for an empty file. */
export function planWindows(
  nSamples: number,
  sampleRateHz: number,
  opts: WindowOptions = {},
): WindowPlan[] {
  const windowSec = wholeSeconds('window', opts.windowSec ?? 5);
  const hopSec = wholeSeconds('hop', opts.hopSec ?? windowSec);
  if (!Number.isInteger(sampleRateHz) || sampleRateHz <= 0) {
    throw new AviaryError('E_USAGE', `sample rate ${sampleRateHz} Hz is not a positive integer`);
  }
  if (!Number.isInteger(nSamples) || nSamples < 0) {
    throw new AviaryError('E_USAGE', `sample count ${nSamples} is not a whole number ≥ 0`);
  }
  if (nSamples === 0) return [];
  const win = windowSec * sampleRateHz;
  const hop = hopSec * sampleRateHz;
  const count = Math.max(1, Math.ceil((nSamples - win) / hop) + 1);
  const plan: WindowPlan[] = [];
  for (let index = 0; index < count; index++) {
    const startSample = index * hop;
    // Exact: startSample + win is a multiple of sampleRateHz by construction.
    plan.push({ index, startSample, endSecond: (startSample + win) / sampleRateHz });
  }
  return plan;
}

/** The submission row id: `<file stem>_<end second>`, e.g. `soundscape_1_15`. */
export function rowId(fileStem: string, endSecond: number): string {
  return `${fileStem}_${endSecond}`;
}

/**
 * Samples [start − context, start + window + context) of `samples`, length
 * windowSamples + 2·contextSamples. Whatever falls outside the file is zeros, at the start as at
 * the end, so a window's input depends on nothing but the file's own samples.
 */
export function extractWindow(
  samples: Float32Array,
  startSample: number,
  windowSamples: number,
  contextSamples: number,
): Float32Array {
  const out = new Float32Array(windowSamples + 2 * contextSamples);
  const from = startSample - contextSamples;
  const lo = Math.max(0, from);
  const hi = Math.min(samples.length, from + out.length);
  if (hi > lo) out.set(samples.subarray(lo, hi), lo - from);
  return out;
}
