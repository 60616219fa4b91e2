/**
 * Ogg Vorbis, FLAC (native and in Ogg) and MP3 through the WASM builds of libvorbis, libFLAC and
 * mpg123. These decoders never throw on bad data: they skip what they cannot read and list it in
 * `errors`. We turn those into warnings when audio came out and into E_DECODE when none did, and
 * add the one check they leave out, whether the file ends where its own header says it should.
 */
import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import { MPEGDecoder } from 'mpg123-decoder';
import { AviaryError } from '../../errors.js';
import { id3v2Length } from '../sniff.js';

export interface DecodedCompressed {
  sampleRateHz: number;
  channels: Float32Array[];
  warnings: string[];
}

interface WasmOutput {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: { message: string }[];
}

const MAX_LISTED_ERRORS = 3;

/** Ogg's codec, from the first packet of the first page (27-byte header + segment table). */
function oggCodec(bytes: Uint8Array): 'vorbis' | 'flac' | 'opus' | 'speex' | 'unknown' {
  const packet = 27 + (bytes[26] ?? 0);
  const head = String.fromCharCode(...bytes.subarray(packet, packet + 8));
  if (head.startsWith('\x01vorbis')) return 'vorbis';
  if (head.startsWith('\x7fFLAC')) return 'flac';
  if (head.startsWith('OpusHead')) return 'opus';
  if (head.startsWith('Speex')) return 'speex';
  return 'unknown';
}

/** Whether the last Ogg page in the file carries the end-of-stream flag (a page is < 65,308 B). */
function oggHasEndOfStream(bytes: Uint8Array): boolean {
  const floor = Math.max(0, bytes.length - 65_308);
  for (let at = bytes.length - 27; at >= floor; at--) {
    if (
      bytes[at] === 0x4f &&
      bytes[at + 1] === 0x67 &&
      bytes[at + 2] === 0x67 &&
      bytes[at + 3] === 0x53
    ) {
      if (bytes[at + 4] === 0) return (bytes[at + 5] & 0x04) !== 0;
    }
  }
  return false;
}

/** FLAC STREAMINFO's total sample count (0 = unknown), from the block right after "fLaC". */
function flacTotalSamples(bytes: Uint8Array, flacStart: number): number {
  const info = flacStart + 8;
  if (info + 18 > bytes.length || (bytes[flacStart + 4] & 0x7f) !== 0) return 0;
  // Bits 108–143 of STREAMINFO: the low nibble of byte 13, then bytes 14–17 big-endian.
  const high = bytes[info + 13] & 0x0f;
  const low = new DataView(bytes.buffer, bytes.byteOffset + info + 14, 4).getUint32(0, false);
  return high * 2 ** 32 + low;
}

/** mpg123 prints every decode error to stderr besides returning it; we report them ourselves. */
function withConsoleErrorMuted<T>(fn: () => T): T {
  const original = console.error;
  console.error = () => {};
  try {
    return fn();
  } finally {
    console.error = original;
  }
}

/** mpg123 always emits two channels; a mono MP3 comes back as two identical copies. */
function foldIdenticalChannels(channels: Float32Array[]): Float32Array[] {
  if (channels.length !== 2) return channels;
  const [a, b] = channels;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return channels;
  return [a];
}

async function runDecoder(kind: 'vorbis' | 'flac' | 'mp3', bytes: Uint8Array): Promise<WasmOutput> {
  if (kind === 'mp3') {
    const decoder = new MPEGDecoder();
    await decoder.ready;
    try {
      return withConsoleErrorMuted(() => decoder.decode(bytes));
    } finally {
      decoder.free();
    }
  }
  const decoder = kind === 'flac' ? new FLACDecoder() : new OggVorbisDecoder();
  await decoder.ready;
  try {
    return await decoder.decodeFile(bytes);
  } finally {
    decoder.free();
  }
}

/** The samples of one Ogg, FLAC or MP3 file; throws AviaryError when no audio comes out. */
export async function decodeCompressed(
  format: 'ogg' | 'flac' | 'mp3',
  bytes: Uint8Array,
): Promise<DecodedCompressed> {
  const warnings: string[] = [];
  let kind: 'vorbis' | 'flac' | 'mp3' = format === 'ogg' ? 'vorbis' : format;
  let expectedSamples = 0;
  let input = bytes;
  if (format === 'ogg') {
    const codec = oggCodec(bytes);
    if (codec === 'opus' || codec === 'speex') {
      throw new AviaryError(
        'E_UNSUPPORTED_FORMAT',
        `Ogg ${codec === 'opus' ? 'Opus' : 'Speex'} is not read; only Ogg Vorbis and Ogg FLAC are`,
        'convert it, e.g. ffmpeg -i in.opus -c:a flac out.flac',
      );
    }
    if (codec === 'flac') kind = 'flac';
  } else if (format === 'flac') {
    // libFLAC's stream reader wants "fLaC" first; a leading ID3 tag is skipped here.
    input = bytes.subarray(id3v2Length(bytes));
    expectedSamples = flacTotalSamples(input, 0);
  }

  const out = await runDecoder(kind, input);
  const messages = out.errors.map((e) => e.message.trim());
  if (out.samplesDecoded === 0 || out.channelData.length === 0) {
    const why =
      messages[0] ?? 'no audio frame could be read (corrupt, or cut before the first frame)';
    throw new AviaryError('E_DECODE', `no audio decoded: ${why}`);
  }
  for (const m of messages.slice(0, MAX_LISTED_ERRORS)) warnings.push(`decoder: ${m}`);
  if (messages.length > MAX_LISTED_ERRORS) {
    warnings.push(
      `decoder: ${messages.length - MAX_LISTED_ERRORS} more errors; the audio has gaps`,
    );
  }
  if (expectedSamples > out.samplesDecoded) {
    warnings.push(
      `truncated: ${out.samplesDecoded} of ${expectedSamples} samples in STREAMINFO decoded`,
    );
  }
  if (format === 'ogg' && !oggHasEndOfStream(bytes)) {
    warnings.push('truncated: the Ogg stream ends without its end-of-stream page');
  }
  // The decoders return fresh arrays, but trim in case one is longer than samplesDecoded.
  let channels = out.channelData.map((c) =>
    c.length === out.samplesDecoded ? c : c.slice(0, out.samplesDecoded),
  );
  if (kind === 'mp3') channels = foldIdenticalChannels(channels);
  return { sampleRateHz: out.sampleRate, channels, warnings };
}
