/**
 * A small RIFF/WAVE chunk reader that hands `wav-decoder` a canonical file.
 *
 * wav-decoder reads plain PCM and float `fmt ` chunks, but not WAVE_FORMAT_EXTENSIBLE, not the
 * pad byte after odd-sized chunks, and it runs off the end of a file that has no `data` chunk.
 * Here we walk the chunks ourselves, resolve the extensible sub-format, clamp a `data` chunk that
 * claims more bytes than the file has (a truncated recording keeps what it holds), and rebuild
 * `RIFF` + 16-byte `fmt ` + `data` for the decoder.
 */
export interface CanonicalWav {
  bytes: ArrayBuffer;
  warnings: string[];
}

const PCM = 0x0001;
const FLOAT = 0x0003;
const EXTENSIBLE = 0xfffe;

export function canonicalWav(input: Uint8Array): CanonicalWav {
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const warnings: string[] = [];
  let fmt: Uint8Array | null = null;
  let data: Uint8Array | null = null;
  let pos = 12;
  while (pos + 8 <= input.length) {
    const id = String.fromCharCode(...input.subarray(pos, pos + 4));
    const size = view.getUint32(pos + 4, true);
    const start = pos + 8;
    if (id === 'fmt ') {
      if (size < 16 || start + size > input.length) throw new Error('the fmt chunk is shorter than 16 bytes');
      // A copy: Node's Buffer.slice is a view into a shared pool, not a new buffer.
      fmt = Uint8Array.from(input.subarray(start, start + 16));
      const tag = view.getUint16(start, true);
      if (tag === EXTENSIBLE) {
        if (size < 40) throw new Error('WAVE_FORMAT_EXTENSIBLE without its sub-format');
        const subFormat = view.getUint16(start + 24, true);
        new DataView(fmt.buffer).setUint16(0, subFormat, true);
      }
    } else if (id === 'data') {
      const available = input.length - start;
      if (size > available) warnings.push(`data chunk is truncated: ${available} of ${size} bytes present`);
      data = input.subarray(start, start + Math.min(size, available));
      break;
    }
    pos = start + size + (size % 2); // chunks are word-aligned
  }
  if (!fmt) throw new Error('no fmt chunk');
  if (!data) throw new Error('no data chunk');
  const tag = new DataView(fmt.buffer).getUint16(0, true);
  if (tag !== PCM && tag !== FLOAT) throw new Error(`unsupported WAV sample format 0x${tag.toString(16)}`);
  const blockAlign = new DataView(fmt.buffer).getUint16(12, true);
  const usable = blockAlign > 0 ? data.length - (data.length % blockAlign) : data.length;

  const out = new Uint8Array(44 + usable);
  const w = new DataView(out.buffer);
  out.set([0x52, 0x49, 0x46, 0x46], 0); // RIFF
  w.setUint32(4, 36 + usable, true);
  out.set([0x57, 0x41, 0x56, 0x45, 0x66, 0x6d, 0x74, 0x20], 8); // WAVEfmt_
  w.setUint32(16, 16, true);
  out.set(fmt, 20);
  out.set([0x64, 0x61, 0x74, 0x61], 36); // data
  w.setUint32(40, usable, true);
  out.set(data.subarray(0, usable), 44);
  return { bytes: out.buffer, warnings };
}
