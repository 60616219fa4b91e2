/**
 * Sample-rate conversion with libsamplerate's band-limited sinc converter (its WASM build).
 *
 * SRC_SINC_MEDIUM_QUALITY by default. Measured here (44.1 → 32 kHz sines): flat to 14 kHz
 * (−0.28 dB, the same as scipy's resample_poly that the Python side trains with), −3 dB at
 * 14.5 kHz, −13 dB at 15 kHz; BEST stays flat to 15 kHz but runs 2.5–3× slower, and resampling
 * is the costliest CPU stage before inference. The difference only shows for sources above
 * 32 kHz in a model's top mel bands (f_max 15 kHz); the soundscapes are almost all 22–32 kHz,
 * where both converters pass everything the source holds. `quality: 'best'` is there for a
 * model that needs the top of the band.
 *
 * Two details of the package shape this code:
 *  - `simple()` hands inputs over ~1M samples to a chunked `full()` that never flushes (and that
 *    ignores a subarray's byteOffset), and `full()` keeps the converter's look-ahead buffered.
 *    So we feed `full()` our own chunks, then zeros until the buffered tail has come out,
 *    which is what libsamplerate's end-of-input does: the signal continues as silence.
 *  - The sinc converter is delay-compensated: output sample k is the input at time k / toHz.
 *    Trimming the end is therefore enough to get the exact length round(n · toHz / fromHz),
 *    which the window arithmetic relies on.
 */
import libsamplerate from '@alexanderolsen/libsamplerate-js';
import { AviaryError } from '../errors.js';

// A CommonJS bundle: its exports come through the default import.
const { ConverterType, create } = libsamplerate;

export type ResampleQuality = 'medium' | 'best';

export interface ResampleOptions {
  /** 'medium' (default): SRC_SINC_MEDIUM_QUALITY; 'best': SRC_SINC_BEST_QUALITY. */
  quality?: ResampleQuality;
}

/** The package's transfer buffers hold 1,008,000 floats; chunks stay well inside them. */
const MAX_CHUNK_FRAMES = 250_000;
/** libsamplerate's limits on the conversion ratio. */
const MAX_RATIO = 256;
const FLUSH_FRAMES = 4096;
const MAX_FLUSHES = 64;

function checkRates(fromHz: number, toHz: number): void {
  for (const [name, hz] of [
    ['source', fromHz],
    ['target', toHz],
  ] as const) {
    if (!Number.isFinite(hz) || hz <= 0) {
      throw new AviaryError('E_RESAMPLE', `${name} sample rate ${hz} Hz is not a positive number`);
    }
  }
  const ratio = toHz / fromHz;
  if (ratio > MAX_RATIO || ratio < 1 / MAX_RATIO) {
    throw new AviaryError(
      'E_RESAMPLE',
      `cannot resample ${fromHz} Hz to ${toHz} Hz: the ratio is outside 1/${MAX_RATIO}…${MAX_RATIO}`,
    );
  }
}

/**
 * Mono `samples` at `fromHz` → mono at `toHz`, exactly round(n · toHz / fromHz) samples long.
 * Equal rates return the input itself (no copy).
 */
export async function resample(
  samples: Float32Array,
  fromHz: number,
  toHz: number,
  opts: ResampleOptions = {},
): Promise<Float32Array> {
  checkRates(fromHz, toHz);
  if (fromHz === toHz) return samples;
  const expected = Math.round((samples.length * toHz) / fromHz);
  const out = new Float32Array(expected);
  if (samples.length === 0) return out;

  const converterType =
    opts.quality === 'best'
      ? ConverterType.SRC_SINC_BEST_QUALITY
      : ConverterType.SRC_SINC_MEDIUM_QUALITY;
  const src = await create(1, fromHz, toHz, { converterType });
  // Upsampling makes more output than input; keep both sides of a chunk inside the buffers.
  const chunk = Math.max(1, Math.floor(MAX_CHUNK_FRAMES / Math.max(1, toHz / fromHz)));
  let written = 0;
  const take = (part: Float32Array): void => {
    const n = Math.min(part.length, expected - written);
    if (n > 0) out.set(part.subarray(0, n), written);
    written += n;
  };
  try {
    for (let start = 0; start < samples.length; start += chunk) {
      take(src.full(samples.subarray(start, Math.min(samples.length, start + chunk))));
    }
    const zeros = new Float32Array(Math.min(chunk, FLUSH_FRAMES));
    for (let i = 0; written < expected && i < MAX_FLUSHES; i++) take(src.full(zeros));
  } catch (err) {
    throw new AviaryError(
      'E_RESAMPLE',
      `libsamplerate failed converting ${fromHz} Hz to ${toHz} Hz: ${String(err)}`,
    );
  } finally {
    src.destroy();
  }
  if (written < expected) {
    throw new AviaryError(
      'E_RESAMPLE',
      `libsamplerate produced ${written} of ${expected} samples converting ${fromHz} Hz to ${toHz} Hz`,
    );
  }
  return out;
}
