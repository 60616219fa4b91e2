/**
 * The resume journal: one JSON line per finished recording, appended and fsynced as the run goes,
 * so a run killed at any moment (SIGKILL included) and started again with the same arguments skips
 * what is done and writes the same CSV, byte for byte.
 *
 * A journal belongs to one run signature (models and their files, labels, windowing, ensemble
 * settings, input folder); a different signature starts a new journal. A torn last line, left by
 * a kill during the append, is ignored. Probabilities are stored as the exact float32 bytes, so
 * resumed rows format identically.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';

export interface JournalEntry {
  file: string;
  sizeBytes: number;
  mtimeMs: number;
  stem: string;
  endSeconds: number[];
  probs: Float32Array;
  durationSec: number;
}

interface JournalLine {
  file: string;
  sizeBytes: number;
  mtimeMs: number;
  stem: string;
  endSeconds: number[];
  probs: string;
  durationSec: number;
}

export async function runSignature(parts: unknown): Promise<string> {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

/** A model file's identity for the signature: path, size and modification time. */
export async function fileIdentity(file: string): Promise<[string, number, number]> {
  const s = await stat(file);
  return [file, s.size, Math.round(s.mtimeMs)];
}

export class Journal {
  readonly path: string;
  #handle: FileHandle | null = null;
  #queue: Promise<void> = Promise.resolve();

  private constructor(file: string) {
    this.path = file;
  }

  static async open(outputDir: string, signature: string): Promise<Journal> {
    const dir = path.join(outputDir, '.aviary-journal');
    await mkdir(dir, { recursive: true });
    return new Journal(path.join(dir, `${signature}.jsonl`));
  }

  /** Entries already done, keyed by file path; entries whose file changed since are left out. */
  async load(): Promise<Map<string, JournalEntry>> {
    const done = new Map<string, JournalEntry>();
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch {
      return done;
    }
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      let parsed: JournalLine;
      try {
        parsed = JSON.parse(line);
      } catch {
        continue; // torn by a kill mid-append
      }
      const bytes = Buffer.from(parsed.probs, 'base64');
      const probs = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      done.set(parsed.file, { ...parsed, probs });
    }
    for (const [file, entry] of done) {
      try {
        const s = await stat(file);
        if (s.size !== entry.sizeBytes || Math.round(s.mtimeMs) !== entry.mtimeMs) done.delete(file);
      } catch {
        done.delete(file);
      }
    }
    return done;
  }

  /**
   * Appends one entry and syncs it to disk. Appends are chained: the workers' loops call this
   * concurrently, and two first calls racing to open the file would each open a handle and leak
   * one.
   */
  append(entry: JournalEntry): Promise<void> {
    const line: JournalLine = {
      ...entry,
      probs: Buffer.from(entry.probs.buffer, entry.probs.byteOffset, entry.probs.byteLength).toString('base64'),
    };
    const write = this.#queue.then(async () => {
      this.#handle ??= await open(this.path, 'a');
      // A leading newline closes any line torn by an earlier kill, so this one always parses.
      await this.#handle.write(`\n${JSON.stringify(line)}\n`);
      await this.#handle.datasync();
    });
    // A failed append is reported to its caller; the chain goes on for the next one.
    this.#queue = write.catch(() => undefined);
    return write;
  }

  async close(): Promise<void> {
    await this.#queue;
    await this.#handle?.close();
    this.#handle = null;
  }
}
