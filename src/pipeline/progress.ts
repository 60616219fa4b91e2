/**
 * The one progress reporter (main thread only): an ora spinner on a terminal, plain fixed-format
 * lines at most every `intervalMs` otherwise (CI, notebooks, log files), nothing when quiet.
 */
import ora, { Ora } from 'ora';

export interface ProgressState {
  filesDone: number;
  filesTotal: number;
  windowsDone: number;
  audioSecDone: number;
  elapsedSec: number;
  etaSec: number | null;
}

export function formatProgress(s: ProgressState): string {
  const rate = s.elapsedSec > 0 ? s.windowsDone / s.elapsedSec : 0;
  const realtime = s.elapsedSec > 0 ? s.audioSecDone / s.elapsedSec : 0;
  const eta = s.etaSec === null ? '?' : `${Math.round(s.etaSec)} s`;
  return (
    `files ${s.filesDone}/${s.filesTotal}  windows ${s.windowsDone}  ` +
    `${rate.toFixed(1)} windows/s  ${realtime.toFixed(0)}x real time  ETA ${eta}`
  );
}

export class ProgressReporter {
  readonly #spinner: Ora | null;
  readonly #plain: boolean;
  readonly #intervalMs: number;
  #lastPrint = 0;

  constructor(opts: { quiet: boolean; intervalMs?: number; stream?: NodeJS.WriteStream }) {
    const stream = opts.stream ?? process.stderr;
    this.#intervalMs = opts.intervalMs ?? 10_000;
    const tty = Boolean(stream.isTTY) && !process.env.CI;
    this.#plain = !opts.quiet && !tty;
    this.#spinner = !opts.quiet && tty ? ora({ stream, text: 'starting', discardStdin: false }).start() : null;
  }

  update(state: ProgressState, force = false): void {
    const text = formatProgress(state);
    if (this.#spinner) {
      this.#spinner.text = text;
    } else if (this.#plain) {
      const now = Date.now();
      if (force || now - this.#lastPrint >= this.#intervalMs) {
        this.#lastPrint = now;
        process.stderr.write(`progress: ${text}\n`);
      }
    }
  }

  /** A log line that does not tear the spinner. */
  log(line: string): void {
    if (this.#spinner) {
      this.#spinner.clear();
      process.stderr.write(line + '\n');
      this.#spinner.render();
    } else {
      process.stderr.write(line + '\n');
    }
  }

  stop(finalText: string): void {
    if (this.#spinner) this.#spinner.succeed(finalText);
    else if (this.#plain) process.stderr.write(`progress: ${finalText}\n`);
  }
}
