/**
 * A run killed at any moment and started again with the same arguments writes the same CSV, byte
 * for byte, as a run never interrupted (the journal in src/pipeline/journal.ts). SIGKILL at
 * seeded random points spread over the run; SIGINT and SIGTERM stop it cleanly with exit 130.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { makeRecordings, runCli, seededRandom, tinyModels, type CliRun } from './helpers.js';

const DURATIONS_SEC = Array.from({ length: 16 }, (_, i) => 60 + 3 * i);
const KILLS = 5;
const SEED = 20251204;

let input: string;
const outputs: string[] = [];
let csvA: Buffer;
let runMsA: number;

function newOutput(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'aviary-resume-out-'));
  outputs.push(dir);
  return dir;
}

function submit(output: string, onStart?: (child: ChildProcess) => void): Promise<CliRun> {
  const args = ['submit', '-q', '-i', input, '-o', output, '-m', tinyModels, '--workers', '2', '--threads', '1'];
  return runCli(args, { onStart });
}

/** Runs, sending `signal` after `afterMs`. */
function submitAndSignal(output: string, signal: NodeJS.Signals, afterMs: number): Promise<CliRun> {
  return submit(output, (child) => {
    const timer = setTimeout(() => child.kill(signal), afterMs);
    child.on('exit', () => clearTimeout(timer));
  });
}

/** Journal entries written so far in `output` (0 before the journal exists). */
function journaled(output: string): number {
  const dir = path.join(output, '.aviary-journal');
  if (!existsSync(dir)) return 0;
  return readdirSync(dir).reduce((n, f) => n + readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean).length, 0);
}

/**
 * Runs, sending `signal` once the journal holds `entries` finished recordings; `stopMs` is the
 * time from the signal to the process's exit.
 */
async function submitAndSignalAfterFiles(output: string, signal: NodeJS.Signals, entries: number) {
  let sentAt = 0;
  let exitedAt = 0;
  const run = await submit(output, (child) => {
    const poll = setInterval(() => {
      if (journaled(output) >= entries) {
        clearInterval(poll);
        sentAt = Date.now();
        child.kill(signal);
      }
    }, 10);
    child.on('exit', () => {
      exitedAt = Date.now();
      clearInterval(poll);
    });
  });
  return { ...run, stopMs: sentAt > 0 ? exitedAt - sentAt : -1 };
}

function resumedCount(run: CliRun): number {
  return Number(/resumed: (\d+) recordings/.exec(run.stderr)?.[1] ?? 0);
}

before(async () => {
  input = makeRecordings(DURATIONS_SEC);
  const out = newOutput();
  const run = await submit(out);
  assert.equal(run.code, 0, run.stderr);
  csvA = readFileSync(path.join(out, 'submission.csv'));
  runMsA = run.ms;
  console.log(`uninterrupted run: ${run.ms} ms, ${csvA.length} bytes of CSV`);
});

after(() => {
  for (const dir of [input, ...outputs]) rmSync(dir, { recursive: true, force: true });
});

test('runs killed with SIGKILL at random points resume to the uninterrupted CSV byte for byte', async () => {
  const rand = seededRandom(SEED);
  // One kill time in each fifth of the uninterrupted run's duration, so early and late kills
  // (before the first file is journaled, mid-way, during the CSV write) are all tried.
  const killMs = Array.from({ length: KILLS }, (_, i) => Math.round(((i + rand()) / KILLS) * runMsA));
  console.log(`seed ${SEED}: SIGKILL after ${killMs.join(', ')} ms`);
  let interrupted = 0;
  for (const ms of killMs) {
    const out = newOutput();
    const killed = await submitAndSignal(out, 'SIGKILL', ms);
    const wasKilled = killed.signal === 'SIGKILL';
    if (wasKilled) interrupted++;
    else assert.equal(killed.code, 0, `a run not killed must complete: ${killed.stderr}`);
    const resumed = await submit(out);
    assert.equal(resumed.code, 0, resumed.stderr);
    console.log(
      `kill at ${ms} ms: ${wasKilled ? 'killed' : 'finished first'}; rerun took ${resumedCount(resumed)} of ` +
        `${DURATIONS_SEC.length} recordings from the journal in ${resumed.ms} ms`,
    );
    assert.ok(readFileSync(path.join(out, 'submission.csv')).equals(csvA), `CSV after the kill at ${ms} ms differs`);
  }
  assert.ok(interrupted >= KILLS - 1, `only ${interrupted} of ${KILLS} runs were actually killed`);
});

test('a run killed twice in a row still resumes to the same CSV', async () => {
  const out = newOutput();
  await submitAndSignal(out, 'SIGKILL', Math.round(runMsA * 0.4));
  await submitAndSignal(out, 'SIGKILL', Math.round(runMsA * 0.3));
  const last = await submit(out);
  assert.equal(last.code, 0, last.stderr);
  assert.ok(readFileSync(path.join(out, 'submission.csv')).equals(csvA));
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} stops the run with exit 130, says how to resume, and the rerun completes to the same CSV`, async () => {
    const out = newOutput();
    // Sent once 4 recordings are journaled, so the stop is mid-run whatever the machine's load.
    const stopped = await submitAndSignalAfterFiles(out, signal, 4);
    assert.equal(stopped.code, 130, stopped.stderr);
    // Workers are terminated, not waited for: the stop takes well under a file's scoring time.
    assert.ok(stopped.stopMs >= 0 && stopped.stopMs < 1000, `stopped ${stopped.stopMs} ms after the signal`);
    assert.match(stopped.stderr, new RegExp(`${signal}: stopping; finished recordings are kept, and the same command resumes`));
    assert.match(stopped.stderr, /E_INTERRUPTED: .*\(run the same command again to resume where it stopped\)/);
    assert.equal(existsSync(path.join(out, 'submission.csv')), false, 'an interrupted run writes no partial CSV');
    const resumed = await submit(out);
    assert.equal(resumed.code, 0, resumed.stderr);
    console.log(`${signal}: exit ${stopped.stopMs} ms after the signal; rerun resumed ${resumedCount(resumed)} recordings`);
    assert.ok(resumedCount(resumed) >= 4 && resumedCount(resumed) < DURATIONS_SEC.length, stopped.stderr);
    assert.ok(readFileSync(path.join(out, 'submission.csv')).equals(csvA));
  });
}
