import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeNpy } from '../src/output/npy.js';

test('an .npy header is 64-byte aligned and states dtype, order and shape', () => {
  const bytes = encodeNpy(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 1, 3]);
  assert.equal(bytes.subarray(0, 6).toString('latin1'), '\x93NUMPY');
  const headerLen = bytes.readUInt16LE(8);
  assert.equal((10 + headerLen) % 64, 0);
  const header = bytes.subarray(10, 10 + headerLen).toString('latin1');
  assert.match(header, /'descr': '<f4', 'fortran_order': False, 'shape': \(2, 1, 3\), }/);
  assert.ok(header.endsWith('\n'));
  const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset + 10 + headerLen, bytes.byteOffset + bytes.length));
  assert.deepEqual(Array.from(data), [1, 2, 3, 4, 5, 6]);
});

test('a one-dimensional .npy shape keeps its trailing comma, as Python tuples need', () => {
  const header = encodeNpy(new Float32Array(3), [3]).toString('latin1');
  assert.match(header, /'shape': \(3,\)/);
});

test('a shape that does not hold the data is refused', () => {
  assert.throws(() => encodeNpy(new Float32Array(5), [2, 3]), /holds 6 values/);
});
