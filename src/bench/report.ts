/**
 * What `aviary bench` found, as JSON (`--json`) and as the printed table. Every line of the table
 * is a ratio against a baseline measured in the same run, named in the `against` column.
 */
import type { Projection, ThreadBudget } from './arithmetic.js';
import type { LongRecordingResult } from './long-recording.js';
import type { ThreadSample } from './thread-sampler.js';

export interface BenchLine {
  name: string;
  /** Wall seconds; NaN for the front-end lines, which are timed in CPU seconds only. */
  sec: number;
  /** CPU seconds of the process (all its threads) over the same span. */
  cpuSec: number | null;
  audioSec: number;
  windows: number | null;
  /** × real time of the wall time; per core (of CPU time) for the front-end lines. */
  realTime: number;
  perCore: boolean;
  /** Wall-time ratio against the baseline. */
  ratio: number;
  /** CPU-time ratio: less disturbed than wall time when other programs load the machine. */
  cpuRatio: number;
  against: string;
  note?: string;
}

export interface BenchReport {
  machine: { cpu: string; cores: number; node: string; platform: string; backends: string[] };
  input: {
    soundscapeDir: string;
    files: string[];
    passes: number;
    recordings: number;
    audioSec: number;
  };
  settings: {
    backend: string;
    workers: number;
    threadsPerWorker: number;
    batchSize: number;
    models: string[];
  };
  lines: BenchLine[];
  /** Lines that could not be measured, with the reason. */
  skipped: { name: string; reason: string }[];
  memory: { startRssMb: number; peakRssMb: number; long: LongRecordingResult[] };
  threads: {
    budget: ThreadBudget;
    sampled: ThreadSample | null;
    pipelineCoresObtained: number;
    loadAverageAtStart: number[];
  };
  projection: Projection;
}

function fixed(v: number, digits: number): string {
  return Number.isFinite(v) ? v.toFixed(digits) : '–';
}

export function formatBench(r: BenchReport): string {
  const min = r.input.audioSec / 60;
  const out = [
    `aviary bench: ${r.input.recordings} recordings (${r.input.files.length} files × ${r.input.passes} pass${r.input.passes > 1 ? 'es' : ''}), ` +
      `${fixed(min, 1)} min of audio; ${r.settings.models.length} models; ${r.settings.workers} workers × ${r.settings.threadsPerWorker} threads, ` +
      `batch ${r.settings.batchSize}, ${r.settings.backend}`,
    `machine: ${r.machine.cpu}, ${r.machine.cores} cores, Node ${r.machine.node}`,
    '',
    `  ${'line'.padEnd(38)} ${'wall s'.padStart(7)} ${'CPU s'.padStart(7)} ${'× real time'.padStart(11)} ` +
      `${'wall ratio'.padStart(10)} ${'CPU ratio'.padStart(9)}  against`,
  ];
  for (const l of r.lines) {
    const rt = `${fixed(l.realTime, 0)}×${l.perCore ? '/core' : ''}`;
    out.push(
      `  ${l.name.padEnd(38)} ${fixed(l.sec, 2).padStart(7)} ${fixed(l.cpuSec ?? NaN, 2).padStart(7)} ` +
        `${rt.padStart(11)} ${fixed(l.ratio, 2).padStart(10)} ${fixed(l.cpuRatio, 2).padStart(9)}  ${l.against}`,
    );
    if (l.note) out.push(`  ${''.padEnd(38)}   ${l.note}`);
  }
  for (const s of r.skipped) out.push(`  ${s.name.padEnd(38)} skipped: ${s.reason}`);
  const b = r.threads.budget;
  out.push(
    '',
    `threads: ${b.workers} workers × ${b.threadsPerWorker} inference threads = ${b.busyThreads} busy threads on ${b.cores} cores` +
      (b.oversubscribed ? ' (OVERSUBSCRIBED)' : ''),
  );
  const s = r.threads.sampled;
  if (s) {
    out.push(
      `  sampled during the pipeline run: ${fixed(s.meanRunnable, 2)} runnable threads on average (max ${s.maxRunnable}), ` +
        `more than ${b.cores} in ${fixed(100 * s.overCoresShare, 0)}% of ${s.samples} samples; ` +
        `${s.busyThreads} threads used > 10% of a core, ${s.threadsSeen} threads existed`,
      `  busy threads (share of a core): ${s.busyDetail.join(', ') || 'none'}`,
    );
  }
  out.push(
    `  the pipeline process got ${fixed(r.threads.pipelineCoresObtained, 2)} of ${b.cores} cores on average ` +
      `(machine load average at its start: ${r.threads.loadAverageAtStart.map((v) => v.toFixed(2)).join(', ')})`,
  );
  out.push(
    `memory: pipeline RSS high-water mark ${fixed(r.memory.peakRssMb, 0)} MB (process RSS ${fixed(r.memory.startRssMb, 0)} MB before it)`,
  );
  for (const l of r.memory.long) {
    const what = l.ok
      ? `peak RSS ${fixed(l.maxRssMb, 0)} MB, ${fixed(l.wallSec, 1)} s, ${l.rows} rows`
      : `FAILED: ${l.failures.join('; ')}`;
    out.push(
      `  ${fixed(l.minutes, 0)}-min WAV (${fixed(l.fileMb, 0)} MB at ${l.sampleRateHz} Hz), own process: ${what}`,
    );
  }
  const p = r.projection;
  out.push(
    `projection: ${p.soundscapes} × ${p.minutesEach}-min soundscapes ≈ ${fixed(p.machineMin, 1)} min on this machine ` +
      `(${fixed(p.coreMin, 1)} core-minutes: ${fixed(p.coreMin / p.soundscapes / p.minutesEach, 3)} per audio minute per core)`,
  );
  return out.join('\n');
}
