/**
 * Watches this process's threads during a run (Linux /proc only) to show whether more threads
 * want the CPU than there are cores. Every `intervalMs` it reads each thread's state and CPU
 * ticks from /proc/self/task/<tid>/stat: a thread in state R is running or waiting for a core.
 * Oversubscription shows as more runnable threads than cores, most of the time.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ThreadSample {
  /** Samples taken. */
  samples: number;
  /** Runnable threads per sample, the sampling main thread left out. */
  meanRunnable: number;
  maxRunnable: number;
  /** Share of samples with more runnable threads than cores. */
  overCoresShare: number;
  /** Threads that used more than 10% of a core over the sampled time. */
  busyThreads: number;
  /** Those threads as `name: share of a core`, busiest first (names from /proc comm). */
  busyDetail: string[];

  /** Threads seen at any time (OpenVINO and Node keep idle helpers). */
  threadsSeen: number;
}

// Linux's USER_HZ: /proc reports CPU time in 1/100 s on every mainstream kernel build.
const TICKS_PER_SEC = 100;

interface ThreadStat {
  name: string;
  state: string;
  ticks: number;
}

function readThreads(): Map<number, ThreadStat> {
  const out = new Map<number, ThreadStat>();
  for (const name of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${name}/stat`, 'utf8');
      // The command name sits in parentheses and may hold spaces; the fields after it do not.
      const close = stat.lastIndexOf(')');
      const rest = stat.slice(close + 2).split(' ');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      out.set(Number(name), {
        name: comm,
        state: rest[0],
        ticks: Number(rest[11]) + Number(rest[12]),
      });
    } catch {
      // the thread ended between readdir and read
    }
  }
  return out;
}

export class ThreadSampler {
  readonly #cores: number;
  readonly #timer: NodeJS.Timeout | null = null;
  readonly #first = new Map<number, number>();
  readonly #last = new Map<number, number>();
  readonly #names = new Map<number, string>();

  readonly #startedAt = Date.now();
  #samples = 0;
  #runnableSum = 0;
  #maxRunnable = 0;
  #over = 0;

  constructor(cores: number, intervalMs = 200) {
    this.#cores = cores;
    if (process.platform !== 'linux') return;
    this.#timer = setInterval(() => this.#sample(), intervalMs);
    this.#timer.unref();
  }

  #sample(): void {
    const threads = readThreads();
    let runnable = 0;
    for (const [tid, t] of threads) {
      if (!this.#first.has(tid)) this.#first.set(tid, t.ticks);
      this.#last.set(tid, t.ticks);
      this.#names.set(tid, t.name);
      // The main thread is always running while it samples; it is not part of the count.
      if (t.state === 'R' && tid !== process.pid) runnable++;
    }
    this.#samples++;
    this.#runnableSum += runnable;
    this.#maxRunnable = Math.max(this.#maxRunnable, runnable);
    if (runnable > this.#cores) this.#over++;
  }

  /** Stops sampling; null where /proc is not available. */
  stop(): ThreadSample | null {
    if (this.#timer) clearInterval(this.#timer);
    if (this.#samples === 0) return null;
    const elapsedSec = (Date.now() - this.#startedAt) / 1000;
    const busy: [string, number][] = [];
    for (const [tid, first] of this.#first) {
      const share = ((this.#last.get(tid) ?? first) - first) / TICKS_PER_SEC / elapsedSec;
      if (share > 0.1)
        busy.push([`${this.#names.get(tid)}${tid === process.pid ? ' (main)' : ''}`, share]);
    }
    busy.sort((a, b) => b[1] - a[1]);
    return {
      samples: this.#samples,
      meanRunnable: this.#runnableSum / this.#samples,
      maxRunnable: this.#maxRunnable,
      overCoresShare: this.#over / this.#samples,
      busyThreads: busy.length,
      busyDetail: busy.map(([name, share]) => `${name}: ${share.toFixed(2)}`),
      threadsSeen: this.#first.size,
    };
  }
}
