import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBatch, type SopClassChoice } from './batch';
import { openBatchModels, type BatchModels } from './batchModel';
import {
  DEFAULT_TILE_SIZE,
  MAX_TILE_SIZE,
  MIN_TILE_SIZE,
  STRENGTH_MAX,
  STRENGTH_MIN,
  storeInstances,
  type DicomWebTarget,
} from '@mammo-denoise/core';
import { OUTPUT_TRANSFER_SYNTAXES, type OutputTransferSyntax } from '@mammo-denoise/core/node';
import { consoleReporter } from './consoleReporter';
import { dicomWebSources } from './dicomwebSources';
import { defaultOutDir, localSources, UsageError, type BatchSource } from './inputs';

/** Exit codes: the batch's result for scripts. */
export const EXIT = { allDenoised: 0, someNotDenoised: 1, usage: 2 } as const;

const DEFAULT_MODELS = fileURLToPath(new URL('../../models', import.meta.url));

interface CliOptions {
  readonly study?: string;
  readonly from?: string;
  readonly model?: string;
  readonly models: string;
  readonly out?: string;
  readonly overwrite: boolean;
  readonly tileSize: number;
  readonly threads?: number;
  readonly strength?: number;
  readonly sopClass: SopClassChoice;
  readonly transferSyntax: OutputTransferSyntax;
  readonly store?: string;
  readonly authorization?: string;
}

const integer =
  (min: number, max: number, even = false) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max || (even && n % 2 !== 0))
      throw new InvalidArgumentError(`must be ${even ? 'an even' : 'an'} integer from ${min} to ${max}`);
    return n;
  };

const strength = (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < STRENGTH_MIN || n > STRENGTH_MAX)
    throw new InvalidArgumentError(
      `must be a number from ${STRENGTH_MIN} to ${STRENGTH_MAX} (1 = the estimated noise)`,
    );
  return n;
};

function program(): Command {
  return new Command()
    .name('ohif-denoise')
    .description(
      'Denoise DICOM mammograms into derived DICOM files (new series in the same study), ' +
        "exactly as the viewer's Save does.\nResearch use only; not for primary diagnosis.",
    )
    .argument('[inputs...]', 'DICOM files and folders (searched recursively)')
    .option('--study <StudyInstanceUID>', 'denoise a study read over DICOMweb (with --from)')
    .option('--from <dicomweb-root>', 'DICOMweb root to read --study from (e.g. http://pacs/dicom-web)')
    .option(
      '--model <id>',
      'model id from the models index (default: per image, ' +
        "the index's default for its kind: 8 bits stored or fewer, or more)",
    )
    .option(
      '--strength <x>',
      `noise-map strength for models that take a noise map, ${STRENGTH_MIN}..${STRENGTH_MAX} (default 1: ` +
        'the noise estimated in each image; more removes more); recorded in each derived image',
      strength,
    )
    .option('--models <dir>', 'models folder holding index.json, the cards and the .onnx files', DEFAULT_MODELS)
    .option('--out <dir>', 'output folder (default: <input folder>-denoised)')
    .option('--overwrite', 'replace outputs that already exist (inputs are never overwritten)', false)
    .option(
      '--tile-size <px>',
      `tile edge in pixels, even, ${MIN_TILE_SIZE}..${MAX_TILE_SIZE}`,
      integer(MIN_TILE_SIZE, MAX_TILE_SIZE, true),
      DEFAULT_TILE_SIZE,
    )
    .option('--threads <n>', 'onnxruntime-node threads (default: its own choice)', integer(1, 256))
    .addOption(
      new Option(
        '--sop-class <choice>',
        "IOD of the derived images: the source's where it allows (MG/DX), or always Secondary Capture",
      )
        .choices(['same', 'secondary-capture'])
        .default('same'),
    )
    .addOption(
      new Option(
        '--transfer-syntax <name>',
        'how the derived files are written: uncompressed, ' +
          "or losslessly compressed for an archive (JPEG 2000 or JPEG-LS, the viewer's codecs)",
      )
        .choices(Object.keys(OUTPUT_TRANSFER_SYNTAXES))
        .default('explicit-little-endian'),
    )
    .option('--store <dicomweb-root>', 'also store each derived image there (STOW-RS)')
    .addOption(
      new Option(
        '--authorization <header>',
        'Authorization header value for DICOMweb (never printed); prefer the environment variable',
      ).env('DICOMWEB_AUTHORIZATION'),
    )
    .showHelpAfterError()
    .exitOverride();
}

