/**
 * A RIFF/WAVE (and RF64) chunk walker: finds `fmt ` and `data`, resolves the real sample format,
 * and says what is wrong with a damaged file instead of throwing wherever it happens to break.
 *
 * wav-decoder (which does the sample conversion, see wav.ts) reads only a plain 16-byte-style
 * PCM/float `fmt `: it refuses WAVE_FORMAT_EXTENSIBLE, ignores the pad byte after odd-sized
 * chunks, knows nothing of RF64's 64-bit sizes, and loops past the end of a file without `data`.
 * This module covers those cases so that wav.ts can hand it a canonical file.
 */
import { AviaryError } from '../../errors.js';

export const WAVE_FORMAT_PCM = 0x0001;
export const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/** Names for the codecs people actually meet inside WAV files, for a useful refusal. */
const CODEC_NAMES: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0006: 'A-law',
  0x0007: 'µ-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG',
  0x0055: 'MP3',
};

export interface WavLayout {
  /** PCM or IEEE float, after resolving WAVE_FORMAT_EXTENSIBLE's sub-format. */
  formatTag: number;
  channels: number;
  sampleRateHz: number;
  /** Container bits per sample (8, 16, 24, 32 or 64), as stored. */
  bitsPerSample: number;
  /** Bytes per frame (all channels of one sample instant). */
  blockAlign: number;
  /** The sample bytes, whole frames only. */
  data: Uint8Array;
  warnings: string[];
}

function bad(message: string): never {
  throw new AviaryError('E_DECODE', message);
}

function uint64(view: DataView, at: number): number {
  return view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32;
}

function chunkId(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
}

interface FmtChunk {
  formatTag: number;
  channels: number;
  sampleRateHz: number;
  blockAlign: number;
  bitsPerSample: number;
}

function readFmt(view: DataView, start: number, size: number): FmtChunk {
  if (size < 16) bad(`the fmt chunk is ${size} bytes; at least 16 are needed`);
  let formatTag = view.getUint16(start, true);
  if (formatTag === WAVE_FORMAT_EXTENSIBLE) {
    // The extension: cbSize, valid bits, channel mask, then a GUID whose first two bytes are the
    // classic format tag. Container bits (bitsPerSample) decide the layout; valid bits only say
    // how many of them carry signal, and the samples are left-justified, so scaling is the same.
    if (size < 40) bad('WAVE_FORMAT_EXTENSIBLE fmt chunk without its sub-format');
    formatTag = view.getUint16(start + 24, true);
  }
  return {
    formatTag,
    channels: view.getUint16(start + 2, true),
    sampleRateHz: view.getUint32(start + 4, true),
    blockAlign: view.getUint16(start + 12, true),
    bitsPerSample: view.getUint16(start + 14, true),
  };
}

function checkFmt(fmt: FmtChunk, warnings: string[]): void {
  const { formatTag, channels, sampleRateHz, bitsPerSample } = fmt;
  if (formatTag !== WAVE_FORMAT_PCM && formatTag !== WAVE_FORMAT_IEEE_FLOAT) {
    const name = CODEC_NAMES[formatTag] ?? 'an unknown codec';
    throw new AviaryError(
      'E_UNSUPPORTED_FORMAT',
      `WAV holds ${name} (format tag 0x${formatTag.toString(16).padStart(4, '0')}); only PCM and float WAV are read`,
      'convert it to PCM WAV or FLAC, e.g. ffmpeg -i in.wav -c:a pcm_s16le out.wav',
    );
  }
  const allowed = formatTag === WAVE_FORMAT_PCM ? [8, 16, 24, 32] : [32, 64];
  if (!allowed.includes(bitsPerSample)) {
    const kind = formatTag === WAVE_FORMAT_PCM ? 'integer PCM' : 'float';
    throw new AviaryError(
      'E_UNSUPPORTED_FORMAT',
      `WAV ${kind} with ${bitsPerSample} bits per sample; ${allowed.join(', ')} are read`,
    );
  }
  if (channels === 0) bad('the fmt chunk says 0 channels');
  if (sampleRateHz === 0) bad('the fmt chunk says a sample rate of 0 Hz');
  const expected = (channels * bitsPerSample) / 8;
  if (fmt.blockAlign !== expected) {
    // The sample bytes are laid out by bitsPerSample; a wrong block size is a writer's slip.
    warnings.push(`fmt block size ${fmt.blockAlign} corrected to ${expected}`);
    fmt.blockAlign = expected;
  }
}

/** Walks the chunks of a RIFF/RF64 WAVE file; throws AviaryError for what cannot be read. */
export function readWavLayout(bytes: Uint8Array): WavLayout {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const warnings: string[] = [];
  const isRf64 = chunkId(bytes, 0) !== 'RIFF';
  let rf64DataSize: number | null = null;
  let fmt: FmtChunk | null = null;
  let data: Uint8Array | null = null;

  let pos = 12;
  while (pos + 8 <= bytes.length && !(fmt && data)) {
    const id = chunkId(bytes, pos);
    let size = view.getUint32(pos + 4, true);
    const start = pos + 8;
    if (id === 'ds64' && size >= 16) {
      rf64DataSize = uint64(view, start + 8);
    } else if (id === 'fmt ') {
      if (start + Math.min(size, 40) > bytes.length) bad('the file ends inside the fmt chunk');
      fmt = readFmt(view, start, size);
    } else if (id === 'data') {
      const available = bytes.length - start;
      if (size === 0xffffffff && isRf64 && rf64DataSize !== null) {
        size = rf64DataSize;
      } else if (size === 0xffffffff) {
        // Written by a recorder that never came back to fill in the size: all that follows.
        warnings.push('data chunk size was never written; reading to the end of the file');
        size = available;
      }
      if (size > available) {
        warnings.push(`data chunk is truncated: ${available} of ${size} bytes present`);
      }
      data = bytes.subarray(start, start + Math.min(size, available));
    }
    // Chunks are word-aligned: an odd-sized chunk is followed by one pad byte.
    pos = start + size + (size % 2);
  }
  if (!fmt) bad(data ? 'no fmt chunk before the end of the file' : 'no fmt chunk');
  if (!data) bad('no data chunk (the file holds no samples or was cut before them)');
  checkFmt(fmt, warnings);
  const partial = data.length % fmt.blockAlign;
  if (partial !== 0) warnings.push(`dropped ${partial} bytes of an incomplete last frame`);
  return { ...fmt, data: data.subarray(0, data.length - partial), warnings };
}
