/**
 * Sample-rate conversion with libsamplerate (its WASM build). SRC_SINC_MEDIUM_QUALITY: a
 * band-limited sinc converter whose aliasing sits far below what a spectrogram in dB with
 * top_db 80 can show, at a fraction of SRC_SINC_BEST_QUALITY's cost.
 */
import libsamplerate from '@alexanderolsen/libsamplerate-js';
import { AviaryError } from '../errors.js';

// A CommonJS package: its exports come through the default import.
const { ConverterType, create } = libsamplerate;

/** mono samples at fromHz → mono samples at toHz, exactly round(n · toHz / fromHz) long. */
export async function resample(samples: Float32Array, fromHz: number, toHz: number): Promise<Float32Array> {
  if (fromHz === toHz) return samples;
  if (!(fromHz > 0 && toHz > 0)) throw new AviaryError('E_RESAMPLE', `cannot resample from ${fromHz} Hz to ${toHz} Hz`);
  const expected = Math.round((samples.length * toHz) / fromHz);
  const src = await create(1, fromHz, toHz, { converterType: ConverterType.SRC_SINC_MEDIUM_QUALITY });
  try {
    const out = src.full(samples);
    // The converter's output can differ from the ideal length by a sample or so (filter delay
    // and rounding); the window arithmetic needs the exact count, so trim or zero-pad.
    if (out.length === expected) return out;
    const exact = new Float32Array(expected);
    exact.set(out.subarray(0, Math.min(out.length, expected)));
    return exact;
  } finally {
    src.destroy();
  }
}