function dicomWebTarget(root: string, flag: string, authorization: string | undefined): DicomWebTarget {
  let url: URL;
  try {
    url = new URL(root);
  } catch {
    throw new UsageError(`${flag} must be an http(s) URL of a DICOMweb root, got "${root}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`${flag} must be an http(s) URL, got ${url.protocol}`);
  return authorization ? { root, authorization } : { root };
}

async function sourcesFor(
  inputs: readonly string[],
  options: CliOptions,
  cwd: string,
): Promise<{ sources: BatchSource[]; outDir: string }> {
  if (options.study || options.from) {
    if (!options.study || !options.from)
      throw new UsageError(
        '--study and --from go together: the Study Instance UID and the DICOMweb root to read it from',
      );
    if (inputs.length > 0) throw new UsageError('give either files/folders or --study/--from, not both');
    if (!/^[0-9]+(\.[0-9]+)*$/.test(options.study) || options.study.length > 64)
      throw new UsageError(`--study "${options.study}" is not a DICOM UID (digits and dots, at most 64 characters)`);
    const outDir = resolve(cwd, options.out ?? `${options.study}-denoised`);
    const sources = await dicomWebSources(dicomWebTarget(options.from, '--from', options.authorization), options.study);
    if (sources.length === 0) throw new UsageError(`study ${options.study} has no instances on ${options.from}`);
    return { sources, outDir };
  }
  if (inputs.length === 0) throw new UsageError('give DICOM files or folders, or --study <uid> --from <dicomweb root>');
  const outDir = resolve(cwd, options.out ?? defaultOutDir(inputs, cwd));
  return { sources: localSources(inputs, outDir, cwd), outDir };
}

/** Runs the tool; returns the exit code (never throws for bad input or a failed file). */
export async function main(
  argv: readonly string[],
  cwd: string = process.env.INIT_CWD || process.cwd(),
): Promise<number> {
  const cli = program();
  try {
    cli.parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.allDenoised : EXIT.usage;
    throw error;
  }
  const options = cli.opts<CliOptions>();
  let plan: { sources: BatchSource[]; outDir: string };
  let models: BatchModels;
  let store: ((part10: Uint8Array) => Promise<void>) | undefined;
  try {
    if (options.store) {
      const target = dicomWebTarget(options.store, '--store', options.authorization);
      store = async (part10) => {
        await storeInstances(target, [part10]);
      };
    }
    plan = await sourcesFor(cli.args, options, cwd);
    if (plan.sources.length === 0) throw new UsageError('no files found in the given inputs');
    models = await openBatchModels(resolve(cwd, options.models), {
      modelId: options.model,
      threads: options.threads,
      strength: options.strength,
    });
  } catch (error) {
    console.error(`ohif-denoise: ${error instanceof Error ? error.message : String(error)}`);
    console.error('nothing was denoised');
    return EXIT.usage;
  }
  // The store target's URL is printed, never its authorization.
  console.log(
    `${models.description} (sha256 checked on loading) on onnxruntime-node; ${plan.sources.length} ` +
      `file${plan.sources.length === 1 ? '' : 's'} → ${plan.outDir}${options.store ? ` and ${options.store}` : ''}`,
  );
  try {
    const summary = await runBatch(
      plan.sources,
      models,
      {
        outDir: plan.outDir,
        overwrite: options.overwrite,
        tileSize: options.tileSize,
        sopClass: options.sopClass,
        transferSyntax: options.transferSyntax,
        store,
      },
      consoleReporter(),
    );
    return summary.failed === 0 && summary.skipped === 0 ? EXIT.allDenoised : EXIT.someNotDenoised;
  } finally {
    await models.release();
  }
}
