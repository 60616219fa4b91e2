import { AviaryError, ErrorCode } from '../errors.js';

/** Exit codes, one meaning each; scripts may rely on them. */
export const EXIT = {
  ok: 0,
  /** --strict and at least one recording failed. */
  someFilesFailed: 1,
  /** Bad command line. */
  usage: 2,
  /** Models, manifests, labels or backend unusable: nothing was scored. */
  setup: 3,
  /** The input folder is missing or holds no recording that could be scored. */
  input: 4,
  /** Stopped by SIGINT/SIGTERM; the same command resumes. */
  interrupted: 130,
  /** Anything unexpected. */
  internal: 70,
} as const;

export const EXIT_CODES_HELP = `Exit codes:
  0  the CSV is complete for every decodable recording (failed files are listed in the log)
  1  --strict was given and at least one recording failed
  2  bad command-line usage
  3  a model, manifest, label file or backend is unusable (nothing was scored)
  4  the input folder is missing, empty, or none of its recordings could be scored
  130 stopped by SIGINT or SIGTERM (run the same command again to resume)
  70 an internal error (please report it, with AVIARY_DEBUG=1 output)`;

const SETUP: ErrorCode[] = ['E_MANIFEST', 'E_MODEL_FILE', 'E_LABELS', 'E_BACKEND', 'E_INFERENCE'];
const INPUT: ErrorCode[] = ['E_INPUT_MISSING', 'E_NO_AUDIO', 'E_DECODE', 'E_UNSUPPORTED_FORMAT', 'E_EMPTY_AUDIO'];

export function exitCodeFor(err: unknown): number {
  if (!(err instanceof AviaryError)) return EXIT.internal;
  if (err.code === 'E_USAGE') return EXIT.usage;
  if (err.code === 'E_INTERRUPTED') return EXIT.interrupted;
  if (SETUP.includes(err.code)) return EXIT.setup;
  if (INPUT.includes(err.code)) return EXIT.input;
  return EXIT.internal;
}
