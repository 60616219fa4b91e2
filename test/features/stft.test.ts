import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AviaryError } from '../../src/errors.js';
import { PowerSpectrum, analysisWindow, padSignal } from '../../src/features/stft.js';
import { frontend, maxAbsDiff, noise } from './helpers.js';

test('reflect padding mirrors about the edge sample without repeating it', () => {
  assert.deepEqual([...padSignal([1, 2, 3, 4], 2, 'reflect')], [3, 2, 1, 2, 3, 4, 3, 2]);
  // A pad longer than the signal keeps folding, like numpy.pad(mode='reflect').
  assert.deepEqual([...padSignal([1, 2, 3], 3, 'reflect')], [2, 3, 2, 1, 2, 3, 2, 1, 2]);
  assert.deepEqual([...padSignal([5], 2, 'reflect')], [5, 5, 5, 5, 5]);
});

test('constant padding adds zeros on both sides', () => {
  assert.deepEqual([...padSignal([1, 2, 3, 4], 2, 'constant')], [0, 0, 1, 2, 3, 4, 0, 0]);
  assert.deepEqual([...padSignal([7], 0, 'constant')], [7]);
});

test('the periodic hann window is zero at n = 0 and 1 at n = win_length / 2, centred in n_fft', () => {
  const w = analysisWindow(frontend({ n_fft: 16, win_length: 8 }));
  // Left pad (16 - 8) // 2 = 4, then 0.5 - 0.5 cos(2πn/8) for n = 0 … 7, then 4 zeros.
  const expected = [0, 0, 0, 0, 0, 0.5 - 0.5 * Math.SQRT1_2, 0.5, 0.5 + 0.5 * Math.SQRT1_2, 1];
  expected.push(0.5 + 0.5 * Math.SQRT1_2, 0.5, 0.5 - 0.5 * Math.SQRT1_2, 0, 0, 0, 0);
  assert.ok(maxAbsDiff(w, expected) < 1e-15);
  const hamming = analysisWindow(frontend({ n_fft: 8, win_length: 8, window: 'hamming' }));
  assert.ok(Math.abs(hamming[0] - 0.08) < 1e-15);
  assert.ok(Math.abs(hamming[4] - 1) < 1e-15);
});

test('a DC frame under a periodic hann window has power only in bins 0 and 1', () => {
  // sum(hann_8) = 4 and the cosine term puts -8/4 = -2 in bin 1: powers 16 and 4.
  const ps = new PowerSpectrum(frontend({ n_fft: 8, win_length: 8, center: false }));
  const out = new Float64Array(ps.nFreqs);
  ps.frame(new Float64Array(8).fill(1), 0, out);
  assert.ok(maxAbsDiff(out, [16, 4, 0, 0, 0]) < 1e-12);
  const magnitude = new PowerSpectrum(frontend({ n_fft: 8, win_length: 8, power: 1 }));
  magnitude.frame(new Float64Array(8).fill(1), 0, out);
  assert.ok(maxAbsDiff(out, [4, 2, 0, 0, 0]) < 1e-12);
});

test('the fft.js real transform gives the same power spectrum as a direct DFT for every size used', () => {
  for (const nFft of [2, 4, 8, 64, 256, 1024]) {
    const ps = new PowerSpectrum(frontend({ n_fft: nFft, win_length: nFft }));
    const x = Float64Array.from(noise(nFft + 5, nFft));
    const window = analysisWindow(frontend({ n_fft: nFft, win_length: nFft }));
    const got = new Float64Array(ps.nFreqs);
    ps.frame(x, 5, got);
    const want = new Float64Array(ps.nFreqs);
    for (let k = 0; k < ps.nFreqs; k++) {
      let re = 0;
      let im = 0;
      for (let n = 0; n < nFft; n++) {
        const v = x[5 + n] * window[n];
        re += v * Math.cos((2 * Math.PI * k * n) / nFft);
        im -= v * Math.sin((2 * Math.PI * k * n) / nFft);
      }
      want[k] = re * re + im * im;
    }
    const scale = Math.max(...want);
    assert.ok(maxAbsDiff(got, want) / scale < 1e-12, `n_fft ${nFft}`);
  }
});

test('an n_fft that is not a power of two is refused as a manifest error naming n_fft', () => {
  assert.throws(
    () => new PowerSpectrum(frontend({ n_fft: 400, win_length: 400 })),
    (err: unknown) =>
      err instanceof AviaryError && err.code === 'E_MANIFEST' && /n_fft is 400/.test(err.message),
  );
});
