/**
 * WAV to float32 channels with wav-decoder, fed a canonical file built from readWavLayout().
 *
 * Scaling follows libsndfile (what the Python side's soundfile uses): an integer sample x of
 * b bits becomes x / 2^(b-1), so int16 −32768 is exactly −1 and +32767 is just under 1. That is
 * wav-decoder's `symmetric` mode for 16 and 32 bits. Two of its readers disagree with it, and we
 * widen those samples before handing them over, losslessly:
 *  - 8-bit: unsigned with 128 as zero. wav-decoder's symmetric reader centres on 127.5, which
 *    would put a DC offset on silence; widened to int16 as (u − 128) · 256, it reads (u − 128)/128.
 *  - 24-bit: wav-decoder's reader takes 0x800000 (the most negative value) as +8388608, i.e. +1.0
 *    instead of −1.0; widened to int32 as x · 256, the int32 reader gets the sign right.
 */
import WavDecoder from 'wav-decoder';
import { readWavLayout, WavLayout, WAVE_FORMAT_PCM } from './wav-chunks.js';

export interface DecodedWav {
  sampleRateHz: number;
  channels: Float32Array[];
  warnings: string[];
}

const HEADER_BYTES = 44;

function writeAscii(out: Uint8Array, at: number, text: string): void {
  for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
}

/** The samples of `layout` as they go into the canonical file, and the bits they end up with. */
function canonicalSamples(layout: WavLayout): { bytes: Uint8Array; bits: number } {
  const { data, bitsPerSample, formatTag } = layout;
  if (formatTag === WAVE_FORMAT_PCM && bitsPerSample === 8) {
    const out = new Uint8Array(data.length * 2);
    const view = new DataView(out.buffer);
    for (let i = 0; i < data.length; i++) view.setInt16(2 * i, (data[i] - 128) * 256, true);
    return { bytes: out, bits: 16 };
  }
  if (formatTag === WAVE_FORMAT_PCM && bitsPerSample === 24) {
    const n = data.length / 3;
    const out = new Uint8Array(n * 4);
    // Little-endian 24-bit x placed in the top three bytes of an int32 is x · 256.
    for (let i = 0; i < n; i++) {
      out[4 * i + 1] = data[3 * i];
      out[4 * i + 2] = data[3 * i + 1];
      out[4 * i + 3] = data[3 * i + 2];
    }
    return { bytes: out, bits: 32 };
  }
  return { bytes: data, bits: bitsPerSample };
}

/** RIFF + 16-byte fmt + data: the only shape wav-decoder reads reliably. */
function canonicalWav(layout: WavLayout): ArrayBuffer {
  const { bytes, bits } = canonicalSamples(layout);
  const blockAlign = (layout.channels * bits) / 8;
  const out = new Uint8Array(HEADER_BYTES + bytes.length);
  const view = new DataView(out.buffer);
  writeAscii(out, 0, 'RIFF');
  view.setUint32(4, 36 + bytes.length, true);
  writeAscii(out, 8, 'WAVEfmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, layout.formatTag, true);
  view.setUint16(22, layout.channels, true);
  view.setUint32(24, layout.sampleRateHz, true);
  view.setUint32(28, layout.sampleRateHz * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, bits, true);
  writeAscii(out, 36, 'data');
  view.setUint32(40, bytes.length, true);
  out.set(bytes, HEADER_BYTES);
  return out.buffer;
}

/** Decodes the bytes of a WAV file; structural problems throw AviaryError (E_DECODE et al.). */
export function decodeWav(bytes: Uint8Array): DecodedWav {
  const layout = readWavLayout(bytes);
  const out = WavDecoder.decode.sync(canonicalWav(layout), { symmetric: true });
  return { sampleRateHz: out.sampleRate, channels: out.channelData, warnings: layout.warnings };
}
