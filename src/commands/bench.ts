/**
 * `aviary bench`: measures the pipeline against its own floors in one run and prints the table
 * (src/bench/). Missing shared recordings are a plain skip, not a failure: the bench is a
 * measurement, and a checkout without ../shared has nothing to measure.
 */
import { describeError, isAviaryError } from '../errors.js';
import type { BackendChoice } from '../inference/backend.js';
import { writeFileAtomic } from '../output/atomic-write.js';
import { formatBench } from '../bench/report.js';
import { runBench } from '../bench/run-bench.js';
import { defaultSoundscapeDir, missingFiles } from '../bench/subset.js';
import { EXIT, exitCodeFor } from './exit-codes.js';

export interface BenchCliOptions {
  soundscapes?: string;
  modelsDir: string;
  models?: string[];
  backend: BackendChoice;
  workers?: number;
  threads?: number;
  batchSize: number;
  minMinutes: number;
  project: number;
  minutes: number;
  python: boolean;
  backends: boolean;
  memory?: number[];
  json?: string;
  quiet: boolean;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

export async function benchCommand(o: BenchCliOptions): Promise<number> {
  const soundscapeDir = o.soundscapes ?? defaultSoundscapeDir();
  const missing = missingFiles(soundscapeDir);
  if (missing.length > 0) {
    process.stdout.write(
      `aviary bench: skipped: ${missing.length} bench recordings are not in ${soundscapeDir}\n`,
    );
    return EXIT.ok;
  }
  try {
    const report = await runBench(
      {
        soundscapeDir,
        modelsDir: o.modelsDir,
        models: o.models,
        backend: o.backend,
        workers: o.workers,
        threadsPerWorker: o.threads,
        batchSize: o.batchSize,
        minMinutes: o.minMinutes,
        soundscapes: o.project,
        minutesEach: o.minutes,
        python: o.python,
        compareBackends: o.backends,
        memoryMinutes: o.memory ?? [],
        quiet: o.quiet,
      },
      log,
    );
    process.stdout.write(formatBench(report) + '\n');
    if (o.json) await writeFileAtomic(o.json, JSON.stringify(report, null, 2) + '\n');
    return EXIT.ok;
  } catch (err) {
    log(`aviary bench: ${describeError(err)}`);
    if (!isAviaryError(err) && process.env.AVIARY_DEBUG) console.error(err);
    return exitCodeFor(err);
  }
}
