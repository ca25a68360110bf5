#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { join, resolve } from 'node:path';
import { BACKEND_CHOICES, selectBackend, type BackendChoice } from './backend/selectBackend';
import { repoRoot } from './data/repoRoot';
import { runTrainCommand, type TrainCommandOptions } from './commands/trainCommand';
import { runEvaluateCommand, type EvaluateCommandOptions } from './commands/evaluateCommand';
import { runExportCommand, type ExportCommandOptions } from './commands/exportCommand';
import { runTrainFfdmCommand, type TrainFfdmCommandOptions } from './commands/trainFfdmCommand';
import { runFfdmEvaluateCommand, runFfdmExportCommand } from './commands/ffdmCommands';
import { FFDM_PRESETS } from './train/ffdmConfig';
import { PRESET_NAMES } from './train/config';

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer');
  return n;
};
const positiveNumber = (value: string): number => {
  const n = Number(value);
  if (!(n > 0)) throw new InvalidArgumentError('must be a positive number');
  return n;
};

/**
 * Paths the user types are relative to where they typed the command: npm runs
 * workspace scripts inside training/, so resolve against INIT_CWD (set by npm) first.
 */
const userPath = (value: string): string => resolve(process.env.INIT_CWD ?? process.cwd(), value);
const userPaths = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), userPath(value)];

/** A training command's options as typed on the command line: a backend to pick, the run folder optional. */
type TrainingRun<O extends { runDir: string }> = Omit<O, 'runDir'> & { backend: BackendChoice; runDir?: string };

/**
 * Picks the backend (printing which and why), then runs a training
 * command in its run folder (default training/runs/<preset>).
 */
async function onBackend<O extends { backend: BackendChoice; preset: string; runDir?: string }>(
  opts: O,
  run: (opts: O & { runDir: string }) => Promise<void>,
): Promise<void> {
  const backend = await selectBackend(opts.backend);
  for (const line of backend.report) console.log(line);
  await run({ ...opts, runDir: resolve(opts.runDir ?? join(repoRoot(), 'training', 'runs', opts.preset)) });
}

const program = new Command()
  .name('mammo-denoise-training')
  .description('Train, evaluate and export the MIAS mammogram denoising autoencoders.');

const backendOption = new Option('--backend <name>', 'auto | tensorflow | wasm | cpu')
  .choices(BACKEND_CHOICES)
  .default('auto');
// Options every training command takes, defined once.
const runDirOption = new Option(
  '--run-dir <dir>',
  'checkpoint and log folder (default training/runs/<preset>)',
).argParser(userPath);
const resumeOption = new Option('--resume', "continue from the run folder's checkpoint").default(false);
const maxEpochsOption = new Option('--max-epochs <n>', 'epoch cap (overrides the preset)').argParser(positiveInt);
const maxMinutesOption = new Option(
  '--max-minutes <m>',
  'stop this invocation after m minutes, at a checkpoint (resumable)',
).argParser(positiveNumber);
const dataOption = new Option(
  '--data <path>',
  'MIAS folder of mdbNNN.pgm files, a folder holding all-mias.tar.gz, ' +
    'or the archive (default: $MIAS_DIR or ../shared/data/mias)',
).argParser(userPath);

program
  .command('train')
  .description('train a model; checkpoints every epoch and every few minutes')
  .addOption(
    new Option('--preset <name>', 'paper | patches | finetune | smoke').choices(PRESET_NAMES).default('patches'),
  )
  .addOption(dataOption)
  .addOption(backendOption)
  .addOption(runDirOption)
  .addOption(resumeOption)
  .option('--resume-from <file>', 'continue from this checkpoint file (e.g. training/checkpoints/<id>.ckpt)', userPath)
  .option('--init-from <file>', "start a fresh run from this checkpoint's best weights (preset finetune)", userPath)
  .addOption(maxEpochsOption)
  .option('--max-steps <n>', 'stop this invocation after n steps (resumable)', positiveInt)
  .addOption(maxMinutesOption)
  .option('--samples <n>', 'dataset size before the 8:1:1 split (overrides the preset)', positiveInt)
  .option('--crop <px>', 'crop size in pixels, even (overrides the preset)', positiveInt)
  .action(async (opts: TrainingRun<TrainCommandOptions>) => {
    await onBackend(opts, runTrainCommand);
  });

