import os from 'node:os';
import path from 'node:path';
import { AviaryError } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';

export const RUN_INFO_FILE = 'run-info.json';

/**
 * Writes `info` (the run's resolved settings, models with weights and backends, versions,
 * timings, failures: whatever the caller gathered) as `run-info.json` in `outDir`, beside the
 * submission, so a result can be traced to exactly what produced it. Written atomically like the
 * CSV; the folder is created if missing. Returns the file's path.
 *
 * Values JSON cannot hold are converted rather than lost: an Error becomes
 * `{ name, message, code? }` (so failures keep their AviaryError codes), typed arrays become
 * arrays, Map and Set become an object and an array, a bigint a decimal string. A cycle is an
 * E_OUTPUT error.
 */
export async function writeRunInfo(outDir: string, info: object): Promise<string> {
  const file = path.join(outDir, RUN_INFO_FILE);
  let text: string;
  try {
    text = JSON.stringify(info, toJsonValue, 2) + '\n';
  } catch (err) {
    throw new AviaryError('E_OUTPUT', `cannot serialise the run info for ${file}: ${(err as Error).message}`);
  }
  await writeFileAtomic(file, text);
  return file;
}

/** Where and on what the run happened; meant for the `versions` part of the run info. */
export function runtimeVersions(): Record<string, string | number> {
  return {
    node: process.versions.node,
    v8: process.versions.v8,
    platform: process.platform,
    arch: process.arch,
    cpus: os.availableParallelism(),
  };
}

function toJsonValue(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { name: value.name, message: value.message, ...(code !== undefined ? { code } : {}) };
  }
  if (typeof value === 'bigint') return value.toString();
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number | bigint>, (v) => (typeof v === 'bigint' ? v.toString() : v));
  }
  if (value instanceof Map) return Object.fromEntries(value);
  if (value instanceof Set) return [...value];
  return value;
}
