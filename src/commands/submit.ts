import { describeError } from '../errors.js';
import { BackendChoice } from '../inference/backend.js';
import { SubmitReport, runSubmit } from '../pipeline/submit.js';
import { EXIT } from './exit-codes.js';
import { formatAudit } from './audit-table.js';

export interface SubmitCliOptions {
  input: string;
  output: string;
  modelsDir: string;
  models?: string[];
  backend: BackendChoice;
  labels?: string;
  workers?: number;
  threads?: number;
  batchSize: number;
  window: number;
  hop: number;
  smoothing: number;
  ensemble: 'mean' | 'geometric';
  timeLimit: number;
  fileTimeout: number;
  strict: boolean;
  quiet: boolean;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

export function toSubmitOptions(o: SubmitCliOptions) {
  return {
    input: o.input,
    output: o.output,
    modelsDir: o.modelsDir,
    models: o.models,
    backend: o.backend,
    labelsFile: o.labels,
    workers: o.workers,
    threadsPerWorker: o.threads,
    batchSize: o.batchSize,
    windowSec: o.window,
    hopSec: o.hop,
    smoothing: o.smoothing ?? 1,
    ensembleMode: o.ensemble ?? 'mean',
    timeLimitMin: o.timeLimit ?? 120,
    fileTimeoutSec: o.fileTimeout,
    strict: o.strict ?? false,
    quiet: o.quiet,
  };
}

export function printSummary(report: SubmitReport): void {
  const failed = report.failures.length;
  log(`wrote ${report.csvPath}: ${report.rows} rows from ${report.files - failed} of ${report.files} recordings`);
  if (report.droppedModels.length > 0) log(`models dropped to stay within the time limit: ${report.droppedModels.join(', ')}`);
  if (report.fallbackFiles.length > 0) {
    log(`${report.fallbackFiles.length} recording(s) reached the time limit unscored; their rows hold the fallback value (see run-info.json):`);
    for (const f of report.fallbackFiles) log(`  ${f}`);
  }
  if (failed > 0) {
    log(`${failed} recording(s) failed and have no rows:`);
    for (const f of report.failures) log(`  ${f.file}: ${f.code}: ${f.message}`);
  }
}

export async function submitCommand(o: SubmitCliOptions): Promise<number> {
  try {
    const stop = new AbortController();
    const onSignal = (sig: NodeJS.Signals) => {
      log(`${sig}: stopping; finished recordings are kept, and the same command resumes`);
      stop.abort();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const report = await runSubmit({ ...toSubmitOptions(o), signal: stop.signal }, log);
    printSummary(report);
    log(formatAudit(report));
    return o.strict && report.failures.length > 0 ? EXIT.someFilesFailed : EXIT.ok;
  } catch (err) {
    log(`aviary submit: ${describeError(err)}`);
    const { exitCodeFor } = await import('./exit-codes.js');
    return exitCodeFor(err);
  }
}
