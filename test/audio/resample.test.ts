import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resample } from '../../src/audio/resample.js';

const AMP = 0.5;

function sine(n: number, freqHz: number, rateHz: number, amp = AMP): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = amp * Math.sin((2 * Math.PI * freqHz * i) / rateHz);
  return x;
}

/** Amplitude of the `freqHz` component over y[from, to): 2·|Σ y[k] e^(−iωk)| / N. */
function toneAmplitude(
  y: Float32Array,
  freqHz: number,
  rateHz: number,
  from: number,
  to: number,
): number {
  let re = 0;
  let im = 0;
  for (let k = from; k < to; k++) {
    const w = (2 * Math.PI * freqHz * k) / rateHz;
    re += y[k] * Math.cos(w);
    im -= y[k] * Math.sin(w);
  }
  return (2 * Math.hypot(re, im)) / (to - from);
}

/** Largest |y[k] − ideal sine at the output rate| over k in [from, to). */
function maxErrorToIdeal(
  y: Float32Array,
  freqHz: number,
  rateHz: number,
  from: number,
  to: number,
): number {
  let worst = 0;
  for (let k = from; k < to; k++) {
    worst = Math.max(worst, Math.abs(y[k] - AMP * Math.sin((2 * Math.PI * freqHz * k) / rateHz)));
  }
  return worst;
}

test('a 1 kHz sine at 44.1 kHz resampled to 32 kHz keeps its frequency, amplitude and length', async () => {
  const n = 44100; // 1 s
  const y = await resample(sine(n, 1000, 44100), 44100, 32000);
  assert.equal(y.length, Math.round((n * 32000) / 44100));
  // One upward zero crossing per period: 800 from 0.1 s to 0.9 s, away from the edges.
  let crossings = 0;
  for (let k = 3200; k < 28800; k++) if (y[k - 1] < 0 && y[k] >= 0) crossings++;
  assert.ok(Math.abs(crossings - 800) <= 1, `${crossings} upward zero crossings in 0.8 s`);
  // Whole periods (32 samples each at 32 kHz) from 0.1 s to 0.9 s.
  const amp = toneAmplitude(y, 1000, 32000, 3200, 28800);
  assert.ok(Math.abs(amp - AMP) / AMP < 0.01, `amplitude ${amp}`);
});

test('the output is aligned in time: sample k matches the sine at k / 32000 s, no delay', async () => {
  const y = await resample(sine(44100, 1000, 44100), 44100, 32000);
  // A delay of even one input sample would give errors near 2π·1000/44100 · 0.5 ≈ 0.07.
  assert.ok(maxErrorToIdeal(y, 1000, 32000, 1000, y.length - 1000) < 1e-4);
});

test('the last samples hold the end of the signal, not the padding of an unflushed converter', async () => {
  const y = await resample(sine(44100, 1000, 44100), 44100, 32000);
  // Without the flush the converter's look-ahead (dozens of samples) would come out as zeros.
  const err = maxErrorToIdeal(y, 1000, 32000, y.length - 200, y.length);
  assert.ok(err < 0.02, `tail error ${err}`);
});

test('the output length is round(n · to / from) for awkward lengths and rates', async () => {
  for (const [n, from, to] of [
    [12345, 22050, 32000],
    [7, 22000, 32000],
    [44101, 44100, 32000],
    [1001, 16000, 32000],
    [999, 48000, 32000],
  ]) {
    const y = await resample(new Float32Array(n).fill(0.1), from, to);
    assert.equal(y.length, Math.round((n * to) / from), `${n} samples ${from} → ${to}`);
  }
});

test('upsampling 16 kHz to 32 kHz keeps a 3 kHz tone and its amplitude', async () => {
  const y = await resample(sine(16000, 3000, 16000), 16000, 32000);
  assert.equal(y.length, 32000);
  assert.ok(maxErrorToIdeal(y, 3000, 32000, 1000, 31000) < 1e-3);
});

test('equal rates return the input itself', async () => {
  const x = sine(100, 1000, 32000);
  assert.equal(await resample(x, 32000, 32000), x);
});

test('an empty input gives an empty output', async () => {
  assert.equal((await resample(new Float32Array(0), 44100, 32000)).length, 0);
});

test('a long input (over the package buffer) passed as a subarray resamples without seams', async () => {
  // 30 s at 44.1 kHz is 1.3 M samples: several chunks, and more than the package's 1,008,000-
  // float buffer that would make its own simple() split the input ignoring the byteOffset.
  const n = 30 * 44100;
  const backing = new Float32Array(n + 1000);
  backing.set(sine(n, 1000, 44100), 1000);
  const y = await resample(backing.subarray(1000), 44100, 32000);
  assert.equal(y.length, 30 * 32000);
  assert.ok(maxErrorToIdeal(y, 1000, 32000, 1000, y.length - 1000) < 1e-4);
});

test("quality 'best' also keeps the tone and the exact length", async () => {
  const y = await resample(sine(22050, 1000, 22050), 22050, 32000, { quality: 'best' });
  assert.equal(y.length, 32000);
  assert.ok(maxErrorToIdeal(y, 1000, 32000, 1000, 31000) < 1e-4);
});

test('a non-positive or absurd sample rate is refused with E_RESAMPLE', async () => {
  const x = new Float32Array(10);
  await assert.rejects(resample(x, 0, 32000), { code: 'E_RESAMPLE' });
  await assert.rejects(resample(x, 44100, Number.NaN), { code: 'E_RESAMPLE' });
  await assert.rejects(resample(x, 1, 32000), { code: 'E_RESAMPLE' });
});
