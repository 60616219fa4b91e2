import type { SubmitReport } from '../pipeline/submit.js';

export interface AuditJson {
  wallSec: number;
  audioSec: number;
  realTimeFactor: number;
  windowsPerSec: number;
  workers: number;
  threadsPerWorker: number;
  backend: string;
  /** Worker seconds per stage, summed over files (stages overlap across workers). */
  stagesSec: Record<string, number>;
  projection: { soundscapes: number; minutes: number; wallMin: number };
}

export function auditJson(report: SubmitReport, soundscapes = 1100, minutes = 4): AuditJson {
  const t = report.totals;
  const stagesSec: Record<string, number> = {
    decode: t.decodeMs / 1000,
    resample: t.resampleMs / 1000,
    spectrogram: t.spectrogramMs / 1000,
  };
  for (const [name, ms] of Object.entries(t.inferenceMs)) stagesSec[`inference ${name}`] = ms / 1000;
  stagesSec.write = t.writeMs / 1000;
  const wallSec = report.wallMs / 1000;
  const windows = report.rows;
  return {
    wallSec,
    audioSec: report.audioSec,
    realTimeFactor: report.audioSec / wallSec,
    windowsPerSec: windows / wallSec,
    workers: report.workers,
    threadsPerWorker: report.threadsPerWorker,
    backend: report.backend,
    stagesSec,
    projection: {
      soundscapes,
      minutes,
      wallMin: report.audioSec > 0 ? (soundscapes * minutes * 60 * wallSec) / report.audioSec / 60 : NaN,
    },
  };
}

/**
 * Below this much audio, worker start-up and model compilation (about a second) weigh on the
 * wall time as much as the scoring does, and the projection overstates the time.
 */
export const MIN_AUDIO_SEC_TO_PROJECT = 300;

/** The timing table printed after every run. */
export function formatAudit(report: SubmitReport, soundscapes = 1100, minutes = 4): string {
  const a = auditJson(report, soundscapes, minutes);
  const busy = Object.values(a.stagesSec).reduce((s, v) => s + v, 0);
  const lines = [
    'timing audit (worker seconds per stage; stages overlap across workers):',
    `  ${'stage'.padEnd(34)} ${'seconds'.padStart(9)} ${'share'.padStart(7)}`,
  ];
  for (const [stage, sec] of Object.entries(a.stagesSec)) {
    lines.push(`  ${stage.padEnd(34)} ${sec.toFixed(2).padStart(9)} ${((100 * sec) / (busy || 1)).toFixed(1).padStart(6)}%`);
  }
  lines.push(
    `  wall ${a.wallSec.toFixed(2)} s for ${(a.audioSec / 60).toFixed(1)} min of audio: ` +
      `${a.realTimeFactor.toFixed(0)}x real time, ${a.windowsPerSec.toFixed(1)} windows/s ` +
      `(${a.workers} workers × ${a.threadsPerWorker} threads, ${a.backend})`,
    `  projection: ${soundscapes} soundscapes × ${minutes} min ≈ ${a.projection.wallMin.toFixed(1)} min on this machine` +
      (a.audioSec < MIN_AUDIO_SEC_TO_PROJECT
        ? ` (from only ${a.audioSec.toFixed(1)} s of audio, where start-up dominates: an overestimate; ` +
          `project from ${MIN_AUDIO_SEC_TO_PROJECT / 60} min or more with \`aviary audit\`)`
        : ''),
  );
  return lines.join('\n');
}
