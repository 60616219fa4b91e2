/**
 * Files that cannot be decoded, made in a temp dir: each must fail with its stable code and a
 * message that names the file, so the run log says which recording to look at.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { decodeAudioFile } from '../../src/audio/decode.js';
import { AviaryError } from '../../src/errors.js';
import { noise } from '../features/helpers.js';
import { tempDir, wavBytes, writeBytes } from '../helpers/wav-writer.js';

let dir = '';
let cleanup: () => Promise<void> = async () => {};
before(async () => ({ dir, cleanup } = await tempDir()));
after(() => cleanup());

/** Deterministic "random" bytes, from the shared LCG noise. */
function junk(n: number, seed: number): Uint8Array {
  return Uint8Array.from(noise(n, seed), (v) => Math.floor((v + 1) * 127.5));
}

async function rejectsWith(name: string, bytes: Uint8Array, code: string, detail?: RegExp) {
  const file = await writeBytes(dir, name, bytes);
  await assert.rejects(decodeAudioFile(file), (err: unknown) => {
    assert.ok(err instanceof AviaryError, `not an AviaryError: ${String(err)}`);
    assert.equal(err.code, code, err.message);
    assert.ok(err.message.includes(file), `message does not name the file: ${err.message}`);
    if (detail) assert.match(err.message, detail);
    return true;
  });
}

test('an empty (0-byte) file fails with E_EMPTY_AUDIO', async () => {
  for (const name of ['empty.wav', 'empty.ogg', 'empty.flac', 'empty.mp3']) {
    await rejectsWith(name, new Uint8Array(0), 'E_EMPTY_AUDIO', /empty/);
  }
});

test('random bytes named .ogg fail with E_DECODE saying the bytes are not Ogg', async () => {
  await rejectsWith('corrupt.ogg', junk(20_000, 7), 'E_DECODE', /not Ogg/);
});

test('a text file named .mp3 fails with E_DECODE, and one named .txt with E_UNSUPPORTED_FORMAT', async () => {
  const text = new TextEncoder().encode('these are field notes, not audio\n'.repeat(50));
  await rejectsWith('notes.mp3', text, 'E_DECODE', /not MP3/);
  await rejectsWith('notes.txt', text, 'E_UNSUPPORTED_FORMAT');
});

test('an Ogg page header followed by garbage fails with E_DECODE: no audio decoded', async () => {
  const bytes = new Uint8Array(20_000);
  bytes.set(junk(20_000, 3));
  bytes.set([0x4f, 0x67, 0x67, 0x53, 0], 0);
  await rejectsWith('garbage-page.ogg', bytes, 'E_DECODE', /no audio decoded/);
});

test('a fLaC marker followed by garbage fails with E_DECODE', async () => {
  const bytes = junk(20_000, 5);
  bytes.set([0x66, 0x4c, 0x61, 0x43], 0);
  await rejectsWith('garbage.flac', bytes, 'E_DECODE', /no audio decoded/);
});

test('a WAV with only a header (empty data chunk) fails with E_EMPTY_AUDIO', async () => {
  await rejectsWith(
    'header-only.wav',
    wavBytes({ sampleRateHz: 16000, bits: 16, channels: [[]] }),
    'E_EMPTY_AUDIO',
  );
});

test('a WAV cut before its data chunk fails with E_DECODE naming the missing chunk', async () => {
  const full = wavBytes({ sampleRateHz: 16000, bits: 16, channels: [[1, 2, 3]] });
  await rejectsWith('no-data.wav', full.subarray(0, 36), 'E_DECODE', /no data chunk/);
  await rejectsWith('no-fmt.wav', full.subarray(0, 14), 'E_DECODE', /no fmt chunk/);
});

test('a µ-law WAV fails with E_UNSUPPORTED_FORMAT naming the codec', async () => {
  const bytes = wavBytes({ sampleRateHz: 8000, bits: 8, channels: [[1, 2, 3, 4]] });
  new DataView(bytes.buffer).setUint16(20, 0x0007, true);
  await rejectsWith('ulaw.wav', bytes, 'E_UNSUPPORTED_FORMAT', /µ-law/);
});

test('a 12-bit PCM WAV fails with E_UNSUPPORTED_FORMAT naming the bit depth', async () => {
  const bytes = wavBytes({ sampleRateHz: 8000, bits: 16, channels: [[1, 2, 3, 4]] });
  new DataView(bytes.buffer).setUint16(34, 12, true);
  await rejectsWith('12bit.wav', bytes, 'E_UNSUPPORTED_FORMAT', /12 bits/);
});

test('a WAV whose fmt says 0 channels fails with E_DECODE', async () => {
  const bytes = wavBytes({ sampleRateHz: 8000, bits: 16, channels: [[1, 2]] });
  new DataView(bytes.buffer).setUint16(22, 0, true);
  await rejectsWith('zero-channels.wav', bytes, 'E_DECODE', /0 channels/);
});

test('a missing file fails with E_DECODE naming it', async () => {
  const file = `${dir}/does-not-exist.wav`;
  await assert.rejects(decodeAudioFile(file), (err: unknown) => {
    assert.ok(err instanceof AviaryError && err.code === 'E_DECODE' && err.message.includes(file));
    return true;
  });
});

test('an Ogg Opus stream fails with E_UNSUPPORTED_FORMAT naming Opus', async () => {
  // A first page: "OggS", version 0, BOS flag, granule, serial, sequence, CRC, one segment of
  // 19 bytes holding the OpusHead packet. The codec check reads no further than that packet.
  const page = new Uint8Array(27 + 1 + 19);
  page.set([0x4f, 0x67, 0x67, 0x53, 0, 0x02], 0);
  page[26] = 1;
  page[27] = 19;
  page.set(new TextEncoder().encode('OpusHead'), 28);
  await rejectsWith('voice.ogg', page, 'E_UNSUPPORTED_FORMAT', /Opus/);
});
