import { AviaryError } from '../errors.js';
import { frameCount, type FrontendConfig } from './frontend-config.js';
import { applyBand, melFilterbank, type MelFilterbank } from './mel-filterbank.js';
import { normalizeInto, toDecibelsInPlace } from './normalize.js';
import { PowerSpectrum, padSignal } from './stft.js';

/**
 * The whole front-end of docs/manifest.md for one window: frames → windowed real FFT →
 * |X|^power → sparse mel → dB with top_db → per-window normalisation, all in float64, returned
 * as float32 `[nMels, nFrames]` row-major (band 0 lowest, `index = m * nFrames + t`).
 *
 * One instance owns one fft.js plan and its buffers and reuses them on every call; it is not
 * re-entrant, so each worker thread builds its own. Throws E_MANIFEST at construction when
 * n_fft is not a power of two (fft.js cannot do other sizes).
 */
export class MelSpectrogram {
  readonly cfg: FrontendConfig;
  readonly nMels: number;
  readonly filterbank: MelFilterbank;
  readonly #spectrum: PowerSpectrum;
  readonly #power: Float64Array;
  readonly #pad: number;
  // Sized on first use and kept while windows keep the same length, the normal case.
  #padded = new Float64Array(0);
  #mel = new Float64Array(0);

  constructor(cfg: FrontendConfig) {
    this.cfg = cfg;
    this.nMels = cfg.nMels;
    this.#spectrum = new PowerSpectrum(cfg);
    this.filterbank = melFilterbank(cfg);
    this.#power = new Float64Array(this.#spectrum.nFreqs);
    this.#pad = cfg.center ? Math.floor(cfg.nFft / 2) : 0;
  }

  /** Frames produced from `nSamples` samples (manifest step 1). */
  nFrames(nSamples: number): number {
    return frameCount(this.cfg, nSamples);
  }

  /** The model input for one window: `[nMels, nFrames]` float32, normalised. */
  compute(samples: Float32Array, out?: Float32Array): Float32Array {
    const mel = this.#melDb(samples);
    const result = this.#output(out, mel.length, Float32Array);
    normalizeInto(mel, this.cfg.normalize, result);
    return result;
  }

  /**
   * The array before normalisation, `[nMels, nFrames]` float64: dB (with top_db) when `to_db`,
   * else mel energies. For parity checks and inspection; `compute` is the model input.
   */
  computeDb(samples: Float32Array, out?: Float64Array): Float64Array {
    const mel = this.#melDb(samples);
    const result = this.#output(out, mel.length, Float64Array);
    result.set(mel);
    return result;
  }

  #output<T extends Float32Array | Float64Array>(
    out: T | undefined,
    length: number,
    Kind: new (n: number) => T,
  ): T {
    if (out === undefined) return new Kind(length);
    if (out.length !== length) {
      throw new AviaryError(
        'E_USAGE',
        `MelSpectrogram: out holds ${out.length} values, the spectrogram has ${length}`,
        `pass an array of nMels * nFrames(nSamples) = ${length} values`,
      );
    }
    return out;
  }

  /** Steps 1–4 into the instance's reusable mel buffer, which it returns. */
  #melDb(samples: Float32Array): Float64Array {
    const nFrames = this.nFrames(samples.length);
    if (!(nFrames >= 1)) {
      throw new AviaryError(
        'E_USAGE',
        `MelSpectrogram: ${samples.length} samples give no frame with n_fft ${this.cfg.nFft}`,
        'pass at least n_fft samples (or n_fft / 2 + 1 with center)',
      );
    }
    const paddedLength = samples.length + 2 * this.#pad;
    if (this.#padded.length !== paddedLength) this.#padded = new Float64Array(paddedLength);
    padSignal(samples, this.#pad, this.cfg.padMode, this.#padded);

    const size = this.nMels * nFrames;
    if (this.#mel.length !== size) this.#mel = new Float64Array(size);
    const mel = this.#mel;
    const bands = this.filterbank.bands;
    const hop = this.cfg.hopLength;
    for (let t = 0; t < nFrames; t++) {
      this.#spectrum.frame(this.#padded, t * hop, this.#power);
      for (let m = 0; m < bands.length; m++)
        mel[m * nFrames + t] = applyBand(bands[m], this.#power);
    }
    toDecibelsInPlace(mel, this.cfg);
    return mel;
  }
}
