/**
 * Decoding a recording to float32 channels with well-kept decoders: wav-decoder for WAV, and the
 * WASM builds of libvorbis, libFLAC and mpg123 for Ogg Vorbis, FLAC and MP3. The container is
 * read from the bytes, so a FLAC file named .wav still decodes; the name only decides when the
 * bytes say nothing.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import { MPEGDecoder } from 'mpg123-decoder';
import WavDecoder from 'wav-decoder';
import { AviaryError } from '../errors.js';
import { AudioFormat, sniffFormat } from './sniff.js';
import { canonicalWav } from './wav-chunks.js';

export interface DecodedAudio {
  sampleRateHz: number;
  channels: Float32Array[];
  format: AudioFormat;
  warnings: string[];
}

interface WasmDecoded {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: { message: string }[];
}

interface WasmDecoder {
  ready: Promise<void>;
  free(): void;
}

interface WholeFileDecoder extends WasmDecoder {
  decodeFile?(data: Uint8Array): Promise<WasmDecoded> | WasmDecoded;
  decode(data: Uint8Array): Promise<WasmDecoded> | WasmDecoded;
}

function makeDecoder(format: Exclude<AudioFormat, 'wav'>): WholeFileDecoder {
  if (format === 'ogg') return new OggVorbisDecoder() as unknown as WholeFileDecoder;
  if (format === 'flac') return new FLACDecoder() as unknown as WholeFileDecoder;
  return new MPEGDecoder() as unknown as WholeFileDecoder;
}

async function decodeWasm(format: Exclude<AudioFormat, 'wav'>, bytes: Uint8Array): Promise<DecodedAudio> {
  const decoder = makeDecoder(format);
  try {
    await decoder.ready;
    // Ogg and FLAC decoders take a whole file with decodeFile(); mpg123's decode() does.
    const out = decoder.decodeFile ? await decoder.decodeFile(bytes) : await decoder.decode(bytes);
    const warnings = out.errors.slice(0, 3).map((e) => `decoder: ${e.message}`);
    if (out.errors.length > 3) warnings.push(`decoder: ${out.errors.length - 3} more errors`);
    if (out.samplesDecoded === 0 || out.channelData.length === 0) {
      const why = out.errors[0]?.message ?? 'no audio frames found';
      throw new Error(why);
    }
    // The decoders may hand back views into their WASM heap; copy before free().
    const channels = out.channelData.map((c) => Float32Array.from(c.subarray(0, out.samplesDecoded)));
    return { sampleRateHz: out.sampleRate, channels, format, warnings };
  } finally {
    decoder.free();
  }
}

function decodeWav(bytes: Uint8Array): DecodedAudio {
  const { bytes: canonical, warnings } = canonicalWav(bytes);
  const out = WavDecoder.decode.sync(canonical) as { sampleRate: number; channelData: Float32Array[] };
  return { sampleRateHz: out.sampleRate, channels: out.channelData, format: 'wav', warnings };
}

const BY_EXTENSION: Record<string, AudioFormat> = { '.wav': 'wav', '.ogg': 'ogg', '.oga': 'ogg', '.flac': 'flac', '.mp3': 'mp3' };

export async function decodeAudioFile(filePath: string): Promise<DecodedAudio> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(filePath);
  } catch (err) {
    throw new AviaryError('E_DECODE', `${filePath}: cannot read (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  if (bytes.length === 0) throw new AviaryError('E_EMPTY_AUDIO', `${filePath}: the file is empty (0 bytes)`);
  const format = sniffFormat(bytes);
  if (format === null) {
    const ext = path.extname(filePath).toLowerCase();
    const claimed = BY_EXTENSION[ext];
    throw new AviaryError(
      claimed ? 'E_DECODE' : 'E_UNSUPPORTED_FORMAT',
      claimed
        ? `${filePath}: named ${ext} but its bytes are not ${claimed.toUpperCase()} (corrupt or another format)`
        : `${filePath}: not a WAV, Ogg Vorbis, FLAC or MP3 file`,
    );
  }
  let decoded: DecodedAudio;
  try {
    decoded = format === 'wav' ? decodeWav(bytes) : await decodeWasm(format, bytes);
  } catch (err) {
    throw new AviaryError('E_DECODE', `${filePath}: cannot decode ${format.toUpperCase()}: ${(err as Error).message}`);
  }
  const samples = decoded.channels[0]?.length ?? 0;
  if (samples === 0) throw new AviaryError('E_EMPTY_AUDIO', `${filePath}: decodes to no samples`);
  if (!(decoded.sampleRateHz > 0)) throw new AviaryError('E_DECODE', `${filePath}: invalid sample rate ${decoded.sampleRateHz}`);
  const ext = path.extname(filePath).toLowerCase();
  if (BY_EXTENSION[ext] && BY_EXTENSION[ext] !== format) {
    decoded.warnings.push(`named ${ext} but is ${format.toUpperCase()}; decoded as ${format.toUpperCase()}`);
  }
  return decoded;
}
