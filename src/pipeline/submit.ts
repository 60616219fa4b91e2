/**
 * `aviary submit`: recordings in, submission CSV out.
 *
 * Order of work: validate options, models and labels (nothing is read from the audio folder
 * until all of that holds), discover the recordings, score them in the worker pool, ensemble each
 * file as it arrives, then write the CSV and the run record atomically.
 */
import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { discoverAudioFiles, fileStem } from '../audio/discover.js';
import { AviaryError, describeError } from '../errors.js';
import { BackendChoice, probeBackends } from '../inference/backend.js';
import { ModelManifest } from '../models/manifest.js';
import { loadModels } from '../models/registry.js';
import { combineModels } from '../output/ensemble.js';
import { alignModels, readLabelOrder } from '../output/labels.js';
import { writeRunInfo } from '../output/run-info.js';
import { checkSmoothingWidth, smoothWindows } from '../output/smoothing.js';
import { writeSubmission } from '../output/submission-csv.js';
import { PoolStats, ScoringPool } from '../pool/scoring-pool.js';
import { ScoreResult } from '../pool/protocol.js';
import { ProgressReporter } from './progress.js';
import { planWithinLimit } from './time-budget.js';
import { StageTotals, addTimings, emptyTotals } from './stage-totals.js';
import { Journal, fileIdentity, runSignature } from './journal.js';
import { Deadline, countCostMs, countWindowEnds, fallbackRow, repeatRow } from './deadline.js';

export interface SubmitOptions {
  input: string;
  output: string;
  modelsDir: string;
  models?: string[];
  backend: BackendChoice;
  labelsFile?: string;
  workers?: number;
  threadsPerWorker?: number;
  batchSize: number;
  windowSec: number;
  hopSec: number;
  smoothing: number;
  ensembleMode: 'mean' | 'geometric';
  timeLimitMin: number;
  fileTimeoutSec: number;
  strict: boolean;
  quiet: boolean;
  /** Aborting stops dispatching files; what is done stays in the journal for a resume. */
  signal?: AbortSignal;
}

export interface FileFailure {
  file: string;
  code: string;
  message: string;
}

export interface SubmitReport {
  csvPath: string;
  rows: number;
  files: number;
  failures: FileFailure[];
  /** Recordings taken from the journal of an earlier, interrupted run. */
  resumed: number;
  /** Recordings not scored before the time limit: their rows hold the fallback (deadline.ts). */
  fallbackFiles: string[];
  pool: PoolStats;
  droppedModels: string[];
  backend: string;
  wallMs: number;
  audioSec: number;
  totals: StageTotals;
  models: ModelManifest[];
  workers: number;
  threadsPerWorker: number;
}

interface ScoredFile {
  stem: string;
  endSeconds: number[];
  probs: Float32Array;
}

/** Workers × inference threads never exceed the cores. */
export function resolveThreads(cores: number, workers?: number, threads?: number): { workers: number; threads: number } {
  const w = Math.max(1, Math.min(workers ?? cores, cores));
  const t = Math.max(1, threads ?? Math.floor(cores / w));
  if (w * t > cores) {
    throw new AviaryError('E_USAGE', `--workers ${w} × --threads ${t} = ${w * t} exceeds the ${cores} cores`, 'lower one of them');
  }
  return { workers: w, threads: t };
}

/** Settles which backend `auto` means here, so the log can say it before any work. */
async function resolveBackend(choice: BackendChoice): Promise<string> {
  const statuses = await probeBackends();
  const available = (name: string) => statuses.find((s) => s.name === name && s.available);
  const pick =
    choice === 'onnxruntime'
      ? available('onnxruntime')
      : available('openvino-node') ?? available('openvino-c') ?? (choice === 'auto' ? available('onnxruntime') : undefined);
  if (!pick) {
    const why = statuses.map((s) => `${s.name}: ${s.detail}`).join('; ');
    throw new AviaryError('E_BACKEND', `backend ${choice} is not available (${why})`, 'run `make setup`, or choose --backend onnxruntime');
  }
  return `${pick.name} (${pick.detail})`;
}

