import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AviaryError } from '../../src/errors.js';
import { smoothWindows } from '../../src/output/smoothing.js';

const TOL = 1e-6;

function assertClose(actual: ArrayLike<number>, expected: number[]): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= TOL, `index ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

test('width 3 averages each window with its neighbours, over only the windows that exist at the edges', () => {
  // Two labels, four windows; label 0 = 1 2 3 7, label 1 = 0 .3 0 .6 (row-major [window, label]).
  const probs = new Float32Array([1, 0, 2, 0.3, 3, 0, 7, 0.6]);
  // label 0: (1+2)/2, (1+2+3)/3, (2+3+7)/3, (3+7)/2 = 1.5 2 4 5
  // label 1: (0+.3)/2, (0+.3+0)/3, (.3+0+.6)/3, (0+.6)/2 = .15 .1 .3 .3
  assertClose(smoothWindows(probs, 4, 2, 3), [1.5, 0.15, 2, 0.1, 4, 0.3, 5, 0.3]);
});

test('width 5 shrinks to three and four windows near the edges', () => {
  const probs = new Float32Array([1, 2, 3, 7, 2]);
  // (1+2+3)/3, (1+2+3+7)/4, (1+2+3+7+2)/5, (2+3+7+2)/4, (3+7+2)/3
  assertClose(smoothWindows(probs, 5, 1, 5), [2, 3.25, 3, 3.5, 4]);
});

test('a width wider than the file averages the whole file for every window', () => {
  assertClose(smoothWindows(new Float32Array([0.2, 0.6]), 2, 1, 7), [0.4, 0.4]);
});

test('width 1 returns an unchanged copy', () => {
  const probs = new Float32Array([0.1, 0.9, 0.4]);
  const out = smoothWindows(probs, 3, 1, 1);
  assert.deepEqual(Array.from(out), Array.from(probs));
  assert.notEqual(out, probs);
});

test('an even, zero, negative or fractional width is an E_USAGE error', () => {
  for (const width of [2, 0, -1, 1.5]) {
    assert.throws(
      () => smoothWindows(new Float32Array(4), 4, 1, width),
      (err: unknown) => err instanceof AviaryError && err.code === 'E_USAGE' && err.message.includes(`width ${width} is not an odd positive integer`),
    );
  }
});
