#!/usr/bin/env node
/**
 * The `aviary` command line. Each subcommand parses and validates its options here, then hands a
 * plain options object to its module in src/commands/.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { describeError, isAviaryError } from './errors.js';
import { EXIT, exitCodeFor, EXIT_CODES_HELP } from './commands/exit-codes.js';
import { packageRoot, packageVersion } from './package-info.js';
import path from 'node:path';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`"${value}" is not a positive integer.`);
  return n;
}

function oddPositiveInt(value: string): number {
  const n = positiveInt(value);
  if (n % 2 === 0) throw new InvalidArgumentError(`"${value}" is even; a window and as many on each side make an odd count.`);
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`"${value}" is not a positive number.`);
  return n;
}

function list(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

const defaultModels = path.join(packageRoot(), 'models');

/** Options shared by the commands that score audio. */
function scoringOptions(cmd: Command): Command {
  return cmd
    .option('-m, --models-dir <dir>', 'folder of model folders, each with a manifest.json', defaultModels)
    .option('--models <names>', 'comma-separated model names to run (default: every student)', list)
    .addOption(
      new Option('-b, --backend <name>', 'inference backend; auto prefers OpenVINO')
        .choices(['auto', 'openvino', 'onnxruntime'])
        .default('auto'),
    )
    .option('-w, --workers <n>', 'worker threads (default: one per core)', positiveInt)
    .option('-t, --threads <n>', 'inference threads per worker (default: cores / workers)', positiveInt)
    .option('--batch-size <n>', 'windows per inference call', positiveInt, 16)
    .option('--window <sec>', 'scored window length, whole seconds', positiveInt, 5)
    .option('--hop <sec>', 'seconds between window starts, whole seconds', positiveInt, 5)
    .option('--file-timeout <sec>', 'abandon a file whose worker takes longer than this', positiveNumber, 600)
    .option('-q, --quiet', 'no progress output', false);
}

function buildProgram(): Command {
  const program = new Command();
  program
    .name('aviary')
    .description('Score bird species in every 5-second window of long field recordings, offline, on the CPU.')
    .version(packageVersion())
    .addHelpText('after', `\n${EXIT_CODES_HELP}`)
    .showHelpAfterError()
    // Commander exits 1 on a bad option; here 1 means "--strict and a file failed", so usage
    // errors are thrown to main() and leave with 2. Set before the subcommands, which inherit it.
    .exitOverride();

  scoringOptions(
    program
      .command('submit')
      .description('score a folder of recordings with the student ensemble and write submission.csv')
      .option('-i, --input <dir>', 'folder of recordings (wav, ogg, flac, mp3)', 'test_soundscapes')
      .option('-o, --output <dir>', 'where submission.csv and run-info.json go', 'submission')
      .option('--labels <file>', 'sample_submission.csv, taxonomy csv or label list: the column order')
      .option('--smoothing <n>', 'moving mean over n neighbouring windows of a file (odd; 1 = off)', oddPositiveInt, 1)
      .addOption(new Option('--ensemble <mode>', 'how model probabilities combine').choices(['mean', 'geometric']).default('mean'))
      .option('--time-limit <min>', 'finish within this many minutes, dropping models if needed', positiveNumber, 120)
      .option('--strict', 'exit non-zero when any recording fails', false),
  )
    .addHelpText('after', `\n${EXIT_CODES_HELP}`)
    .action(async (opts) => {
      const { submitCommand } = await import('./commands/submit.js');
      process.exitCode = await submitCommand(opts);
    });

  scoringOptions(
    program
      .command('audit')
      .description('time every stage of a run and project the time for N soundscapes of M minutes')
      .option('-i, --input <dir>', 'folder of recordings', 'test_soundscapes')
      .option('--project <n>', 'soundscapes in the projection', positiveInt, 1100)
      .option('--minutes <m>', 'minutes per soundscape in the projection', positiveNumber, 4)
      .option('--json <file>', 'also write the audit as JSON'),
  ).action(async (opts) => {
    const { auditCommand } = await import('./commands/audit.js');
    process.exitCode = await auditCommand(opts);
  });

  scoringOptions(
    program
      .command('bench')
      .description('measure the pipeline against model-only, front-end, Python and backend baselines in one run')
      .option('--soundscapes <dir>', 'folder holding the bench recordings (default: ../shared/data/soundscapes)')
      .option('--min-minutes <m>', 'repeat the bench list until the run holds this much audio', positiveNumber, 10)
      .option('--project <n>', 'soundscapes in the projection', positiveInt, 1100)
      .option('--minutes <m>', 'minutes per soundscape in the projection', positiveNumber, 4)
      .option('--no-python', 'skip the Python reference pipeline')
      .option('--no-backends', 'skip the model-only run on the other backend')
      .option('--memory <minutes>', 'also score concatenated recordings of these lengths, each in its own process (e.g. 4,60,720)', (v: string) =>
        list(v).map((x) => positiveNumber(x)),
      )
      .option('--json <file>', 'also write the bench as JSON'),
  ).action(async (opts) => {
    const { benchCommand } = await import('./commands/bench.js');
    process.exitCode = await benchCommand(opts);
  });

  program
    .command('spectrogram')
    .description("write the exact input tensors a model gets for each window of a file, as .npy")
    .argument('<file>', 'a recording')
    .requiredOption('--model <name>', 'the model whose front-end to use')
    .requiredOption('--out <file>', 'output .npy, shape [n_windows, 1, n_mels, n_frames]')
    .option('-m, --models-dir <dir>', 'folder of model folders', defaultModels)
    .option('--window <sec>', 'scored window length, whole seconds', positiveInt, 5)
    .option('--hop <sec>', 'seconds between window starts', positiveInt, 5)
    .action(async (file, opts) => {
      const { spectrogramCommand } = await import('./commands/spectrogram.js');
      process.exitCode = await spectrogramCommand(file, opts);
    });

  program
    .command('models')
    .description('list the models in the models folder, check their manifests and backends')
    .option('-m, --models-dir <dir>', 'folder of model folders', defaultModels)
    .option('--check', 'also load each model and run one window on every available backend', false)
    .action(async (opts) => {
      const { modelsCommand } = await import('./commands/models.js');
      process.exitCode = await modelsCommand(opts);
    });

  return program;
}

async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has printed the message (or the help) already.
      process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    process.stderr.write(`aviary: ${describeError(err)}\n`);
    process.exitCode = exitCodeFor(err);
    if (!isAviaryError(err) && process.env.AVIARY_DEBUG) console.error(err);
  }
}

await main();
