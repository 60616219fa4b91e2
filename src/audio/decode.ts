/**
 * One recording to float32 channels at its own sample rate. The container is read from the bytes
 * (sniff.ts), so a FLAC file named .wav still decodes; the name only matters when the bytes are
 * not audio at all, to tell "a corrupt .ogg" (E_DECODE) from "not a format we read"
 * (E_UNSUPPORTED_FORMAT). Every deliberate error names the file; warnings say what was repaired
 * or skipped in a file that still decoded (a truncated data chunk, decoder errors mid-stream).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AviaryError, isAviaryError } from '../errors.js';
import { decodeCompressed } from './decoders/compressed.js';
import { decodeWav } from './decoders/wav.js';
import { AudioFormat, sniffFormat } from './sniff.js';

export type { AudioFormat } from './sniff.js';
export { sniffFormat } from './sniff.js';

export interface DecodedAudio {
  sampleRateHz: number;
  /** One array per channel, all the same length, samples in [-1, 1] for integer sources. */
  channels: Float32Array[];
  format: AudioFormat;
  warnings: string[];
}

const BY_EXTENSION: Record<string, AudioFormat> = {
  '.wav': 'wav',
  '.ogg': 'ogg',
  '.oga': 'ogg',
  '.flac': 'flac',
  '.mp3': 'mp3',
};

const FORMAT_NAMES: Record<AudioFormat, string> = {
  wav: 'WAV',
  ogg: 'Ogg',
  flac: 'FLAC',
  mp3: 'MP3',
};

async function readBytes(filePath: string): Promise<Uint8Array> {
  try {
    return await readFile(filePath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new AviaryError(
      'E_DECODE',
      `${filePath}: cannot read the file (${code ?? (err as Error).message})`,
    );
  }
}

function notAudio(filePath: string): AviaryError {
  const ext = path.extname(filePath).toLowerCase();
  const claimed = BY_EXTENSION[ext];
  if (claimed) {
    return new AviaryError(
      'E_DECODE',
      `${filePath}: named ${ext} but its bytes are not ${FORMAT_NAMES[claimed]} (corrupt, or another format)`,
    );
  }
  return new AviaryError(
    'E_UNSUPPORTED_FORMAT',
    `${filePath}: not a WAV, Ogg Vorbis, FLAC or MP3 file`,
    'convert it to FLAC or WAV',
  );
}

/** Reads and decodes one file; throws AviaryError (E_DECODE, E_EMPTY_AUDIO, E_UNSUPPORTED_FORMAT). */
export async function decodeAudioFile(filePath: string): Promise<DecodedAudio> {
  const bytes = await readBytes(filePath);
  if (bytes.length === 0) {
    throw new AviaryError('E_EMPTY_AUDIO', `${filePath}: the file is empty (0 bytes)`);
  }
  const format = sniffFormat(bytes);
  if (format === null) throw notAudio(filePath);

  let decoded: Omit<DecodedAudio, 'format'>;
  try {
    decoded = format === 'wav' ? decodeWav(bytes) : await decodeCompressed(format, bytes);
  } catch (err) {
    if (isAviaryError(err)) {
      throw new AviaryError(err.code, `${filePath}: ${err.message}`, err.hint);
    }
    // Anything else is a decoder library tripping over bad bytes.
    const why = err instanceof Error ? err.message : String(err);
    throw new AviaryError('E_DECODE', `${filePath}: cannot decode ${FORMAT_NAMES[format]}: ${why}`);
  }

  const nSamples = decoded.channels[0]?.length ?? 0;
  if (nSamples === 0) {
    throw new AviaryError('E_EMPTY_AUDIO', `${filePath}: decodes to no samples`);
  }
  if (!Number.isInteger(decoded.sampleRateHz) || decoded.sampleRateHz <= 0) {
    throw new AviaryError(
      'E_DECODE',
      `${filePath}: invalid sample rate ${decoded.sampleRateHz} Hz`,
    );
  }
  const ext = path.extname(filePath).toLowerCase();
  const warnings = [...decoded.warnings];
  if (BY_EXTENSION[ext] && BY_EXTENSION[ext] !== format) {
    warnings.push(
      `named ${ext} but holds ${FORMAT_NAMES[format]}; decoded as ${FORMAT_NAMES[format]}`,
    );
  }
  return { sampleRateHz: decoded.sampleRateHz, channels: decoded.channels, format, warnings };
}
