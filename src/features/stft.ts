import FFT from 'fft.js';
import { AviaryError } from '../errors.js';
import type { FrontendConfig } from './frontend-config.js';

/**
 * Framing, windowing and the real FFT of docs/manifest.md steps 1–2 (torch.stft with
 * `center`, `pad_mode`, a periodic window zero-padded to n_fft, onesided output).
 *
 * fft.js only does power-of-two sizes, so a manifest with any other n_fft is refused when the
 * front-end is built, before audio is read.
 */

/**
 * Pads `samples` by `pad` on both sides into `out` (length `samples.length + 2 * pad`).
 * `reflect` mirrors about the edge sample without repeating it (numpy `reflect`: [1 2 3 4] pad 2
 * gives [3 2 1 2 3 4 3 2]); a pad longer than the signal keeps folding, as numpy does.
 */
export function padSignal(
  samples: ArrayLike<number>,
  pad: number,
  mode: 'reflect' | 'constant',
  out: Float64Array = new Float64Array(samples.length + 2 * pad),
): Float64Array {
  const n = samples.length;
  if (out.length !== n + 2 * pad) {
    throw new AviaryError(
      'E_USAGE',
      `padSignal: out has ${out.length} samples, needs ${n + 2 * pad}`,
    );
  }
  for (let i = 0; i < n; i++) out[pad + i] = samples[i];
  if (mode === 'constant') {
    out.fill(0, 0, pad);
    out.fill(0, pad + n);
    return out;
  }
  if (n === 0 && pad > 0) {
    throw new AviaryError('E_USAGE', 'padSignal: cannot reflect-pad an empty signal');
  }
  const period = 2 * (n - 1);
  for (let i = 0; i < pad; i++) {
    out[pad - 1 - i] = samples[reflectIndex(-1 - i, n, period)];
    out[pad + n + i] = samples[reflectIndex(n + i, n, period)];
  }
  return out;
}

/** Index into a signal of length n for position `j` outside it, mirrored without edge repeats. */
function reflectIndex(j: number, n: number, period: number): number {
  if (n === 1) return 0;
  let r = ((j % period) + period) % period;
  if (r >= n) r = period - r;
  return r;
}

/**
 * The analysis window: periodic hann or hamming of `winLength`, centred in `nFft` zeros with
 * the left pad `(nFft - winLength) // 2` (torch.stft's placement).
 */
export function analysisWindow(cfg: FrontendConfig): Float64Array {
  const out = new Float64Array(cfg.nFft);
  const left = Math.floor((cfg.nFft - cfg.winLength) / 2);
  const [a, b] = cfg.window === 'hann' ? [0.5, 0.5] : [0.54, 0.46];
  for (let n = 0; n < cfg.winLength; n++) {
    out[left + n] = a - b * Math.cos((2 * Math.PI * n) / cfg.winLength);
  }
  return out;
}

/** Throws E_MANIFEST unless n_fft is a power of two above 1, the sizes fft.js can do. */
export function assertFftSize(nFft: number): void {
  if (nFft < 2 || (nFft & (nFft - 1)) !== 0) {
    throw new AviaryError(
      'E_MANIFEST',
      `frontend.n_fft is ${nFft}; the TypeScript front-end (fft.js) needs a power of two ≥ 2`,
      'export the model with n_fft = 256, 512, 1024, 2048, …; win_length may stay any size ≤ n_fft',
    );
  }
}

/**
 * One reusable FFT plan and its buffers: turns one frame of a padded signal into the
 * `|X|^power` spectrum of bins 0 … n_fft / 2. Not safe to share between concurrent callers;
 * each worker builds its own.
 */
export class PowerSpectrum {
  readonly nFft: number;
  readonly nFreqs: number;
  readonly #power: 1 | 2;
  readonly #window: Float64Array;
  readonly #fft: FFT;
  readonly #frame: Float64Array;
  readonly #spectrum: Float64Array;

  constructor(cfg: FrontendConfig) {
    assertFftSize(cfg.nFft);
    this.nFft = cfg.nFft;
    this.nFreqs = cfg.nFft / 2 + 1;
    this.#power = cfg.power;
    this.#window = analysisWindow(cfg);
    this.#fft = new FFT(cfg.nFft);
    this.#frame = new Float64Array(cfg.nFft);
    // Interleaved re/im for all n_fft bins; realTransform writes only bins 0 … n_fft / 2,
    // which are the ones read here.
    this.#spectrum = new Float64Array(2 * cfg.nFft);
  }

  /** Fills `out[0 … nFreqs-1]` with `|X[k]|^power` of the frame starting at `start` of `padded`. */
  frame(padded: Float64Array, start: number, out: Float64Array): void {
    const frame = this.#frame;
    const window = this.#window;
    for (let i = 0; i < this.nFft; i++) frame[i] = padded[start + i] * window[i];
    this.#fft.realTransform(this.#spectrum, frame);
    const spec = this.#spectrum;
    const squared = this.#power === 2;
    for (let k = 0; k < this.nFreqs; k++) {
      const re = spec[2 * k];
      const im = spec[2 * k + 1];
      const p = re * re + im * im;
      out[k] = squared ? p : Math.sqrt(p);
    }
  }
}
