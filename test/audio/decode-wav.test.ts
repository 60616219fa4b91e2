/**
 * WAV decoding against hand-written files whose sample codes, and so whose floats, are known.
 * Expected values follow libsndfile's scaling (what the Python side reads with soundfile):
 * an integer code x of b bits is x / 2^(b−1); 8-bit is unsigned around 128.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { decodeAudioFile } from '../../src/audio/decode.js';
import { tempDir, wavBytes, WavSpec, writeBytes } from '../helpers/wav-writer.js';

let dir = '';
let cleanup: () => Promise<void> = async () => {};
before(async () => ({ dir, cleanup } = await tempDir()));
after(() => cleanup());

let counter = 0;
async function decodeSpec(spec: WavSpec, name = `t${counter++}.wav`) {
  return decodeAudioFile(await writeBytes(dir, name, wavBytes(spec)));
}

function f32(values: number[]): number[] {
  return values.map((v) => Math.fround(v));
}

test('8-bit unsigned WAV reads (u − 128) / 128: 128 is silence, 0 is −1', async () => {
  const d = await decodeSpec({ sampleRateHz: 8000, bits: 8, channels: [[0, 64, 128, 192, 255]] });
  assert.equal(d.format, 'wav');
  assert.equal(d.sampleRateHz, 8000);
  assert.deepEqual(Array.from(d.channels[0]), [-1, -0.5, 0, 0.5, 127 / 128]);
  assert.deepEqual(d.warnings, []);
});

test('16-bit WAV reads x / 32768', async () => {
  const d = await decodeSpec({
    sampleRateHz: 22050,
    bits: 16,
    channels: [[-32768, -16384, -1, 0, 1, 16384, 32767]],
  });
  assert.deepEqual(
    Array.from(d.channels[0]),
    f32([-1, -0.5, -1 / 32768, 0, 1 / 32768, 0.5, 32767 / 32768]),
  );
});

test('24-bit WAV reads x / 2^23, and the most negative code is −1, not +1', async () => {
  const d = await decodeSpec({
    sampleRateHz: 44100,
    bits: 24,
    channels: [[-8388608, -4194304, -1, 0, 1, 4194304, 8388607, 0x123456]],
  });
  assert.deepEqual(
    Array.from(d.channels[0]),
    f32([-1, -0.5, -1 / 2 ** 23, 0, 1 / 2 ** 23, 0.5, 8388607 / 2 ** 23, 0x123456 / 2 ** 23]),
  );
});

test('32-bit integer WAV reads x / 2^31', async () => {
  const d = await decodeSpec({
    sampleRateHz: 48000,
    bits: 32,
    channels: [[-2147483648, -1073741824, 0, 65536, 1073741824, 2147483647]],
  });
  assert.deepEqual(
    Array.from(d.channels[0]),
    f32([-1, -0.5, 0, 2 ** -15, 0.5, 2147483647 / 2 ** 31]),
  );
});

test('32-bit float WAV passes its values through, including values beyond ±1', async () => {
  const values = [-1, -0.5, 0, 0.1, 0.25, 1.5];
  const d = await decodeSpec({ sampleRateHz: 32000, bits: 32, float: true, channels: [values] });
  assert.deepEqual(Array.from(d.channels[0]), f32(values));
});

test('64-bit float WAV is rounded to float32', async () => {
  const values = [0.1, -0.3, 1 / 3];
  const d = await decodeSpec({ sampleRateHz: 32000, bits: 64, float: true, channels: [values] });
  assert.deepEqual(Array.from(d.channels[0]), f32(values));
});

test('stereo WAV is split into its two channels in order', async () => {
  const d = await decodeSpec({
    sampleRateHz: 16000,
    bits: 16,
    channels: [
      [16384, 0, -16384],
      [-32768, 8192, 32767],
    ],
  });
  assert.equal(d.channels.length, 2);
  assert.deepEqual(Array.from(d.channels[0]), [0.5, 0, -0.5]);
  assert.deepEqual(Array.from(d.channels[1]), f32([-1, 0.25, 32767 / 32768]));
});

test('WAVE_FORMAT_EXTENSIBLE PCM (16 and 24 bit) and float decode by their sub-format', async () => {
  const d16 = await decodeSpec({
    sampleRateHz: 96000,
    bits: 16,
    extensible: true,
    channels: [
      [16384, -16384],
      [8192, 0],
    ],
  });
  assert.equal(d16.sampleRateHz, 96000);
  assert.deepEqual(
    d16.channels.map((c) => Array.from(c)),
    [
      [0.5, -0.5],
      [0.25, 0],
    ],
  );
  const d24 = await decodeSpec({
    sampleRateHz: 48000,
    bits: 24,
    extensible: true,
    channels: [[-8388608, 4194304]],
  });
  assert.deepEqual(Array.from(d24.channels[0]), [-1, 0.5]);
  const df = await decodeSpec({
    sampleRateHz: 48000,
    bits: 32,
    float: true,
    extensible: true,
    channels: [[0.75, -0.125]],
  });
  assert.deepEqual(Array.from(df.channels[0]), [0.75, -0.125]);
});

test('a LIST chunk and an odd-sized chunk (with its pad byte) before data are skipped', async () => {
  const list = new TextEncoder().encode('INFOISFT\x0e\x00\x00\x00aviary test\x00\x00\x00');
  const d = await decodeSpec({
    sampleRateHz: 22050,
    bits: 16,
    channels: [[16384, -16384, 0]],
    extraChunks: [
      { id: 'LIST', body: list },
      { id: 'junk', body: Uint8Array.from([1, 2, 3]) },
    ],
    trailingChunks: [{ id: 'id3 ', body: new Uint8Array(10) }],
  });
  assert.deepEqual(Array.from(d.channels[0]), [0.5, -0.5, 0]);
  assert.deepEqual(d.warnings, []);
});

test('8 kHz and 96 kHz files report their own sample rates', async () => {
  for (const rate of [8000, 96000]) {
    const d = await decodeSpec({
      sampleRateHz: rate,
      bits: 16,
      channels: [new Array(rate / 100).fill(100)],
    });
    assert.equal(d.sampleRateHz, rate);
    assert.equal(d.channels[0].length, rate / 100);
  }
});

test('RF64 takes the data size from its ds64 chunk', async () => {
  const d = await decodeSpec({
    sampleRateHz: 48000,
    bits: 16,
    rf64: true,
    channels: [[16384, 8192, -32768]],
  });
  assert.deepEqual(Array.from(d.channels[0]), [0.5, 0.25, -1]);
  assert.deepEqual(d.warnings, []);
});

test('a data chunk that claims more bytes than the file holds decodes what is there, with a warning', async () => {
  const d = await decodeSpec({
    sampleRateHz: 16000,
    bits: 16,
    channels: [[16384, -16384, 8192]],
    dataSizeOverride: 6000,
  });
  assert.deepEqual(Array.from(d.channels[0]), [0.5, -0.5, 0.25]);
  assert.equal(d.warnings.length, 1);
  assert.match(d.warnings[0], /truncated: 6 of 6000 bytes/);
});

test('a file cut inside a stereo frame drops the incomplete frame and says so', async () => {
  const bytes = wavBytes({
    sampleRateHz: 16000,
    bits: 16,
    channels: [
      [16384, 8192],
      [-16384, -8192],
    ],
  });
  const file = await writeBytes(dir, 'cut-frame.wav', bytes.subarray(0, bytes.length - 2));
  const d = await decodeAudioFile(file);
  assert.deepEqual(
    d.channels.map((c) => Array.from(c)),
    [[0.5], [-0.5]],
  );
  assert.ok(d.warnings.some((w) => /truncated/.test(w)));
  assert.ok(d.warnings.some((w) => /incomplete last frame/.test(w)));
});

test('a silent WAV decodes to zeros without warnings', async () => {
  const d = await decodeSpec({
    sampleRateHz: 32000,
    bits: 16,
    channels: [new Array(3200).fill(0)],
  });
  assert.equal(d.channels[0].length, 3200);
  assert.ok(d.channels[0].every((v) => v === 0));
  assert.deepEqual(d.warnings, []);
});

test('NaN and infinite samples in a float WAV come through for mixToMono to count', async () => {
  const d = await decodeSpec({
    sampleRateHz: 32000,
    bits: 32,
    float: true,
    channels: [[NaN, Infinity, -Infinity, 0.5]],
  });
  const c = d.channels[0];
  assert.ok(Number.isNaN(c[0]));
  assert.equal(c[1], Infinity);
  assert.equal(c[2], -Infinity);
  assert.equal(c[3], 0.5);
});
