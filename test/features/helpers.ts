import { parseFrontendConfig, type FrontendConfig } from '../../src/features/frontend-config.js';

/** A small valid front-end in manifest (snake_case) form; tests override fields. */
export const baseFrontend = {
  sample_rate: 16000,
  window_sec: 1,
  context_sec: 0,
  n_fft: 512,
  win_length: 512,
  hop_length: 256,
  window: 'hann',
  center: true,
  pad_mode: 'reflect',
  n_mels: 32,
  f_min: 0,
  f_max: 8000,
  mel_scale: 'htk',
  mel_norm: null,
  power: 2,
  to_db: true,
  amin: 1e-10,
  top_db: null,
  normalize: 'none',
};

export function frontend(overrides: Record<string, unknown> = {}): FrontendConfig {
  return parseFrontendConfig({ ...baseFrontend, ...overrides }, 'test');
}

/** Deterministic pseudo-random samples in [-1, 1) (a small LCG, so tests need no seed API). */
export function noise(n: number, seed = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

export function sine(n: number, freqHz: number, sampleRateHz: number, amplitude = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++)
    out[i] = amplitude * Math.sin((2 * Math.PI * freqHz * i) / sampleRateHz);
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}