program
  .command('train-ffdm')
  .description(
    'train the digital-mammogram model (noise-map conditioned) ' +
      'on ../shared/data/ffdm; checkpoints every epoch and every 3 minutes',
  )
  .addOption(
    new Option('--preset <name>', Object.keys(FFDM_PRESETS).join(' | '))
      .choices(Object.keys(FFDM_PRESETS))
      .default('ffdm'),
  )
  .option(
    '--ffdm-data <path>',
    'folder of .dcm files, a folder holding ffdm-train.tar, or the tar (default: $FFDM_DIR or ../shared/data/ffdm)',
    userPath,
  )
  .addOption(backendOption)
  .addOption(runDirOption)
  .addOption(resumeOption)
  .option(
    '--init-from <file>',
    "start a fresh run from this checkpoint's best weights (fine-tuning presets, e.g. ffdm-keep from the ffdm run)",
    userPath,
  )
  .addOption(maxEpochsOption)
  .addOption(maxMinutesOption)
  .action(async (opts: TrainingRun<TrainFfdmCommandOptions>) => {
    await onBackend(opts, runTrainFfdmCommand);
  });

program
  .command('evaluate')
  .description('PSNR/SSIM table per noise condition: noisy input, classical filters, and the model(s)')
  .addOption(dataOption)
  .option('--model <ids...>', 'model ids in models/ (default: all in models/index.json)')
  .option('--onnx <files...>', 'evaluate these .onnx files instead of models/', userPaths)
  .option(
    '--split <name>',
    'test | validation | all (all: tissue crops from every image found, e.g. images never seen)',
    'test',
  )
  .option('--limit <n>', 'use only the first n crops (quick check)', positiveInt)
  .option('--crop <px>', 'crop size for --split all (default 64, as in training)', positiveInt)
  .option('--out <file>', 'also write the table as JSON here', userPath)
  .option(
    '--ffdm',
    'the digital-mammogram table instead (same as evaluate-ffdm; takes --ffdm-data, --split, --out)',
    false,
  )
  .option(
    '--ffdm-data <path>',
    'with --ffdm: folder of .dcm files, a folder holding ffdm-train.tar, or the tar',
    userPath,
  )
  .action(async (opts: EvaluateCommandOptions & { ffdm: boolean; ffdmData?: string }) => {
    if (opts.ffdm) {
      const ignored = (['data', 'model', 'onnx', 'limit', 'crop'] as const).filter((k) => opts[k] !== undefined);
      if (ignored.length > 0)
        throw new Error(
          '--ffdm evaluates every model in models/index.json on the FFDM split; ' +
            `it does not take ${ignored.map((k) => `--${k}`).join(', ')}`,
        );
      await runFfdmEvaluateCommand({ ffdmData: opts.ffdmData, split: opts.split, out: opts.out });
      return;
    }
    await runEvaluateCommand(opts);
  });

program
  .command('evaluate-ffdm')
  .description(
    'the digital-mammogram table (issue 13): speck contrast, ' +
      'speck CNR and PSNR per dose, for the noisy input, classical filters and every model',
  )
  .option(
    '--ffdm-data <path>',
    'folder of .dcm files, a folder holding ffdm-train.tar, or the tar (default: $FFDM_DIR or ../shared/data/ffdm)',
    userPath,
  )
  .option('--split <name>', 'test | validation | train | all (all: every image found, e.g. images never seen)', 'test')
  .option('--out <file>', 'also write the table as JSON here', userPath)
  .action(async (opts: { ffdmData?: string; split: string; out?: string }) => {
    await runFfdmEvaluateCommand(opts);
  });

program
  .command('export-ffdm')
  .description('export a train-ffdm run to ONNX with its card (evaluated on the test patients) into models/')
  .requiredOption('--run-dir <dir>', 'training run folder', userPath)
  .requiredOption('--id <id>', 'model id, e.g. ffdm-nlf')
  .option('--version <v>', 'model version', '1.0.0')
  .option('--default', 'make it the default for digital mammograms (defaults.digital in models/index.json)', false)
  .option('--ffdm-data <path>', 'FFDM data (default: $FFDM_DIR or ../shared/data/ffdm)', userPath)
  .option('--models-dir <dir>', 'where to write the model, card and index (default models/)', userPath)
  .action(async (opts: Parameters<typeof runFfdmExportCommand>[0]) => {
    await runFfdmExportCommand(opts);
  });

program
  .command('export')
  .description('export a trained run to ONNX with its model card into models/')
  .requiredOption('--run-dir <dir>', 'training run folder (or --checkpoint)', userPath)
  .option('--checkpoint <file>', 'checkpoint file to export (default <run-dir>/checkpoint.bin)', userPath)
  .requiredOption('--id <id>', 'model id, e.g. mias-dae-residual')
  .option('--version <v>', 'model version', '1.0.0')
  .option('--default', 'make it the default model in models/index.json', false)
  .addOption(dataOption)
  .option('--skip-evaluation', 'write the card without running the evaluation (not for shipping)', false)
  .option(
    '--evaluation-limit <n>',
    'evaluate on the first n test crops only (quick checks, not for shipping)',
    positiveInt,
  )
  .option('--models-dir <dir>', 'where to write the model, card and index (default models/)', userPath)
  .action(async (opts: ExportCommandOptions) => {
    await runExportCommand(opts);
  });

program.parseAsync().catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
