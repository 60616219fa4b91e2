import { writeFileAtomic } from './atomic-write.js';

/**
 * Serialises a float32 array as a NumPy .npy file (format version 1.0, little-endian, C order),
 * so `numpy.load` reads it without any other tool.
 */
export function encodeNpy(data: Float32Array, shape: number[]): Buffer {
  const expected = shape.reduce((a, b) => a * b, 1);
  if (expected !== data.length) throw new Error(`npy: shape ${shape} holds ${expected} values, data has ${data.length}`);
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims}), }`;
  // Magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64,
  // ending in a newline, as the format asks.
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix[6] = 1;
  prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), body]);
}

export async function writeNpy(file: string, data: Float32Array, shape: number[]): Promise<void> {
  await writeFileAtomic(file, encodeNpy(data, shape));
}
