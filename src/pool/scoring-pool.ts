/**
 * Main-thread side of the worker pool: hands recordings to piscina workers, bounds each file with
 * a timeout, and retries a file once when its worker crashed or hung (piscina replaces the worker,
 * so the pool keeps its size).
 */
import { Piscina } from 'piscina';
import type { ScoreOutcome, ScoreResult, ScoreTask, WorkerInit } from './protocol.js';

export interface PoolOptions {
  workers: number;
  /** A file whose worker runs longer than this is abandoned (the worker is terminated). */
  fileTimeoutMs: number;
}

export type FileScore =
  | { ok: true; result: ScoreResult; attempts: number }
  | { ok: false; file: string; code: string; message: string; attempts: number };

const WORKER_URL = new URL('../worker/entry.cjs', import.meta.url).href;

export class ScoringPool {
  readonly #pool: Piscina;
  readonly #timeoutMs: number;

  constructor(init: WorkerInit, options: PoolOptions) {
    this.#timeoutMs = options.fileTimeoutMs;
    this.#pool = new Piscina({
      filename: WORKER_URL,
      workerData: init,
      minThreads: options.workers,
      maxThreads: options.workers,
      concurrentTasksPerWorker: 1,
      idleTimeout: Infinity,
    });
  }

  get workers(): number {
    return this.#pool.threads.length;
  }

  /** Scores one file; never throws for a file's own faults. */
  async score(task: ScoreTask): Promise<FileScore> {
    let lastReason = '';
    let lastCode = 'E_WORKER';
    for (let attempt = 1; attempt <= 2; attempt++) {
      const signal = AbortSignal.timeout(this.#timeoutMs);
      try {
        const outcome = (await this.#pool.run(task, { signal })) as ScoreOutcome;
        if (outcome.ok) return { ok: true, result: outcome.result, attempts: attempt };
        // The file itself is bad: a retry would fail the same way.
        return { ok: false, file: task.file, code: outcome.code, message: outcome.message, attempts: attempt };
      } catch (err) {
        const aborted = signal.aborted;
        lastCode = aborted ? 'E_TIMEOUT' : 'E_WORKER';
        lastReason = aborted
          ? `no result within ${(this.#timeoutMs / 1000).toFixed(0)} s (worker terminated)`
          : `worker crashed: ${(err as Error)?.message ?? String(err)}`;
      }
    }
    return { ok: false, file: task.file, code: lastCode, message: `${lastReason}; retried once`, attempts: 2 };
  }

  async close(): Promise<void> {
    await this.#pool.destroy();
  }
}
