/**
 * The arithmetic behind every line of `aviary bench`: ratios against a baseline of the same run,
 * real-time factors, projections to a competition-sized test set, and the thread budget.
 * Pure functions, so the unit tests can check them with hand-worked numbers.
 */

/** value / baseline; NaN when the baseline is missing, zero or negative (nothing to compare to). */
export function ratio(value: number, baseline: number): number {
  if (!(baseline > 0) || !Number.isFinite(value)) return NaN;
  return value / baseline;
}

/** Seconds of audio handled per second of wall (or CPU) time: 600 s in 6 s is 100× real time. */
export function realTimeFactor(audioSec: number, sec: number): number {
  return sec > 0 ? audioSec / sec : NaN;
}

/** A real-time factor shared out over the cores that produced it. */
export function perCore(factor: number, cores: number): number {
  return cores > 0 ? factor / cores : NaN;
}

export interface Projection {
  soundscapes: number;
  minutesEach: number;
  /** Wall minutes on this machine at the measured speed. */
  machineMin: number;
  /** The same work on one core: machine minutes × the cores the run kept busy. */
  coreMin: number;
}

/**
 * Time for `soundscapes` recordings of `minutesEach` minutes, scaling the measured wall time
 * linearly in audio length. Start-up (worker creation, model compilation) is counted once per
 * measured run and so is slightly over-projected; for 10 minutes measured it is a few percent.
 */
export function project(
  audioSec: number,
  wallSec: number,
  coresUsed: number,
  soundscapes: number,
  minutesEach: number,
): Projection {
  const secPerAudioSec = audioSec > 0 ? wallSec / audioSec : NaN;
  const machineMin = (soundscapes * minutesEach * 60 * secPerAudioSec) / 60;
  return { soundscapes, minutesEach, machineMin, coreMin: machineMin * coresUsed };
}

export interface ThreadBudget {
  workers: number;
  threadsPerWorker: number;
  /** workers × inference threads: the threads meant to compute at once. */
  busyThreads: number;
  cores: number;
  oversubscribed: boolean;
}

export function threadBudget(
  workers: number,
  threadsPerWorker: number,
  cores: number,
): ThreadBudget {
  const busyThreads = workers * threadsPerWorker;
  return { workers, threadsPerWorker, busyThreads, cores, oversubscribed: busyThreads > cores };
}

/** Growth from `fromMb` to `toMb`, and whether it stays under `limitMb`. */
export function memoryGrowth(
  fromMb: number,
  toMb: number,
  limitMb: number,
): { growthMb: number; withinLimit: boolean } {
  const growthMb = toMb - fromMb;
  return { growthMb, withinLimit: growthMb < limitMb };
}

/** Kilobytes (resourceUsage().maxRSS on Linux) to mebibytes. */
export function kbToMb(kb: number): number {
  return kb / 1024;
}
