/**
 * Decoding the real recordings in ../shared/data: one soundscape of each format against the
 * duration, sample rate and channel count in index.csv, and damaged copies of them made in a
 * temp dir (truncated, mis-named). Skips with a plain message when the shared data is absent.
 */
import assert from 'node:assert/strict';
import { copyFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { decodeAudioFile } from '../../src/audio/decode.js';
import { mixToMono } from '../../src/audio/mixdown.js';
import {
  NO_SHARED_DATA,
  sharedDataAvailable,
  soundscapeWithExtension,
} from '../helpers/shared-data.js';
import { tempDir, writeBytes } from '../helpers/wav-writer.js';

const available = sharedDataAvailable();
const skip = available ? false : NO_SHARED_DATA;

// The index gives durations to the millisecond or better; MP3 decoders may differ from the
// tool that wrote it by the encoder's delay and padding, about one 1152-sample frame.
const DURATION_TOLERANCE_SEC: Record<string, number> = {
  '.wav': 0.001,
  '.flac': 0.001,
  '.ogg': 0.001,
  '.mp3': 0.06,
};
const FORMAT_OF: Record<string, string> = {
  '.wav': 'wav',
  '.flac': 'flac',
  '.ogg': 'ogg',
  '.mp3': 'mp3',
};

let dir = '';
let cleanup: () => Promise<void> = async () => {};
before(async () => ({ dir, cleanup } = await tempDir()));
after(() => cleanup());

for (const ext of ['.wav', '.flac', '.ogg', '.mp3']) {
  test(
    `a real ${ext} soundscape decodes to the duration, rate and channels of index.csv`,
    { skip },
    async () => {
      const row = soundscapeWithExtension(ext);
      assert.ok(row, `no ${ext} soundscape listed in index.csv`);
      const d = await decodeAudioFile(row.file);
      assert.equal(d.format, FORMAT_OF[ext]);
      assert.equal(d.sampleRateHz, row.sampleRateHz);
      assert.equal(d.channels.length, row.channels);
      const duration = d.channels[0].length / d.sampleRateHz;
      assert.ok(
        Math.abs(duration - row.durationSec) <= DURATION_TOLERANCE_SEC[ext],
        `${path.basename(row.file)}: decoded ${duration} s, index says ${row.durationSec} s`,
      );
      assert.deepEqual(d.warnings, []);
      const { samples, nonFinite } = mixToMono(d.channels);
      assert.equal(nonFinite, 0);
      // A field recording is neither silent nor full-scale noise.
      let energy = 0;
      for (const v of samples) energy += v * v;
      const rms = Math.sqrt(energy / samples.length);
      assert.ok(rms > 1e-5 && rms < 0.5, `rms ${rms}`);
    },
  );
}

for (const ext of ['.wav', '.flac', '.ogg', '.mp3']) {
  test(
    `the first 30% of a real ${ext} decodes to about 30% of the recording`,
    { skip },
    async () => {
      const row = soundscapeWithExtension(ext)!;
      const bytes = await readFile(row.file);
      const file = await writeBytes(
        dir,
        `truncated${ext}`,
        bytes.subarray(0, Math.floor(bytes.length * 0.3)),
      );
      const d = await decodeAudioFile(file);
      const fraction = d.channels[0].length / d.sampleRateHz / row.durationSec;
      assert.ok(fraction > 0.2 && fraction < 0.35, `decoded ${fraction} of the recording`);
      if (ext === '.mp3') return; // MP3 has no header that says how long the file should be
      assert.ok(
        d.warnings.some((w) => w.includes('truncated')),
        `no truncation warning: ${JSON.stringify(d.warnings)}`,
      );
    },
  );
}

test(
  'a real FLAC file named .wav decodes by its bytes, with a warning about the name',
  { skip },
  async () => {
    const row = soundscapeWithExtension('.flac')!;
    const file = path.join(dir, 'misnamed.wav');
    await copyFile(row.file, file);
    const d = await decodeAudioFile(file);
    assert.equal(d.format, 'flac');
    assert.equal(d.sampleRateHz, row.sampleRateHz);
    assert.ok(Math.abs(d.channels[0].length / d.sampleRateHz - row.durationSec) <= 0.001);
    assert.deepEqual(d.warnings, ['named .wav but holds FLAC; decoded as FLAC']);
  },
);

test('a real FLAC behind an ID3 tag decodes to the same samples', { skip }, async () => {
  const row = soundscapeWithExtension('.flac')!;
  const bytes = await readFile(row.file);
  const tag = new Uint8Array(10 + 20);
  tag.set([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 20]); // "ID3" v2.4, 20 bytes of (zero) frames
  const file = await writeBytes(dir, 'tagged.flac', Buffer.concat([tag, bytes]));
  const [plain, tagged] = await Promise.all([decodeAudioFile(row.file), decodeAudioFile(file)]);
  assert.equal(tagged.format, 'flac');
  assert.deepEqual(tagged.channels[0].subarray(0, 1000), plain.channels[0].subarray(0, 1000));
  assert.equal(tagged.channels[0].length, plain.channels[0].length);
});