/** Checks the options no model or file can fix, before anything is loaded or written. */
async function checkRunOptions(opts: SubmitOptions): Promise<void> {
  // Checked per file by smoothWindows too, but there a bad width would fail every file one by one.
  checkSmoothingWidth(opts.smoothing);
  const outputKind = await stat(opts.output).catch(() => null);
  if (outputKind && !outputKind.isDirectory()) {
    throw new AviaryError(
      'E_USAGE',
      `--output ${opts.output} exists and is not a folder`,
      'pass a folder (it is created when missing) for submission.csv and run-info.json',
    );
  }
}

export async function runSubmit(opts: SubmitOptions, log: (line: string) => void): Promise<SubmitReport> {
  const started = performance.now();
  await checkRunOptions(opts);
  const models = await loadModels(opts.modelsDir, { names: opts.models });
  for (const m of models) {
    if (m.frontend.windowSec !== opts.windowSec) {
      throw new AviaryError(
        'E_MANIFEST',
        `model ${m.name} scores ${m.frontend.windowSec} s windows but the run uses --window ${opts.windowSec}`,
        'use a matching --window or another model',
      );
    }
  }
  const labels = opts.labelsFile ? await readLabelOrder(opts.labelsFile) : models[0].labels;
  const columns = alignModels(labels, models);
  const backend = await resolveBackend(opts.backend);
  const { workers, threads } = resolveThreads(os.availableParallelism(), opts.workers, opts.threadsPerWorker);
  log(`models: ${models.map((m) => `${m.name} (${m.architecture}, weight ${m.weight})`).join(', ')}`);
  log(`backend: ${backend}, device CPU; ${workers} workers × ${threads} inference threads`);
  if (opts.workers !== undefined && opts.workers > workers) {
    log(`note: --workers ${opts.workers} lowered to ${workers}, the cores of this machine (more would only contend)`);
  }

  const discovered = await discoverAudioFiles(opts.input);
  // Two recordings with one stem (a.wav, a.ogg) would share row ids: the first in order is
  // scored, the other is reported as failed.
  const seenStems = new Map<string, string>();
  const failures: FileFailure[] = [];
  const files = discovered.filter((f) => {
    const first = seenStems.get(fileStem(f));
    if (first === undefined) {
      seenStems.set(fileStem(f), f);
      return true;
    }
    failures.push({ file: f, code: 'E_USAGE', message: `same row ids as ${first} (same file stem); not scored` });
    return false;
  });
  const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  log(`input: ${files.length} recordings in ${path.resolve(opts.input)}`);

  const signature = await runSignature({
    models: await Promise.all(
      models.map(async (m) => [m.name, m.weight, await Promise.all(Object.values(m.files).map((f) => fileIdentity(f!)))]),
    ),
    labels,
    window: opts.windowSec,
    hop: opts.hopSec,
    smoothing: opts.smoothing,
    ensemble: opts.ensembleMode,
    input: path.resolve(opts.input),
  });
  const journal = await Journal.open(opts.output, signature);
  const done = await journal.load();
  const deadline = new Deadline(opts.timeLimitMin * 60_000, started);
  const countCost = files.map((f, i) => countCostMs(f, sizes[i]));
  let countCostLeft = countCost.reduce((sum, c, i) => (done.has(files[i]) ? sum : sum + c), 0);
  // Files not scored before the deadline (never dispatched, or abandoned in flight).
  const late: number[] = [];
  const stopInFlight = new AbortController();

  const pool = new ScoringPool(
    { models, backend: opts.backend, threadsPerWorker: threads, batchSize: opts.batchSize, windowSec: opts.windowSec, hopSec: opts.hopSec },
    { workers, fileTimeoutMs: opts.fileTimeoutSec * 1000 },
  );
  const progress = new ProgressReporter({ quiet: opts.quiet });
  const scored = new Map<string, ScoredFile>();
  const totals = emptyTotals();
  let active = models.map((m) => m.name);
  const dropped: string[] = [];
  let bytesDone = 0;
  let windowsDone = 0;
  let audioSec = 0;
  let filesDone = 0;
  let budgetChecked = false;
  let resumed = 0;

  const accept = (result: ScoreResult, fileIndex: number) => {
    const present = models.map((m, i) => ({ m, i })).filter(({ m }) => result.outputs[m.name]);
    const n = result.endSeconds.length;
    const combined = combineModels(
      present.map(({ m, i }) => ({ probs: result.outputs[m.name], kind: m.output.kind, weight: m.weight, columnIndex: columns[i], name: m.name })),
      n,
      labels.length,
      opts.ensembleMode,
    );
    const probs = smoothWindows(combined, n, labels.length, opts.smoothing);
    const entry = { stem: fileStem(result.file), endSeconds: result.endSeconds, probs };
    scored.set(files[fileIndex], entry);
    for (const w of result.warnings) progress.log(`warning: ${result.file}: ${w}`);
    addTimings(totals, result.timings);
    windowsDone += n;
    audioSec += result.durationSec;
    return entry;
  };

  const checkBudget = () => {
    if (budgetChecked || active.length <= 1) return;
    if (filesDone < Math.min(files.length, Math.max(2, workers)) || bytesDone === 0) return;
    budgetChecked = true;
    const decision = planWithinLimit({
      limitMs: opts.timeLimitMin * 60_000,
      elapsedMs: performance.now() - started,
      bytesDone,
      bytesLeft: totalBytes - bytesDone,
      frontendMsPerByte: (totals.decodeMs + totals.resampleMs + totals.spectrogramMs) / bytesDone,
      active: models
        .filter((m) => active.includes(m.name))
        .map((m) => ({ name: m.name, weight: m.weight, msPerByte: (totals.inferenceMs[m.name] ?? 0) / bytesDone })),
    });
    if (decision.drop.length > 0) {
      active = decision.keep;
      dropped.push(...decision.drop);
      progress.log(
        `time limit: projected ${(decision.projectedMs / 60_000).toFixed(1)} min with ${decision.keep.length} models; ` +
          `dropping ${decision.drop.join(', ')} for the remaining files (lowest weight, then slowest, first)`,
      );
    }
  };

  let next = 0;
  const runOne = async (): Promise<void> => {
    while (next < files.length) {
      const index = next++;
      const file = files[index];
      const previous = done.get(file);
      if (previous) {
        scored.set(file, previous);
        resumed++;
        windowsDone += previous.endSeconds.length;
        bytesDone += sizes[index];
        filesDone++;
        continue;
      }
      if (opts.signal?.aborted) break;
      if (deadline.dispatchClosed(performance.now(), countCostLeft)) {
        late.push(index);
        continue;
      }
      const outcome = await pool.score({ file, models: active }, stopInFlight.signal);
      if (opts.signal?.aborted) break;
      if (!outcome.ok && outcome.code === 'E_INTERRUPTED') {
        late.push(index);
        continue;
      }
      countCostLeft -= countCost[index];
      if (outcome.ok) {
        try {
          const entry = accept(outcome.result, index);
          const id = await fileIdentity(file);
          await journal.append({ file, sizeBytes: id[1], mtimeMs: id[2], durationSec: outcome.result.durationSec, ...entry });
        } catch (err) {
          failures.push({ file, code: (err as AviaryError).code ?? 'E_INFERENCE', message: (err as Error).message });
          progress.log(`failed: ${file}: ${describeError(err)}`);
        }
      } else {
        failures.push({ file, code: outcome.code, message: outcome.message });
        progress.log(`failed: ${file}: ${outcome.message}`);
      }
      bytesDone += sizes[index];
      filesDone++;
      const elapsedSec = (performance.now() - started) / 1000;
      const etaSec = bytesDone > 0 ? (elapsedSec * (totalBytes - bytesDone)) / bytesDone : null;
      progress.update({ filesDone, filesTotal: files.length, windowsDone, audioSecDone: audioSec, elapsedSec, etaSec });
      checkBudget();
    }
  };
  const onAbort = () => void pool.close();
  opts.signal?.addEventListener('abort', onAbort);
  let poolStats: PoolStats = pool.stats;
  const watch = setInterval(() => {
    if (deadline.inFlightExpired(performance.now(), countCostLeft)) stopInFlight.abort();
  }, 50);
  try {
    await Promise.all(Array.from({ length: workers }, runOne));
    poolStats = await pool.settledStats();
  } finally {
    clearInterval(watch);
    opts.signal?.removeEventListener('abort', onAbort);
    await pool.close();
    await journal.close();
  }
  if (opts.signal?.aborted) {
    progress.stop(`interrupted after ${filesDone} of ${files.length} files`);
    throw new AviaryError(
      'E_INTERRUPTED',
      `stopped by a signal; ${scored.size} finished recordings are kept in ${journal.path}`,
      'run the same command again to resume where it stopped',
    );
  }
  if (resumed > 0) log(`resumed: ${resumed} recordings taken from ${journal.path}`);
  progress.stop(`${filesDone} files, ${windowsDone} windows scored`);
  log(
    `pool: ${poolStats.threads} of ${poolStats.size} workers at the end; ${poolStats.started - poolStats.size} started ` +
      `to replace ${poolStats.crashes} crashed and ${poolStats.timeouts} timed-out attempts`,
  );

  const fallback = new Map<string, ScoredFile>();
  const fallbackValue = fallbackRow([...scored.values()].map((s) => s.probs), labels.length);
  if (late.length > 0) {
    log(
      `time limit: ${late.length} recordings not scored within ${opts.timeLimitMin} min get fallback rows ` +
        `(per-label mean of the ${windowsDone} windows scored${windowsDone === 0 ? ': none, so 0' : ''})`,
    );
    for (const index of late.sort((a, b) => a - b)) {
      try {
        const endSeconds = await countWindowEnds(files[index], opts.windowSec, opts.hopSec);
        const probs = repeatRow(fallbackValue, endSeconds.length);
        fallback.set(files[index], { stem: fileStem(files[index]), endSeconds, probs });
      } catch (err) {
        failures.push({ file: files[index], code: (err as AviaryError).code ?? 'E_DECODE', message: (err as Error).message });
      }
    }
  }

  const t0 = performance.now();
  const csvPath = path.join(opts.output, 'submission.csv');
  const ordered = files.filter((f) => scored.has(f) || fallback.has(f)).map((f) => scored.get(f) ?? fallback.get(f)!);
  if (ordered.length === 0) {
    throw new AviaryError('E_NO_AUDIO', `none of the ${files.length} recordings could be scored`, 'see the failures above');
  }
  const { rows } = await writeSubmission(csvPath, labels, ordered);
  totals.writeMs += performance.now() - t0;
  const report: SubmitReport = {
    csvPath,
    rows,
    files: files.length,
    failures,
    resumed,
    fallbackFiles: [...fallback.keys()],
    pool: poolStats,
    droppedModels: dropped,
    backend,
    wallMs: performance.now() - started,
    audioSec,
    totals,
    models,
    workers,
    threadsPerWorker: threads,
  };
  await writeRunInfo(opts.output, {
    settings: { ...opts, input: path.resolve(opts.input), output: path.resolve(opts.output), modelsDir: path.resolve(opts.modelsDir) },
    backend,
    workers,
    threadsPerWorker: threads,
    models: models.map((m) => ({ name: m.name, architecture: m.architecture, weight: m.weight, dir: m.dir })),
    labels,
    droppedModels: dropped,
    pool: poolStats,
    timeLimit: {
      limitMs: deadline.limitMs,
      marginMs: deadline.marginMs,
      fallbackRule: 'per-label mean of every window scored in this run, 0 when none was',
      fallbackFiles: [...fallback.keys()],
      fallbackValue: fallback.size > 0 ? Array.from(fallbackValue) : null,
    },
    rows,
    files: files.length,
    failures,
    timings: { wallMs: report.wallMs, ...totals },
    node: process.version,
  });
  return report;
}
