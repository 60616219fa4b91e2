/**
 * Shared by the fault tests: synthetic recordings, running the built CLI as a child process (so
 * crashes, kills and signals hit a real process), and reading the CSV and run-info back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Compiled tests live in dist/test/faults/; the CLI and the fixtures are found from the repo root.
export const repoRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
);
export const cliPath = path.join(repoRoot, 'dist', 'src', 'cli.js');
export const tinyModels = path.join(repoRoot, 'test', 'fixtures', 'tiny-model');

/** mulberry32: a small seeded generator, so every run of a test sees the same numbers. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A mono 16-bit PCM WAV: a chirping tone over seeded noise, different for each seed. */
export function synthWav(seconds: number, sampleRateHz: number, seed: number): Buffer {
  const n = Math.round(seconds * sampleRateHz);
  const rand = seededRandom(seed);
  const data = Buffer.alloc(n * 2);
  const f0 = 800 + 300 * (seed % 7);
  for (let i = 0; i < n; i++) {
    const t = i / sampleRateHz;
    const chirp = Math.sin(2 * Math.PI * (f0 + 400 * Math.sin(2 * Math.PI * 0.5 * t)) * t);
    const s = 0.3 * chirp * (0.5 + 0.5 * Math.sin(2 * Math.PI * 0.3 * t)) + 0.1 * (rand() * 2 - 1);
    data.writeInt16LE(Math.round(Math.max(-1, Math.min(1, s)) * 32767), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRateHz, 24);
  header.writeUInt32LE(sampleRateHz * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** Rows each file must get with 5 s windows and hops: ceil(d / 5), at least one. */
export function expectedRows(seconds: number): number {
  return Math.max(1, Math.ceil(seconds / 5));
}

/** A temp folder of synthetic recordings named rec_00.wav, rec_01.wav, ...; returns the folder. */
export function makeRecordings(durationsSec: number[], sampleRateHz = 16000): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'aviary-faults-in-'));
  durationsSec.forEach((sec, i) => {
    writeFileSync(
      path.join(dir, `rec_${String(i).padStart(2, '0')}.wav`),
      synthWav(sec, sampleRateHz, 1000 + i),
    );
  });
  return dir;
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Starts `node dist/src/cli.js args...`; `onStart` gets the child (to kill or signal it). */
export function runCli(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; onStart?: (child: ChildProcess) => void } = {},
): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started }),
    );
    opts.onStart?.(child);
  });
}

/** Data rows of a submission CSV grouped by file stem (the row id without `_<end second>`). */
export function rowsByStem(csvText: string): Map<string, string[][]> {
  const lines = csvText.trim().split('\n').slice(1);
  const byStem = new Map<string, string[][]>();
  for (const line of lines) {
    const cells = line.split(',');
    const stem = cells[0].replace(/_\d+$/, '');
    byStem.set(stem, [...(byStem.get(stem) ?? []), cells]);
  }
  return byStem;
}

export { readJson } from '../helpers/json.js';
