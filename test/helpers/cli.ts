/**
 * Running the built CLI as a child process, the way a user or CI script does, and reading what it
 * leaves behind. End-to-end tests go through here so exit codes, stderr and files are the real ones.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

/** Compiled to dist/test/helpers/, so the repository root is three folders up. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CLI = path.join(REPO_ROOT, 'dist', 'src', 'cli.js');
export const TINY_MODELS = path.join(REPO_ROOT, 'test', 'fixtures', 'tiny-model');
/** The labels of the tiny models, in manifest order: the CSV columns after row_id. */
export const TINY_LABELS = ['species_a', 'species_b', 'species_c', 'species_d'];

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `node dist/src/cli.js ...args` to completion; never rejects on a non-zero exit. */
export function runCli(args: string[], timeoutMs = 120_000): Promise<CliResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

/** `aviary submit`, quiet, with the tiny test models unless `modelsDir` says otherwise. */
export function submit(
  input: string,
  output: string,
  extra: string[] = [],
  modelsDir = TINY_MODELS,
): Promise<CliResult> {
  return runCli(['submit', '-i', input, '-o', output, '-m', modelsDir, '--quiet', ...extra]);
}

export interface Submission {
  header: string[];
  rows: { rowId: string; stem: string; endSecond: number; probs: number[] }[];
}

/** Parses a submission CSV; a row id is `<stem>_<end second>`, and the stem may hold '_'. */
export function readSubmission(csvPath: string): Submission {
  const records = parse(readFileSync(csvPath, 'utf8'), { skip_empty_lines: true }) as string[][];
  const [header, ...body] = records;
  const rows = body.map((cells) => {
    const m = /^(.*)_(\d+)$/.exec(cells[0]);
    if (!m) throw new Error(`row id ${cells[0]} is not <stem>_<end second>`);
    return { rowId: cells[0], stem: m[1], endSecond: Number(m[2]), probs: cells.slice(1).map(Number) };
  });
  return { header, rows };
}

/** Rows per stem, in the order the CSV gives them. */
export function rowsByStem(sub: Submission): Map<string, Submission['rows']> {
  const byStem = new Map<string, Submission['rows']>();
  for (const r of sub.rows) byStem.set(r.stem, [...(byStem.get(r.stem) ?? []), r]);
  return byStem;
}

/**
 * Rows a recording of `nSamples` at `sampleRateHz` gets with 5 s windows and hops: ceil(d / 5),
 * so one for any 0 < d ≤ 5. Counted in samples, so a length of exactly k windows gives k.
 */
export function rowsFor(nSamples: number, sampleRateHz: number): number {
  return Math.ceil(nSamples / (5 * sampleRateHz));
}
