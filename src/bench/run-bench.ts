/**
 * `aviary bench`: one run, every measurement on the same recordings, in this order:
 * the pipeline first (so the process's RSS high-water mark is the pipeline's), then the
 * single-thread front-end (which keeps the spectrograms), then model-only with those inputs on
 * the pipeline's backend, then the other backend, then the Python reference, then — if asked —
 * the long-recording memory probes in their own processes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AviaryError } from '../errors.js';
import { BackendChoice, probeBackends } from '../inference/backend.js';
import { loadModels } from '../models/registry.js';
import { resolveThreads, runSubmit } from '../pipeline/submit.js';
import { kbToMb, perCore, project, ratio, realTimeFactor, threadBudget } from './arithmetic.js';
import { runFrontendStage } from './frontend-stage.js';
import { LongRecordingResult, probeLongRecording } from './long-recording.js';
import { ModelOnlyResult, runModelOnly } from './model-only.js';
import { runPythonReference } from './python-stage.js';
import { benchSubmitOptions } from './submit-options.js';
import type { BenchLine, BenchReport } from './report.js';
import { BENCH_FILES, listSeconds, makeBenchInput, missingFiles, passesFor } from './subset.js';
import { ThreadSampler } from './thread-sampler.js';

export interface BenchOptions {
  soundscapeDir: string;
  modelsDir: string;
  models?: string[];
  backend: BackendChoice;
  workers?: number;
  threadsPerWorker?: number;
  batchSize: number;
  /** Repeat the file list until the run holds at least this much audio. */
  minMinutes: number;
  soundscapes: number;
  minutesEach: number;
  python: boolean;
  compareBackends: boolean;
  /** Lengths in minutes of the concatenated recordings to probe for memory (own processes). */
  memoryMinutes: number[];
  quiet: boolean;
}

/** The source of the long-recording probes: the list's 4-minute 32 kHz Vorbis recording. */
const LONG_SOURCE = BENCH_FILES[0];

function cpuSecSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
}

