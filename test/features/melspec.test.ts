import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AviaryError } from '../../src/errors.js';
import { MelSpectrogram } from '../../src/features/melspec.js';
import { frontend, maxAbsDiff, noise, sine } from './helpers.js';

test('a centred spectrogram has 1 + n / hop frames and an uncentred one 1 + (n - n_fft) / hop', () => {
  // 10 samples, n_fft 4, hop 2: padded to 14 → 1 + 10 / 2 = 6; unpadded → 1 + 6 / 2 = 4.
  const centred = new MelSpectrogram(
    frontend({ n_fft: 4, win_length: 4, hop_length: 2, n_mels: 1 }),
  );
  assert.equal(centred.nFrames(10), 6);
  assert.equal(centred.compute(noise(10)).length, 6);
  const plain = new MelSpectrogram(
    frontend({ n_fft: 4, win_length: 4, hop_length: 2, n_mels: 1, center: false }),
  );
  assert.equal(plain.nFrames(10), 4);
  assert.equal(plain.compute(noise(10)).length, 4);
  assert.throws(
    () => plain.compute(noise(3)),
    (e: unknown) => e instanceof AviaryError && e.code === 'E_USAGE',
  );
});

test('a 2 kHz sine puts its energy in HTK band 5 of 10 between 0 and 8 kHz', () => {
  // mel(8000) = 2840.0, so the 12 points are 258.2 mel apart; mel(2000) = 1521.4 is 5.89 steps
  // up, nearest to point 6, the centre of band 5 (band m peaks at point m + 1).
  const spec = new MelSpectrogram(frontend({ n_mels: 10 }));
  const sr = 16000;
  const db = spec.computeDb(sine(sr, 2000, sr));
  const nFrames = spec.nFrames(sr);
  for (let t = 0; t < nFrames; t++) {
    let best = 0;
    for (let m = 1; m < 10; m++) if (db[m * nFrames + t] > db[best * nFrames + t]) best = m;
    assert.equal(best, 5, `frame ${t}`);
  }
});

test('a silent window gives finite zeros under minmax and under standard', () => {
  for (const normalize of ['minmax', 'standard'] as const) {
    for (const topDb of [null, 80]) {
      const spec = new MelSpectrogram(frontend({ normalize, top_db: topDb }));
      const out = spec.compute(new Float32Array(16000));
      assert.ok(
        out.every((v) => v === 0),
        `${normalize}, top_db ${topDb}`,
      );
    }
  }
});

test('magnitude spectrograms use 20 log10 and power spectrograms 10 log10 of the mel energies', () => {
  const x = noise(4000, 7);
  for (const power of [1, 2] as const) {
    const energies = new MelSpectrogram(frontend({ power, to_db: false })).computeDb(x);
    const db = new MelSpectrogram(frontend({ power, amin: 1e-5 })).computeDb(x);
    const k = power === 2 ? 10 : 20;
    const want = energies.map((e) => k * Math.log10(Math.max(e, 1e-5)));
    assert.ok(maxAbsDiff(db, want) < 1e-9, `power ${power}`);
  }
});

test('top_db raises everything below the window maximum minus top_db to that floor', () => {
  // A tone then digital silence: the silent frames sit at 10 log10(amin) = -100 dB without the
  // floor, far below the tone's maximum minus 60 dB.
  const x = new Float32Array(16000);
  x.set(sine(8000, 1000, 16000, 0.5));
  const raw = new MelSpectrogram(frontend({ pad_mode: 'constant' })).computeDb(x);
  const floored = new MelSpectrogram(frontend({ pad_mode: 'constant', top_db: 60 })).computeDb(x);
  const max = Math.max(...raw);
  assert.equal(Math.min(...raw), -100);
  assert.equal(Math.min(...floored), max - 60);
  assert.deepEqual(
    floored,
    raw.map((v) => Math.max(v, max - 60)),
  );
});

test('minmax maps a window onto [0, 1] and standard gives it mean 0 and std 1', () => {
  const x = noise(16000, 3);
  const minmax = new MelSpectrogram(frontend({ normalize: 'minmax', top_db: 80 })).compute(x);
  assert.equal(Math.min(...minmax), 0);
  assert.ok(Math.abs(Math.max(...minmax) - 1) < 1e-7);
  const standard = new MelSpectrogram(frontend({ normalize: 'standard' })).compute(x);
  const mean = standard.reduce((a, b) => a + b, 0) / standard.length;
  const variance = standard.reduce((a, b) => a + (b - mean) ** 2, 0) / standard.length;
  assert.ok(Math.abs(mean) < 1e-5);
  assert.ok(Math.abs(variance - 1) < 1e-5);
});

test('one instance gives the same result on every call and writes into the array it is given', () => {
  const spec = new MelSpectrogram(frontend({ normalize: 'minmax', top_db: 80 }));
  const a = noise(16000, 11);
  const b = noise(16000, 12);
  const first = spec.compute(a);
  spec.compute(b);
  const out = new Float32Array(spec.nMels * spec.nFrames(16000));
  assert.equal(spec.compute(a, out), out);
  assert.deepEqual(out, first);
  assert.throws(() => spec.compute(a, new Float32Array(10)), /out holds 10 values/);
});
