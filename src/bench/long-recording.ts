/**
 * The memory probe for long recordings: builds a WAV of the asked length by concatenating a real
 * recording end to end (16-bit PCM, mono, the source's rate), then scores it in a fresh child
 * process and reads that process's RSS high-water mark. One child per length, because the
 * high-water mark never goes down within a process.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { decodeAudioFile } from '../audio/decode.js';
import { mixToMono } from '../audio/mixdown.js';
import type { MemoryChildOptions, MemoryChildResult } from './memory-child.js';

const run = promisify(execFile);

/** The 44-byte header of a canonical PCM WAV holding `nSamples` 16-bit mono samples. */
export function wavHeader(nSamples: number, sampleRateHz: number): Buffer {
  const dataBytes = nSamples * 2;
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(sampleRateHz, 24);
  h.writeUInt32LE(sampleRateHz * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

/** Writes `minutes` of `source`, repeated end to end, to `target`; returns the sample rate. */
export async function writeLongWav(
  source: string,
  target: string,
  minutes: number,
): Promise<number> {
  const decoded = await decodeAudioFile(source);
  const { samples } = mixToMono(decoded.channels);
  const pcm = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++)
    pcm.writeInt16LE(Math.round(Math.max(-1, Math.min(1, samples[i])) * 32767), i * 2);
  const total = Math.round(minutes * 60 * decoded.sampleRateHz);
  const fh = await open(target, 'w');
  try {
    await fh.write(wavHeader(total, decoded.sampleRateHz));
    for (let written = 0; written < total;) {
      const n = Math.min(samples.length, total - written);
      await fh.write(pcm, 0, n * 2);
      written += n;
    }
  } finally {
    await fh.close();
  }
  return decoded.sampleRateHz;
}

export interface LongRecordingResult extends MemoryChildResult {
  minutes: number;
  sampleRateHz: number;
  fileMb: number;
}

/** Scores one `minutes`-long concatenation of `source` in a child process. */
export async function probeLongRecording(
  source: string,
  minutes: number,
  opts: Omit<MemoryChildOptions, 'input' | 'output'>,
): Promise<LongRecordingResult> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'aviary-bench-long-'));
  try {
    const input = path.join(scratch, 'in');
    await mkdir(input);
    const wav = path.join(input, `long_${minutes}min.wav`);
    const sampleRateHz = await writeLongWav(source, wav, minutes);
    const fileMb = (44 + Math.round(minutes * 60 * sampleRateHz) * 2) / 2 ** 20;
    const child = new URL('./memory-child.js', import.meta.url).pathname;
    const options: MemoryChildOptions = { ...opts, input, output: path.join(scratch, 'out') };
    let stdout: string;
    let stderr: string;
    try {
      ({ stdout, stderr } = await run(process.execPath, [child, JSON.stringify(options)], {
        maxBuffer: 1 << 24,
      }));
    } catch (err) {
      // Killed (out of memory) or crashed: the reason is the result.
      const e = err as { code?: number | string; signal?: string; stderr?: string };
      const why = `child exited with ${e.signal ?? e.code}: ${(e.stderr ?? '').trim().split('\n').slice(-1)[0]}`;
      return {
        ok: false,
        startRssMb: NaN,
        maxRssMb: NaN,
        wallSec: NaN,
        audioSec: 0,
        rows: 0,
        failures: [why],
        minutes,
        sampleRateHz,
        fileMb,
      };
    }
    const result = JSON.parse(stdout.trim().split('\n').slice(-1)[0]) as MemoryChildResult;
    // runSubmit's own error for "nothing scored" only says "see the failures above"; those are here.
    const perFile = stderr.split('\n').filter((l) => l.startsWith('failed: '));
    if (!result.ok) result.failures.unshift(...perFile.map((l) => l.slice('failed: '.length)));
    return { ...result, minutes, sampleRateHz, fileMb };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
