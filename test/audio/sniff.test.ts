import assert from 'node:assert/strict';
import { test } from 'node:test';
import { id3v2Length, sniffFormat } from '../../src/audio/sniff.js';

function bytes(...parts: (string | number[])[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'string') for (const ch of p) out.push(ch.charCodeAt(0));
    else out.push(...p);
  }
  return Uint8Array.from(out);
}

test('RIFF/WAVE, RF64/WAVE and BW64/WAVE are WAV', () => {
  assert.equal(sniffFormat(bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt ')), 'wav');
  assert.equal(sniffFormat(bytes('RF64', [0xff, 0xff, 0xff, 0xff], 'WAVEds64')), 'wav');
  assert.equal(sniffFormat(bytes('BW64', [0xff, 0xff, 0xff, 0xff], 'WAVEds64')), 'wav');
});

test('RIFF that is not WAVE (an AVI) is not audio', () => {
  assert.equal(sniffFormat(bytes('RIFF', [0, 0, 0, 0], 'AVI LIST')), null);
});

test('OggS is Ogg and fLaC is FLAC', () => {
  assert.equal(sniffFormat(bytes('OggS', [0, 2])), 'ogg');
  assert.equal(sniffFormat(bytes('fLaC', [0, 0, 0, 34])), 'flac');
});

test('an ID3v2 tag is MP3 unless fLaC follows it', () => {
  const header = [4, 0, 0, 0, 0, 0, 2]; // v2.4, no flags, syncsafe size 2
  assert.equal(sniffFormat(bytes('ID3', header, [0, 0], [0xff, 0xfb, 0x90, 0x64])), 'mp3');
  assert.equal(sniffFormat(bytes('ID3', header, [0, 0], 'fLaC')), 'flac');
  assert.equal(id3v2Length(bytes('ID3', [4, 0, 0x10, 0, 0, 1, 0], 'x')), 10 + 128 + 10);
});

test('a bare MPEG frame header is MP3: MPEG-1 layer III, MPEG-2 layer III, MPEG-1 layer II', () => {
  assert.equal(sniffFormat(Uint8Array.from([0xff, 0xfb, 0x90, 0x64])), 'mp3');
  assert.equal(sniffFormat(Uint8Array.from([0xff, 0xf3, 0xc0, 0xc4])), 'mp3');
  assert.equal(sniffFormat(Uint8Array.from([0xff, 0xfd, 0x90, 0xc0])), 'mp3');
});

test('sync bits with a reserved layer, version, bitrate or rate are not MP3', () => {
  assert.equal(sniffFormat(Uint8Array.from([0xff, 0xf1, 0x50, 0x80])), null); // layer 00: AAC ADTS
  assert.equal(sniffFormat(Uint8Array.from([0xff, 0xeb, 0x90, 0x64])), null); // version 01
  assert.equal(sniffFormat(Uint8Array.from([0xff, 0xfb, 0xf0, 0x64])), null); // bitrate 1111
  assert.equal(sniffFormat(Uint8Array.from([0xff, 0xfb, 0x9c, 0x64])), null); // rate 11
});

test('text, too-short input and nothing at all are not audio', () => {
  assert.equal(sniffFormat(bytes('hello world, not audio')), null);
  assert.equal(sniffFormat(bytes('RIF')), null);
  assert.equal(sniffFormat(new Uint8Array(0)), null);
});
