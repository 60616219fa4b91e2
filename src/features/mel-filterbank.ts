import type { FrontendConfig } from './frontend-config.js';

/**
 * The mel filterbank of docs/manifest.md step 3, matching torchaudio's `melscale_fbanks`
 * (triangles between mel-spaced points, optional Slaney area norm), stored sparsely: a triangle
 * touches only a few dozen of the n_fft / 2 + 1 bins, so the mel step multiplies only those.
 */

/** One mel band: weights for FFT bins `startBin … startBin + weights.length - 1`. */
export interface MelBand {
  startBin: number;
  weights: Float64Array;
}

export interface MelFilterbank {
  /** FFT bins the filterbank reads: n_fft / 2 + 1. */
  nFreqs: number;
  /** Band 0 is the lowest. Bands that cover no bin have empty weights and give 0. */
  bands: MelBand[];
  /** The n_mels + 2 triangle corner frequencies in Hz (`f[0 … n_mels+1]` in the manifest). */
  cornersHz: Float64Array;
}

/** Hz to mel: HTK `2595 log10(1 + f / 700)`, or Slaney (linear below 1 kHz, log above). */
export function hzToMel(hz: number, scale: 'htk' | 'slaney'): number {
  if (scale === 'htk') return 2595 * Math.log10(1 + hz / 700);
  if (hz < 1000) return (3 * hz) / 200;
  return 15 + (27 * Math.log(hz / 1000)) / Math.log(6.4);
}

/** The inverse of `hzToMel`. */
export function melToHz(mel: number, scale: 'htk' | 'slaney'): number {
  if (scale === 'htk') return 700 * (10 ** (mel / 2595) - 1);
  if (mel < 15) return (200 * mel) / 3;
  return 1000 * Math.exp(((mel - 15) * Math.log(6.4)) / 27);
}

/** Frequency of FFT bin `k` in Hz, as the manifest (and torchaudio's linspace) defines it. */
export function binHz(k: number, sampleRateHz: number, nFreqs: number): number {
  return (k * (sampleRateHz / 2)) / (nFreqs - 1);
}

/**
 * Builds the filterbank for `cfg` in float64. Weight of band m at bin k is
 * `max(0, min((fk - f[m]) / (f[m+1] - f[m]), (f[m+2] - fk) / (f[m+2] - f[m+1])))`, times
 * `2 / (f[m+2] - f[m])` under the Slaney norm.
 */
export function melFilterbank(cfg: FrontendConfig): MelFilterbank {
  const nFreqs = Math.floor(cfg.nFft / 2) + 1;
  const nPoints = cfg.nMels + 2;
  const melMin = hzToMel(cfg.fMinHz, cfg.melScale);
  const melMax = hzToMel(cfg.fMaxHz, cfg.melScale);
  const cornersHz = new Float64Array(nPoints);
  const melStep = (melMax - melMin) / (nPoints - 1);
  for (let i = 0; i < nPoints; i++) {
    const mel = i === nPoints - 1 ? melMax : melMin + melStep * i;
    cornersHz[i] = melToHz(mel, cfg.melScale);
  }

  const bands: MelBand[] = [];
  const dense = new Float64Array(nFreqs);
  for (let m = 0; m < cfg.nMels; m++) {
    const lo = cornersHz[m];
    const mid = cornersHz[m + 1];
    const hi = cornersHz[m + 2];
    const norm = cfg.melNorm === 'slaney' ? 2 / (hi - lo) : 1;
    let first = -1;
    let last = -1;
    for (let k = 0; k < nFreqs; k++) {
      const f = binHz(k, cfg.sampleRateHz, nFreqs);
      const w = Math.max(0, Math.min((f - lo) / (mid - lo), (hi - f) / (hi - mid)));
      // A zero-width edge gives NaN (0/0); torchaudio's max(0, NaN) is NaN too, but such a
      // band cannot occur for f_min < f_max, so treat it as empty rather than poison the sum.
      dense[k] = Number.isFinite(w) ? w * norm : 0;
      if (dense[k] > 0) {
        if (first < 0) first = k;
        last = k;
      }
    }
    bands.push(
      first < 0
        ? { startBin: 0, weights: new Float64Array(0) }
        : { startBin: first, weights: dense.slice(first, last + 1) },
    );
  }
  return { nFreqs, bands, cornersHz };
}

/** Band `m` of one frame: the sparse dot product of its weights with the power spectrum. */
export function applyBand(band: MelBand, power: Float64Array): number {
  const { startBin, weights } = band;
  let sum = 0;
  for (let j = 0; j < weights.length; j++) sum += weights[j] * power[startBin + j];
  return sum;
}
