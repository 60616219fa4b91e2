/**
 * A WAV writer for tests, independent of the decoder under test: it lays out raw sample codes
 * exactly as given, so a test states both the bytes and the float it expects from them.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface WavSpec {
  sampleRateHz: number;
  /** Per channel, raw codes: unsigned 0..255 for 8-bit, signed ints for 16/24/32, floats for float. */
  channels: number[][];
  bits: 8 | 16 | 24 | 32 | 64;
  float?: boolean;
  /** Write WAVE_FORMAT_EXTENSIBLE (40-byte fmt with a sub-format GUID) instead of a plain tag. */
  extensible?: boolean;
  /** Chunks written between fmt and data, e.g. a LIST/INFO chunk; odd sizes get their pad byte. */
  extraChunks?: { id: string; body: Uint8Array }[];
  /** Chunks written after data. */
  trailingChunks?: { id: string; body: Uint8Array }[];
  /** Overrides the size written in the data chunk header (to fake a truncated file). */
  dataSizeOverride?: number;
  /** Write RF64: 'RF64' header, a ds64 chunk with the 64-bit sizes, 0xFFFFFFFF in the 32-bit ones. */
  rf64?: boolean;
}

function chunk(id: string, body: Uint8Array, sizeOverride?: number): Uint8Array {
  const pad = body.length % 2;
  const out = new Uint8Array(8 + body.length + pad);
  for (let i = 0; i < 4; i++) out[i] = id.charCodeAt(i);
  new DataView(out.buffer).setUint32(4, sizeOverride ?? body.length, true);
  out.set(body, 8);
  return out;
}

function fmtBody(spec: WavSpec): Uint8Array {
  const nCh = spec.channels.length;
  const tag = spec.float ? 3 : 1;
  const body = new Uint8Array(spec.extensible ? 40 : 16);
  const v = new DataView(body.buffer);
  v.setUint16(0, spec.extensible ? 0xfffe : tag, true);
  v.setUint16(2, nCh, true);
  v.setUint32(4, spec.sampleRateHz, true);
  v.setUint32(8, (spec.sampleRateHz * nCh * spec.bits) / 8, true);
  v.setUint16(12, (nCh * spec.bits) / 8, true);
  v.setUint16(14, spec.bits, true);
  if (spec.extensible) {
    v.setUint16(16, 22, true); // cbSize
    v.setUint16(18, spec.bits, true); // valid bits
    v.setUint32(20, nCh === 1 ? 0x4 : 0x3, true); // channel mask: centre, or front left+right
    // KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT: the tag, then the fixed tail of the GUID.
    v.setUint16(24, tag, true);
    body.set(
      [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71],
      26,
    );
  }
  return body;
}

function dataBody(spec: WavSpec): Uint8Array {
  const nCh = spec.channels.length;
  const n = spec.channels[0].length;
  const bytesPer = spec.bits / 8;
  const body = new Uint8Array(n * nCh * bytesPer);
  const v = new DataView(body.buffer);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < nCh; c++) {
      const at = (i * nCh + c) * bytesPer;
      const x = spec.channels[c][i];
      if (spec.float && spec.bits === 32) v.setFloat32(at, x, true);
      else if (spec.float) v.setFloat64(at, x, true);
      else if (spec.bits === 8) v.setUint8(at, x);
      else if (spec.bits === 16) v.setInt16(at, x, true);
      else if (spec.bits === 32) v.setInt32(at, x, true);
      else {
        const u = x < 0 ? x + 0x1000000 : x;
        body[at] = u & 0xff;
        body[at + 1] = (u >> 8) & 0xff;
        body[at + 2] = (u >> 16) & 0xff;
      }
    }
  }
  return body;
}

/** The bytes of a WAV file as `spec` describes it. */
export function wavBytes(spec: WavSpec): Uint8Array {
  const data = dataBody(spec);
  const ds64 = new Uint8Array(28);
  if (spec.rf64) new DataView(ds64.buffer).setUint32(8, data.length, true); // data size, low word
  const parts = [
    ...(spec.rf64 ? [chunk('ds64', ds64)] : []),
    chunk('fmt ', fmtBody(spec)),
    ...(spec.extraChunks ?? []).map((c) => chunk(c.id, c.body)),
    chunk('data', data, spec.rf64 ? 0xffffffff : spec.dataSizeOverride),
    ...(spec.trailingChunks ?? []).map((c) => chunk(c.id, c.body)),
  ];
  const size = 4 + parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(8 + size);
  out.set(spec.rf64 ? [0x52, 0x46, 0x36, 0x34] : [0x52, 0x49, 0x46, 0x46], 0);
  new DataView(out.buffer).setUint32(4, spec.rf64 ? 0xffffffff : size, true);
  out.set([0x57, 0x41, 0x56, 0x45], 8);
  let at = 12;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A fresh temporary folder and a function that removes it. */
export async function tempDir(
  prefix = 'aviary-audio-',
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function writeBytes(dir: string, name: string, bytes: Uint8Array): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  return file;
}
