import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mixToMono } from '../../src/audio/mixdown.js';

test('mono passes through unchanged and uncopied, so a long file is not held twice', () => {
  const ch = Float32Array.from([0.25, -0.5, 1]);
  const { samples, nonFinite } = mixToMono([ch]);
  assert.deepEqual(Array.from(samples), [0.25, -0.5, 1]);
  assert.equal(samples, ch);
  assert.equal(nonFinite, 0);
});

test('stereo becomes the mean of the two channels, so identical channels keep their level', () => {
  const l = Float32Array.from([1, 0.5, -1, 0.25]);
  const r = Float32Array.from([1, -0.5, 0, 0.75]);
  assert.deepEqual(Array.from(mixToMono([l, r]).samples), [1, 0, -0.5, 0.5]);
  assert.deepEqual(Array.from(mixToMono([l, l]).samples), Array.from(l));
});

test('four channels average over all four', () => {
  const chans = [[1], [0.5], [0], [-0.5]].map((c) => Float32Array.from(c));
  assert.deepEqual(Array.from(mixToMono(chans).samples), [0.25]);
});

test('NaN and ±Infinity count as 0 in the mean and are counted', () => {
  const l = Float32Array.from([NaN, 0.5, Infinity, 0.5]);
  const r = Float32Array.from([0.5, -Infinity, 0.5, NaN]);
  const { samples, nonFinite } = mixToMono([l, r]);
  assert.deepEqual(Array.from(samples), [0.25, 0.25, 0.25, 0.25]);
  assert.equal(nonFinite, 4);
});

test('a mono channel of non-finite samples becomes silence with every sample counted', () => {
  const { samples, nonFinite } = mixToMono([Float32Array.from([NaN, -Infinity, 0.5])]);
  assert.deepEqual(Array.from(samples), [0, 0, 0.5]);
  assert.equal(nonFinite, 2);
});

test('no channels give no samples', () => {
  const { samples, nonFinite } = mixToMono([]);
  assert.equal(samples.length, 0);
  assert.equal(nonFinite, 0);
});
