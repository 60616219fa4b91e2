import { AviaryError } from '../errors.js';

/**
 * One model's front-end, exactly as its manifest's `frontend` object says (docs/manifest.md).
 * The JSON uses snake_case, shared with the Python side; this is the camelCase view of it.
 */
export interface FrontendConfig {
  sampleRateHz: number;
  windowSec: number;
  /** Audio added on each side of the scored window, in seconds. */
  contextSec: number;
  nFft: number;
  winLength: number;
  hopLength: number;
  window: 'hann' | 'hamming';
  center: boolean;
  padMode: 'reflect' | 'constant';
  nMels: number;
  fMinHz: number;
  fMaxHz: number;
  melScale: 'htk' | 'slaney';
  melNorm: 'slaney' | null;
  power: 1 | 2;
  toDb: boolean;
  amin: number;
  topDb: number | null;
  normalize: 'none' | 'minmax' | 'standard';
}

type Json = Record<string, unknown>;

function fail(where: string, field: string, rule: string, value: unknown): never {
  throw new AviaryError(
    'E_MANIFEST',
    `${where}: frontend.${field} is ${JSON.stringify(value)}; it must be ${rule}`,
    'see docs/manifest.md for the front-end fields',
  );
}

function positiveInt(obj: Json, field: string, where: string): number {
  const v = obj[field];
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) fail(where, field, 'a positive integer', v);
  return v;
}

function finiteNumber(obj: Json, field: string, where: string, min = -Infinity): number {
  const v = obj[field];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) fail(where, field, `a number ≥ ${min}`, v);
  return v;
}

function oneOf<T>(obj: Json, field: string, where: string, allowed: readonly T[]): T {
  const v = obj[field] as T;
  if (!allowed.includes(v)) fail(where, field, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`, v);
  return v;
}

/** Validates a manifest's `frontend` object; `where` names the manifest in error messages. */
export function parseFrontendConfig(raw: unknown, where: string): FrontendConfig {
  if (typeof raw !== 'object' || raw === null) fail(where, '(object)', 'an object', raw);
  const obj = raw as Json;
  const cfg: FrontendConfig = {
    sampleRateHz: positiveInt(obj, 'sample_rate', where),
    windowSec: finiteNumber(obj, 'window_sec', where, Number.MIN_VALUE),
    contextSec: finiteNumber(obj, 'context_sec', where, 0),
    nFft: positiveInt(obj, 'n_fft', where),
    winLength: positiveInt(obj, 'win_length', where),
    hopLength: positiveInt(obj, 'hop_length', where),
    window: oneOf(obj, 'window', where, ['hann', 'hamming'] as const),
    center: oneOf(obj, 'center', where, [true, false] as const),
    padMode: oneOf(obj, 'pad_mode', where, ['reflect', 'constant'] as const),
    nMels: positiveInt(obj, 'n_mels', where),
    fMinHz: finiteNumber(obj, 'f_min', where, 0),
    fMaxHz: finiteNumber(obj, 'f_max', where, 0),
    melScale: oneOf(obj, 'mel_scale', where, ['htk', 'slaney'] as const),
    melNorm: oneOf(obj, 'mel_norm', where, ['slaney', null] as const),
    power: oneOf(obj, 'power', where, [1, 2] as const),
    toDb: oneOf(obj, 'to_db', where, [true, false] as const),
    amin: finiteNumber(obj, 'amin', where, Number.MIN_VALUE),
    topDb: obj.top_db === null ? null : finiteNumber(obj, 'top_db', where, 0),
    normalize: oneOf(obj, 'normalize', where, ['none', 'minmax', 'standard'] as const),
  };
  if (cfg.winLength > cfg.nFft) fail(where, 'win_length', `≤ n_fft (${cfg.nFft})`, cfg.winLength);
  if (cfg.fMaxHz <= cfg.fMinHz || cfg.fMaxHz > cfg.sampleRateHz / 2) {
    fail(where, 'f_max', `above f_min (${cfg.fMinHz}) and at most sample_rate / 2`, cfg.fMaxHz);
  }
  const windowSamples = cfg.windowSec * cfg.sampleRateHz;
  if (!Number.isInteger(windowSamples)) {
    fail(where, 'window_sec', 'a whole number of samples at sample_rate', cfg.windowSec);
  }
  return cfg;
}

/** Samples the model sees for one window: the window plus its context on both sides. */
export function inputSamples(cfg: FrontendConfig): number {
  return Math.round((cfg.windowSec + 2 * cfg.contextSec) * cfg.sampleRateHz);
}

/** Frames the spectrogram of `nSamples` samples has (docs/manifest.md, step 1). */
export function frameCount(cfg: FrontendConfig, nSamples: number): number {
  const padded = cfg.center ? nSamples + 2 * Math.floor(cfg.nFft / 2) : nSamples;
  return 1 + Math.floor((padded - cfg.nFft) / cfg.hopLength);
}

/**
 * A key equal for configs that give the same spectrogram, so models that share a front-end
 * share its result.
 */
export function frontendKey(cfg: FrontendConfig): string {
  return JSON.stringify(Object.entries(cfg).sort(([a], [b]) => a.localeCompare(b)));
}