export async function runBench(o: BenchOptions, log: (line: string) => void): Promise<BenchReport> {
  const missing = missingFiles(o.soundscapeDir);
  if (missing.length > 0) {
    throw new AviaryError(
      'E_INPUT_MISSING',
      `the bench recordings are not in ${o.soundscapeDir} (missing ${missing.join(', ')})`,
      'the bench needs ../shared/data/soundscapes beside the repository, or --soundscapes DIR',
    );
  }
  const models = await loadModels(o.modelsDir, { names: o.models });
  const cores = os.availableParallelism();
  const { workers, threads } = resolveThreads(cores, o.workers, o.threadsPerWorker);
  // The models and threads every scoring run of the bench shares: the pipeline and the memory probes.
  const scoring = {
    modelsDir: o.modelsDir,
    models: o.models,
    backend: o.backend,
    workers,
    threadsPerWorker: threads,
    batchSize: o.batchSize,
  };
  const passes = passesFor((await listSeconds(o.soundscapeDir)) ?? 0, o.minMinutes * 60);
  const input = await makeBenchInput(o.soundscapeDir, passes);
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'aviary-bench-out-'));
  const lines: BenchLine[] = [];
  const skipped: BenchReport['skipped'] = [];
  try {
    log(`bench 1/5: pipeline (runSubmit) on ${input.links.length} recordings`);
    const startRssMb = process.memoryUsage().rss / 2 ** 20;
    const loadAverage = os.loadavg();
    const cpu0 = process.cpuUsage();
    const sampler = new ThreadSampler(cores);
    const pipe = await runSubmit(
      benchSubmitOptions({ ...scoring, input: input.dir, output: scratch, fileTimeoutSec: 3600, quiet: o.quiet }),
      log,
    );
    const sampled = sampler.stop();
    const cpu = process.cpuUsage(cpu0);
    const peakRssMb = kbToMb(process.resourceUsage().maxRSS);
    if (pipe.failures.length > 0) {
      throw new AviaryError(
        'E_DECODE',
        `the pipeline failed on ${pipe.failures.map((f) => `${f.file} (${f.message})`).join(', ')}`,
      );
    }
    const pipeSec = pipe.wallMs / 1000;
    const audioSec = pipe.audioSec;

    log('bench 2/5: front-end only, one thread');
    const fe = await runFrontendStage(input.sources, models, { windowSec: 5, hopSec: 5 });
    const feAudio = fe.audioSec;

    log('bench 3/5: model-only, precomputed inputs');
    const modelOpts = { models, workers, threadsPerWorker: threads, batchSize: o.batchSize };
    let cpuMark = process.cpuUsage();
    const floor = await runModelOnly(fe.files, input.sourceIndex, {
      ...modelOpts,
      backend: o.backend,
    });
    const floorCpuSec = cpuSecSince(cpuMark);
    const pipeCpuSec = (cpu.user + cpu.system) / 1e6;
    const floorName = `model-only (${floor.backend})`;

    lines.push({
      name: 'pipeline (runSubmit, end to end)',
      sec: pipeSec,
      cpuSec: pipeCpuSec,
      audioSec,
      windows: pipe.rows,
      realTime: realTimeFactor(audioSec, pipeSec),
      perCore: false,
      ratio: ratio(pipeSec, floor.wallSec),
      cpuRatio: ratio(pipeCpuSec, floorCpuSec),
      against: floorName,
    });
    lines.push({
      name: floorName,
      sec: floor.wallSec,
      cpuSec: floorCpuSec,
      audioSec,
      windows: floor.windows,
      realTime: realTimeFactor(audioSec, floor.wallSec),
      perCore: false,
      ratio: 1,
      cpuRatio: 1,
      against: '(baseline)',
      note: `first worker ready (started, models compiled) after ${floor.startupSec.toFixed(2)} s`,
    });
    // The front-end's share of the pipeline's CPU: one thread's seconds over the CPU seconds the
    // pipeline process used (not wall × threads, which a loaded machine inflates), per pass.
    const feSec = fe.decodeSec + fe.resampleSec + fe.spectrogramSec;
    const pipeCoreSec = (pipeCpuSec * feAudio) / audioSec;
    const stages: [string, number][] = [
      ['front-end only (1 thread)', feSec],
      ['  decode + mono', fe.decodeSec],
      ['  resample (libsamplerate)', fe.resampleSec],
      ['  spectrograms', fe.spectrogramSec],
    ];
    for (const [name, sec] of stages) {
      lines.push({
        name,
        sec: NaN,
        cpuSec: sec,
        audioSec: feAudio,
        windows: null,
        realTime: perCore(realTimeFactor(feAudio, sec), 1),
        perCore: true,
        ratio: NaN,
        cpuRatio: ratio(sec, pipeCoreSec),
        against: 'pipeline CPU seconds (one pass)',
      });
    }

    if (o.compareBackends) {
      log('bench 4/5: the other backend, model-only');
      const other: BackendChoice = floor.backend === 'onnxruntime' ? 'openvino' : 'onnxruntime';
      let alt: ModelOnlyResult | null = null;
      cpuMark = process.cpuUsage();
      try {
        alt = await runModelOnly(fe.files, input.sourceIndex, { ...modelOpts, backend: other });
      } catch (err) {
        skipped.push({ name: `model-only (${other})`, reason: (err as Error).message });
      }
      if (alt) {
        lines.push({
          name: `model-only (${alt.backend})`,
          sec: alt.wallSec,
          cpuSec: cpuSecSince(cpuMark),
          audioSec,
          windows: alt.windows,
          realTime: realTimeFactor(audioSec, alt.wallSec),
          perCore: false,
          ratio: ratio(alt.wallSec, floor.wallSec),
          cpuRatio: ratio(cpuSecSince(cpuMark), floorCpuSec),
          against: floorName,
          note: `first worker ready (started, models compiled) after ${alt.startupSec.toFixed(2)} s`,
        });
      }
    }

    if (o.python) {
      log('bench 5/5: Python reference');
      const py = await runPythonReference(input.links, models, {
        threads: workers * threads,
        batchSize: o.batchSize,
        windowSec: 5,
        hopSec: 5,
        timeoutSec: Math.max(600, 20 * pipeSec),
      });
      if (py.ok) {
        const r = py.result;
        lines.push({
          name: `python reference (${r.threads} OpenVINO threads)`,
          sec: r.wallSec,
          cpuSec: r.cpuSec,
          audioSec: r.audioSec,
          windows: r.windows,
          realTime: realTimeFactor(r.audioSec, r.wallSec),
          perCore: false,
          ratio: ratio(r.wallSec, pipeSec),
          cpuRatio: ratio(r.cpuSec, pipeCpuSec),
          against: 'pipeline',
          note:
            `decode ${r.stageSec.decode.toFixed(1)} s, resample_poly ${r.stageSec.resample.toFixed(1)} s, ` +
            `numpy spectrograms ${r.stageSec.spectrogram.toFixed(1)} s, inference ${r.stageSec.inference.toFixed(1)} s, ` +
            `compile ${r.compileSec.toFixed(1)} s (imports ${r.importSec.toFixed(1)} s not counted)`,
        });
      } else {
        skipped.push({ name: 'python reference', reason: py.reason });
      }
    }

    const long: LongRecordingResult[] = [];
    for (const minutes of o.memoryMinutes) {
      log(`memory: a ${minutes}-min recording in its own process`);
      long.push(
        await probeLongRecording(path.join(o.soundscapeDir, LONG_SOURCE), minutes, scoring),
      );
    }

    const backends = (await probeBackends()).map(
      (s) => `${s.name}: ${s.available ? s.detail : 'unavailable'}`,
    );
    return {
      machine: {
        cpu: os.cpus()[0]?.model ?? 'unknown',
        cores,
        node: process.version,
        platform: `${os.platform()} ${os.release()}`,
        backends,
      },
      input: {
        soundscapeDir: o.soundscapeDir,
        files: [...BENCH_FILES],
        passes,
        recordings: input.links.length,
        audioSec,
      },
      settings: {
        backend: pipe.backend,
        workers,
        threadsPerWorker: threads,
        batchSize: o.batchSize,
        models: models.map((m) => m.name),
      },
      lines,
      skipped,
      memory: { startRssMb, peakRssMb, long },
      threads: {
        budget: threadBudget(workers, threads, cores),
        sampled,
        // CPU time the process got per second of the pipeline's wall: below `cores` when other
        // work on the machine takes its share.
        pipelineCoresObtained: pipeCpuSec / pipeSec,
        loadAverageAtStart: loadAverage,
      },
      projection: project(audioSec, pipeSec, workers * threads, o.soundscapes, o.minutesEach),
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
    await rm(input.dir, { recursive: true, force: true });
  }
}
