import type { SubmitOptions } from '../pipeline/submit.js';

/** What a bench run chooses; everything else is fixed by `benchSubmitOptions`. */
export type BenchRunChoices = Pick<
  SubmitOptions,
  | 'input'
  | 'output'
  | 'modelsDir'
  | 'models'
  | 'backend'
  | 'workers'
  | 'threadsPerWorker'
  | 'batchSize'
  | 'fileTimeoutSec'
  | 'quiet'
>;

/**
 * A scoring run as the bench times it: 5 s windows and hops, no smoothing, the plain mean, never
 * strict, and no time limit, so that the deadline never drops a model or a file mid-measurement.
 */
export function benchSubmitOptions(run: BenchRunChoices): SubmitOptions {
  return {
    ...run,
    windowSec: 5,
    hopSec: 5,
    smoothing: 1,
    ensembleMode: 'mean',
    timeLimitMin: 1e9,
    strict: false,
  };
}
