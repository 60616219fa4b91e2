/**
 * A child process for the long-recording memory probe: one `runSubmit` and nothing else, so the
 * process's RSS high-water mark (which covers the worker threads) is that run's alone. Reads its
 * options as JSON from argv[2]; prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { describeError } from '../errors.js';
import type { BackendChoice } from '../inference/backend.js';
import { runSubmit } from '../pipeline/submit.js';
import { benchSubmitOptions } from './submit-options.js';

export interface MemoryChildOptions {
  input: string;
  output: string;
  modelsDir: string;
  models?: string[];
  backend: BackendChoice;
  workers: number;
  threadsPerWorker: number;
  batchSize: number;
}

export interface MemoryChildResult {
  ok: boolean;
  /** RSS before anything was loaded, MiB. */
  startRssMb: number;
  maxRssMb: number;
  wallSec: number;
  audioSec: number;
  rows: number;
  failures: string[];
}

/**
 * VmHWM of /proc/self/status: the peak RSS of this process's own address space. getrusage's
 * ru_maxrss would not do: Linux carries it over from the parent across fork and exec, so a child
 * of a bench that had grown to 2 GB reported 2 GB for any recording.
 */
function addressSpacePeakMb(): number {
  const line = readFileSync('/proc/self/status', 'utf8').match(/^VmHWM:\s+(\d+) kB$/m);
  return line ? Number(line[1]) / 1024 : process.resourceUsage().maxRSS / 1024;
}

async function main(): Promise<void> {
  const o = JSON.parse(process.argv[2]) as MemoryChildOptions;
  const startRssMb = process.memoryUsage().rss / 2 ** 20;
  const t0 = performance.now();
  const result: MemoryChildResult = {
    ok: false,
    startRssMb,
    maxRssMb: 0,
    wallSec: 0,
    audioSec: 0,
    rows: 0,
    failures: [],
  };
  try {
    const report = await runSubmit(
      benchSubmitOptions({
        input: o.input,
        output: o.output,
        modelsDir: o.modelsDir,
        models: o.models,
        backend: o.backend,
        workers: o.workers,
        threadsPerWorker: o.threadsPerWorker,
        batchSize: o.batchSize,
        fileTimeoutSec: 3 * 3600,
        quiet: true,
      }),
      // Log lines (and the per-file "failed:" lines, written even when quiet) go to stderr.
      (line) => process.stderr.write(`${line}\n`),
    );
    result.ok = report.failures.length === 0;
    result.audioSec = report.audioSec;
    result.rows = report.rows;
    result.failures = report.failures.map((f) => `${f.code}: ${f.message}`);
  } catch (err) {
    result.failures.push(describeError(err));
  }
  result.wallSec = (performance.now() - t0) / 1000;
  result.maxRssMb = addressSpacePeakMb();
  process.stdout.write(JSON.stringify(result) + '\n');
}

await main();
