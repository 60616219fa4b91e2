import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { AviaryError } from '../errors.js';

/** What `writeFileAtomic` accepts: the whole content, or chunks produced one at a time. */
export type AtomicData =
  | string
  | Uint8Array
  | Iterable<string | Uint8Array>
  | AsyncIterable<string | Uint8Array>;

function isChunk(data: unknown): data is string | Uint8Array {
  return typeof data === 'string' || data instanceof Uint8Array;
}

/**
 * Writes `data` to `file` so that a reader, or a later run, sees either the previous file or the
 * complete new one, never a prefix: the bytes go to a temp file in the same folder (rename is
 * atomic only within one file system), are fsynced, and the temp file is renamed over `file`.
 * A failure at any step, including a chunk iterator that throws, removes the temp file and
 * leaves `file` as it was. The parent folder is created when missing.
 *
 * Chunked data keeps memory flat for large submissions: only one chunk is held at a time.
 */
export async function writeFileAtomic(file: string, data: AtomicData): Promise<void> {
  const target = path.resolve(file);
  const dir = path.dirname(target);
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw outputError(target, 'cannot create its folder', err);
  }

  // Dot-prefixed and unique per process and call, so concurrent writers never share a temp file
  // and a leftover from a killed run is visibly not a result.
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let handle;
  try {
    handle = await open(temp, 'wx');
  } catch (err) {
    throw outputError(target, 'cannot create a temporary file beside it', err);
  }

  try {
    if (isChunk(data)) {
      await handle.writeFile(data);
    } else {
      for await (const chunk of data) await handle.writeFile(chunk);
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, target);
  } catch (err) {
    if (handle) await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    if (err instanceof AviaryError) throw err;
    throw outputError(target, 'write failed', err);
  }
  await syncFolder(dir);
}

/**
 * Makes the rename itself durable on POSIX. Windows cannot open a folder for syncing; there the
 * rename is already as durable as the platform allows, so that failure is ignored.
 */
async function syncFolder(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort only: the data itself was already fsynced before the rename.
  }
}

function outputError(file: string, what: string, err: unknown): AviaryError {
  const reason = (err as NodeJS.ErrnoException)?.code ?? (err as Error)?.message ?? String(err);
  return new AviaryError(
    'E_OUTPUT',
    `cannot write ${file}: ${what} (${reason})`,
    'check that the output folder is writable and the disk has space',
  );
}
