import { AviaryError } from '../errors.js';

/** Throws E_USAGE unless `width` is an odd positive integer (1 = no smoothing). */
export function checkSmoothingWidth(width: number): void {
  if (!Number.isInteger(width) || width < 1 || width % 2 === 0) {
    throw new AviaryError(
      'E_USAGE',
      `smoothing width ${width} is not an odd positive integer`,
      'use 1 (off), 3, 5, …: an odd width keeps the mean centred on its window',
    );
  }
}

/**
 * A centred moving mean over neighbouring windows of ONE file, per label: window t becomes the
 * mean of windows t - h … t + h with h = (width - 1) / 2. At the file's edges the mean is over the
 * windows that exist, not padded with zeros or copies, so with width 3 the first window is the
 * mean of windows 0 and 1. Calls go in a song are often split across windows, and a single
 * window's spike is more often noise than a bird; neighbours trade a little time precision for
 * steadier scores.
 *
 * `probs` is [nWindows, nLabels], row-major; the result is a new array of the same shape (width 1
 * returns an unchanged copy). Never call it on windows of two files concatenated: the mean would
 * leak scores across the file boundary.
 */
export function smoothWindows(probs: Float32Array, nWindows: number, nLabels: number, width: number): Float32Array {
  checkSmoothingWidth(width);
  if (!Number.isInteger(nWindows) || nWindows < 0 || !Number.isInteger(nLabels) || nLabels < 0) {
    throw new AviaryError('E_USAGE', `nWindows ${nWindows} and nLabels ${nLabels} must be non-negative integers`);
  }
  if (probs.length !== nWindows * nLabels) {
    throw new AviaryError('E_USAGE', `smoothing got ${probs.length} scores for ${nWindows} windows × ${nLabels} labels`);
  }

  const out = new Float32Array(probs.length);
  if (width === 1) {
    out.set(probs);
    return out;
  }
  const half = (width - 1) / 2;
  const acc = new Float64Array(nLabels);
  for (let t = 0; t < nWindows; t++) {
    const first = Math.max(0, t - half);
    const last = Math.min(nWindows - 1, t + half);
    acc.fill(0);
    // Summing each neighbourhood afresh (width is small) rather than keeping a running sum keeps
    // every output exact to float64 rounding, with no drift along hour-long files.
    for (let s = first; s <= last; s++) {
      const row = s * nLabels;
      for (let j = 0; j < nLabels; j++) acc[j] += probs[row + j];
    }
    const count = last - first + 1;
    const row = t * nLabels;
    for (let j = 0; j < nLabels; j++) out[row + j] = acc[j] / count;
  }
  return out;
}
