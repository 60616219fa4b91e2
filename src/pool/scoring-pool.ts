/**
 * Main-thread side of the worker pool: hands recordings to piscina workers, bounds each file with
 * a timeout, and retries a file once when its worker crashed or hung. Piscina replaces a worker
 * that exits or is terminated (minThreads = maxThreads), so the pool keeps its size; the counts
 * in `stats` let a run show that it did.
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

/** What happened to the pool's threads over a run. */
export interface PoolStats {
  /** The size asked for. */
  size: number;
  /** Threads alive now. */
  threads: number;
  /** Threads started, the first `size` included; the rest replaced crashed or terminated ones. */
  started: number;
  /** Threads that went away (crashed, terminated on a timeout, or closed at the end). */
  destroyed: number;
  /** Attempts that ended with the worker crashing, and with it being terminated on a timeout. */
  crashes: number;
  timeouts: number;
}

const WORKER_URL = new URL('../worker/entry.cjs', import.meta.url).href;

export class ScoringPool {
  readonly #pool: Piscina;
  readonly #timeoutMs: number;
  readonly #size: number;
  #started = 0;
  #destroyed = 0;
  #crashes = 0;
  #timeouts = 0;
  #closed = false;

  constructor(init: WorkerInit, options: PoolOptions) {
    this.#timeoutMs = options.fileTimeoutMs;
    this.#size = options.workers;
    this.#pool = new Piscina({
      filename: WORKER_URL,
      workerData: init,
      minThreads: options.workers,
      maxThreads: options.workers,
      concurrentTasksPerWorker: 1,
      idleTimeout: Infinity,
    });
    this.#pool.on('workerCreate', () => this.#started++);
    this.#pool.on('workerDestroy', () => this.#destroyed++);
  }

  get workers(): number {
    return this.#pool.threads.length;
  }

  get stats(): PoolStats {
    return {
      size: this.#size,
      threads: this.#pool.threads.length,
      started: this.#started,
      destroyed: this.#destroyed,
      crashes: this.#crashes,
      timeouts: this.#timeouts,
    };
  }

  /**
   * The stats once every replacement thread has come up (piscina counts a thread as created
   * when it is ready), waiting at most `waitMs`; at once when the pool is closed or closing.
   */
  async settledStats(waitMs = 2000): Promise<PoolStats> {
    const until = Date.now() + waitMs;
    while (!this.#closed && this.#started - this.#destroyed < this.#size && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.stats;
  }

  /**
   * Scores one file; never throws for a file's own faults. When `stop` aborts, the attempt in
   * flight is abandoned (its worker terminated and replaced) and the file comes back as
   * E_INTERRUPTED, without a retry.
   */
  async score(task: ScoreTask, stop?: AbortSignal): Promise<FileScore> {
    let lastReason = '';
    let lastCode = 'E_WORKER';
    for (let attempt = 1; attempt <= 2; attempt++) {
      const timeout = AbortSignal.timeout(this.#timeoutMs);
      const signal = stop ? AbortSignal.any([timeout, stop]) : timeout;
      try {
        const outcome = (await this.#pool.run(task, { signal })) as ScoreOutcome;
        if (outcome.ok) return { ok: true, result: outcome.result, attempts: attempt };
        // The file itself is bad: a retry would fail the same way.
        return { ok: false, file: task.file, code: outcome.code, message: outcome.message, attempts: attempt };
      } catch (err) {
        if (stop?.aborted) {
          return { ok: false, file: task.file, code: 'E_INTERRUPTED', message: 'abandoned: the run was stopped', attempts: attempt };
        }
        if (timeout.aborted) {
          this.#timeouts++;
          lastCode = 'E_TIMEOUT';
          lastReason = `no result within ${(this.#timeoutMs / 1000).toFixed(0)} s (worker terminated)`;
        } else {
          this.#crashes++;
          lastCode = 'E_WORKER';
          lastReason = `worker crashed: ${(err as Error)?.message ?? String(err)}`;
        }
      }
    }
    return { ok: false, file: task.file, code: lastCode, message: `${lastReason}; retried once`, attempts: 2 };
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#pool.destroy();
  }
}
