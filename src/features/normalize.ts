import type { FrontendConfig } from './frontend-config.js';

/**
 * Steps 4–5 of docs/manifest.md on one window's whole `[nMels, nFrames]` mel array: decibels
 * with the `top_db` floor, then the per-window normalisation. Statistics are over the whole
 * window (all bands and frames), in float64.
 */

/** Below this range (minmax) or std (standard) a window counts as flat, so silence stays finite. */
export const FLAT_EPSILON = 1e-6;

/**
 * In place: `S = k log10(max(S, amin))` with k = 10 for power 2 and 20 for power 1, then
 * `S = max(S, max(S) - top_db)` when top_db is set. Does nothing when `to_db` is false.
 */
export function toDecibelsInPlace(
  values: Float64Array,
  cfg: Pick<FrontendConfig, 'toDb' | 'power' | 'amin' | 'topDb'>,
): void {
  if (!cfg.toDb) return;
  const scale = cfg.power === 2 ? 10 : 20;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const db = scale * Math.log10(Math.max(values[i], cfg.amin));
    values[i] = db;
    if (db > max) max = db;
  }
  if (cfg.topDb === null) return;
  const floor = max - cfg.topDb;
  for (let i = 0; i < values.length; i++) if (values[i] < floor) values[i] = floor;
}

/**
 * Writes the normalised `values` into `out`: `minmax` → (S - min) / (max - min), all zeros when
 * max - min < 1e-6; `standard` → (S - mean) / max(std, 1e-6), population std; `none` → S.
 */
export function normalizeInto(
  values: Float64Array,
  mode: FrontendConfig['normalize'],
  out: Float32Array,
): void {
  const n = values.length;
  if (mode === 'minmax') {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      if (values[i] < min) min = values[i];
      if (values[i] > max) max = values[i];
    }
    const range = max - min;
    if (!(range >= FLAT_EPSILON)) {
      out.fill(0, 0, n);
      return;
    }
    for (let i = 0; i < n; i++) out[i] = (values[i] - min) / range;
    return;
  }
  if (mode === 'standard') {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[i];
    const mean = sum / n;
    // Two passes: the one-pass E[x²] − E[x]² loses digits on dB values around −100 with a
    // spread of a few dB.
    let sq = 0;
    for (let i = 0; i < n; i++) sq += (values[i] - mean) ** 2;
    const std = Math.max(Math.sqrt(sq / n), FLAT_EPSILON);
    for (let i = 0; i < n; i++) out[i] = (values[i] - mean) / std;
    return;
  }
  for (let i = 0; i < n; i++) out[i] = values[i];
}
