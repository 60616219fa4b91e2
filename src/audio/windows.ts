/**
 * The windowing rules (docs/manifest.md, "Windows and edges"). Window i starts at i · hop and
 * ends at i · hop + window; the row id names its end second, computed from integer sample counts
 * so that no float accumulates. A file of d seconds gives ceil(d / 5) rows with the defaults; the
 * last window is padded with zeros, and a 2 s file gives one row ending at 5, never 0.
 */
import { AviaryError } from '../errors.js';

export interface WindowPlan {
  index: number;
  /** First sample of the window, at the rate the plan was made for. */
  startSample: number;
  endSecond: number;
}

export function planWindows(
  nSamples: number,
  sampleRateHz: number,
  opts: { windowSec?: number; hopSec?: number } = {},
): WindowPlan[] {
  const windowSec = opts.windowSec ?? 5;
  const hopSec = opts.hopSec ?? windowSec;
  for (const [name, v] of [['window', windowSec], ['hop', hopSec]] as const) {
    if (!Number.isInteger(v) || v <= 0) {
      throw new AviaryError('E_USAGE', `--${name} is ${v}; it must be a whole number of seconds > 0`, 'row ids name whole end seconds');
    }
  }
  if (!Number.isInteger(sampleRateHz) || sampleRateHz <= 0) {
    throw new AviaryError('E_USAGE', `sample rate ${sampleRateHz} is not a positive integer`);
  }
  if (nSamples <= 0) return [];
  const win = windowSec * sampleRateHz;
  const hop = hopSec * sampleRateHz;
  const count = Math.max(1, Math.ceil((nSamples - win) / hop) + 1);
  return Array.from({ length: count }, (_, index) => ({
    index,
    startSample: index * hop,
    endSecond: index * hopSec + windowSec,
  }));
}

export function rowId(fileStem: string, endSecond: number): string {
  return `${fileStem}_${endSecond}`;
}

/**
 * Samples [start − context, start + window + context) of `samples`; whatever falls outside the
 * file is zeros, at the start as at the end, so a window depends on the file's own samples only.
 */
export function extractWindow(samples: Float32Array, startSample: number, windowSamples: number, contextSamples: number): Float32Array {
  const out = new Float32Array(windowSamples + 2 * contextSamples);
  const from = startSample - contextSamples;
  const lo = Math.max(0, from);
  const hi = Math.min(samples.length, from + out.length);
  if (hi > lo) out.set(samples.subarray(lo, hi), lo - from);
  return out;
}
