import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binHz, hzToMel, melFilterbank, melToHz } from '../../src/features/mel-filterbank.js';
import { frontend } from './helpers.js';

/** Weight of band m at bin k read back from the sparse form (0 outside it). */
function weightAt(bands: ReturnType<typeof melFilterbank>['bands'], m: number, k: number): number {
  const { startBin, weights } = bands[m];
  return k >= startBin && k < startBin + weights.length ? weights[k - startBin] : 0;
}

test('the HTK and Slaney mel scales give their textbook values and invert exactly', () => {
  // 2595 log10(1 + 700/700) = 2595 log10 2
  assert.ok(Math.abs(hzToMel(700, 'htk') - 2595 * Math.log10(2)) < 1e-9);
  assert.ok(Math.abs(hzToMel(500, 'slaney') - 7.5) < 1e-12); // 3 * 500 / 200
  assert.ok(Math.abs(hzToMel(1000, 'slaney') - 15) < 1e-12);
  assert.ok(Math.abs(hzToMel(6400, 'slaney') - 42) < 1e-12); // 15 + 27 ln 6.4 / ln 6.4
  for (const scale of ['htk', 'slaney'] as const) {
    for (const hz of [0, 123.4, 999.9, 1000, 4321, 16000]) {
      assert.ok(Math.abs(melToHz(hzToMel(hz, scale), scale) - hz) < 1e-9 * Math.max(1, hz));
    }
  }
});

test('an HTK triangle peaks at exactly 1 on the bin at its centre and is linear on its sides', () => {
  // One band from 0 Hz with its centre at 1000 Hz needs mel(f_max) = 2 mel(1000):
  // 1 + f_max / 700 = (17 / 7)^2, so f_max = 700 * 240 / 49 = 24000 / 7 Hz.
  // At 16 kHz with n_fft 512 the bins are 31.25 Hz apart, so 1000 Hz is bin 32.
  const fb = melFilterbank(frontend({ n_mels: 1, f_min: 0, f_max: 24000 / 7 }));
  assert.equal(fb.nFreqs, 257);
  assert.ok(Math.abs(fb.cornersHz[1] - 1000) < 1e-9);
  assert.ok(Math.abs(weightAt(fb.bands, 0, 32) - 1) < 1e-12);
  assert.ok(Math.abs(weightAt(fb.bands, 0, 16) - 0.5) < 1e-12); // 500 Hz: (500 - 0) / 1000
  // 2000 Hz (bin 64) on the falling side: (24000/7 - 2000) / (24000/7 - 1000) = 10 / 17
  assert.ok(Math.abs(weightAt(fb.bands, 0, 64) - 10 / 17) < 1e-12);
  // The triangle starts at bin 1 (bin 0 is 0 Hz, weight 0) and ends below 24000/7 Hz = bin 109.7.
  assert.equal(fb.bands[0].startBin, 1);
  assert.equal(fb.bands[0].startBin + fb.bands[0].weights.length - 1, 109);
});

test('every stored weight is non-zero and the sparse bands equal the dense formula', () => {
  const cfg = frontend({
    n_mels: 40,
    f_min: 50,
    f_max: 7600,
    mel_scale: 'slaney',
    mel_norm: 'slaney',
  });
  const fb = melFilterbank(cfg);
  const f = fb.cornersHz;
  for (let m = 0; m < cfg.nMels; m++) {
    for (const w of fb.bands[m].weights) assert.ok(w > 0);
    for (let k = 0; k < fb.nFreqs; k++) {
      const fk = binHz(k, cfg.sampleRateHz, fb.nFreqs);
      const tri = Math.max(
        0,
        Math.min((fk - f[m]) / (f[m + 1] - f[m]), (f[m + 2] - fk) / (f[m + 2] - f[m + 1])),
      );
      assert.ok(Math.abs(weightAt(fb.bands, m, k) - (tri * 2) / (f[m + 2] - f[m])) < 1e-15);
    }
  }
});

test('the Slaney norm scales each triangle by 2 / its width, giving unit area in Hz', () => {
  const plain = melFilterbank(frontend({ n_fft: 4096, win_length: 4096, n_mels: 8, f_min: 100 }));
  const normed = melFilterbank(
    frontend({ n_fft: 4096, win_length: 4096, n_mels: 8, f_min: 100, mel_norm: 'slaney' }),
  );
  const binWidthHz = 8000 / 2048;
  for (let m = 0; m < 8; m++) {
    const width = plain.cornersHz[m + 2] - plain.cornersHz[m];
    const a = plain.bands[m];
    const b = normed.bands[m];
    assert.equal(a.startBin, b.startBin);
    assert.equal(a.weights.length, b.weights.length);
    let area = 0;
    for (let j = 0; j < a.weights.length; j++) {
      assert.ok(Math.abs(b.weights[j] - (a.weights[j] * 2) / width) < 1e-15);
      area += b.weights[j] * binWidthHz;
    }
    // A Riemann sum of a triangle with ≥ 40 bins under it is within 1% of the integral, 1.
    assert.ok(Math.abs(area - 1) < 0.01, `band ${m}: area ${area}`);
  }
});
