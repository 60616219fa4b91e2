/**
 * Every error the pipeline raises on purpose comes from here, with a stable code that tests and
 * scripts can match, the value at fault, and a hint that tells the user how to fix it.
 */
export type ErrorCode =
  | 'E_USAGE'
  | 'E_INPUT_MISSING'
  | 'E_NO_AUDIO'
  | 'E_MANIFEST'
  | 'E_MODEL_FILE'
  | 'E_LABELS'
  | 'E_BACKEND'
  | 'E_DECODE'
  | 'E_UNSUPPORTED_FORMAT'
  | 'E_EMPTY_AUDIO'
  | 'E_RESAMPLE'
  | 'E_INFERENCE'
  | 'E_WORKER'
  | 'E_TIMEOUT'
  | 'E_OUTPUT'
  | 'E_INTERRUPTED';

export class AviaryError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, hint?: string) {
    super(message);
    this.name = 'AviaryError';
    this.code = code;
    this.hint = hint;
  }

  /** One line for logs: code, message and the fix. */
  describe(): string {
    return this.hint ? `${this.code}: ${this.message} (${this.hint})` : `${this.code}: ${this.message}`;
  }
}

export function isAviaryError(err: unknown): err is AviaryError {
  return err instanceof AviaryError;
}

/** Best-effort one-line description of anything thrown. */
export function describeError(err: unknown): string {
  if (err instanceof AviaryError) return err.describe();
  if (err instanceof Error) return err.message;
  return String(err);
}
