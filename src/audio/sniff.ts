/**
 * Which container a file really is, read from its first bytes rather than its name: field
 * recorders and hand-renamed files often carry the wrong extension, and the bytes never lie.
 */
export type AudioFormat = 'wav' | 'ogg' | 'flac' | 'mp3';

function ascii(bytes: Uint8Array, start: number, length: number): string {
  if (start + length > bytes.length) return '';
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

/**
 * Bytes taken by an ID3v2 tag at the start of the file (0 when there is none). The size is a
 * 28-bit "syncsafe" integer (7 bits per byte) that excludes the 10-byte header and the optional
 * 10-byte footer. Taggers put ID3 in front of FLAC files too, so the tag alone does not say MP3.
 */
export function id3v2Length(bytes: Uint8Array): number {
  if (bytes.length < 10 || ascii(bytes, 0, 3) !== 'ID3') return 0;
  if ((bytes[6] | bytes[7] | bytes[8] | bytes[9]) & 0x80) return 0;
  const size = (bytes[6] << 21) | (bytes[7] << 14) | (bytes[8] << 7) | bytes[9];
  const hasFooter = (bytes[5] & 0x10) !== 0;
  return 10 + size + (hasFooter ? 10 : 0);
}

/**
 * An MPEG audio frame header: 11 sync bits, a version other than the reserved 01, a layer other
 * than the reserved 00 (which also keeps AAC's ADTS sync out), and a bitrate and sample-rate
 * index that are not the invalid all-ones. Four checks keep random bytes from passing as MP3.
 */
function isMpegFrameHeader(bytes: Uint8Array, at: number): boolean {
  if (at + 3 >= bytes.length) return false;
  const b1 = bytes[at + 1];
  const b2 = bytes[at + 2];
  return (
    bytes[at] === 0xff &&
    (b1 & 0xe0) === 0xe0 &&
    (b1 & 0x18) !== 0x08 &&
    (b1 & 0x06) !== 0x00 &&
    (b2 & 0xf0) !== 0xf0 &&
    (b2 & 0x0c) !== 0x0c
  );
}

/** The container of `bytes`: RIFF/WAVE or RF64, OggS, fLaC, or MPEG audio (with or without ID3). */
export function sniffFormat(bytes: Uint8Array): AudioFormat | null {
  const riff = ascii(bytes, 0, 4);
  if ((riff === 'RIFF' || riff === 'RF64' || riff === 'BW64') && ascii(bytes, 8, 4) === 'WAVE') {
    return 'wav';
  }
  if (riff === 'OggS') return 'ogg';
  if (riff === 'fLaC') return 'flac';
  if (ascii(bytes, 0, 3) === 'ID3') {
    // What follows the tag decides; a tag over a truncated file still reads as MP3.
    return ascii(bytes, id3v2Length(bytes), 4) === 'fLaC' ? 'flac' : 'mp3';
  }
  if (isMpegFrameHeader(bytes, 0)) return 'mp3';
  return null;
}
