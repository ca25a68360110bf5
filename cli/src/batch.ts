import { existsSync, mkdirSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  deriveDenoised,
  withSopUidsFromMeta,
  part10Warnings,
  part10WriteWarnings,
  readPart10,
  writePart10,
  denoiseImage,
  type ModelIdentity,
  derivedUid,
} from '@mammo-denoise/core';
import {
  markLossySource,
  encodePixelData,
  OUTPUT_TRANSFER_SYNTAXES,
  type OutputTransferSyntax,
  decodeStoredImage,
} from '@mammo-denoise/core/node';
import type { BatchModels } from './batchModel';
import type { BatchSource } from './inputs';

export type SopClassChoice = 'same' | 'secondary-capture';

export interface BatchOptions {
  readonly outDir: string;
  readonly overwrite: boolean;
  readonly tileSize: number;
  readonly sopClass: SopClassChoice;
  /**
   * Transfer syntax of the written files (explicit VR little
   * endian unless an archive wants them compressed, losslessly).
   */
  readonly transferSyntax?: OutputTransferSyntax;
  /** Stores each derived file after it is written (STOW-RS); throws with a message that holds no credentials. */
  readonly store?: (part10: Uint8Array) => Promise<void>;
}

/** Every outcome also carries what the DICOM and codec libraries said about the file, for its one report line. */
export type FileOutcome = FileNotes &
  (
    | {
        readonly status: 'ok';
        readonly source: BatchSource;
        readonly output: string;
        readonly stored: boolean;
        readonly model: ModelIdentity;
        readonly width: number;
        readonly height: number;
        readonly tiles: number;
        readonly tilesSkipped: number;
        readonly milliseconds: number;
      }
    | { readonly status: 'skipped' | 'failed'; readonly source: BatchSource; readonly reason: string }
  );

export interface FileNotes {
  readonly warnings?: readonly string[];
  /** The pixels came from a lossy-compressed source; the derived image says so. */
  readonly lossySource?: boolean;
}

export interface BatchSummary {
  readonly ok: number;
  readonly failed: number;
  readonly skipped: number;
  readonly seconds: number;
  readonly megapixels: number;
}

export interface BatchReporter {
  start(total: number): void;
  file(outcome: FileOutcome): void;
  finish(summary: BatchSummary): void;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Writes next to the target and renames, so an interrupted run never leaves a half-written DICOM file. */
function writeAtomically(path: string, bytes: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.partial-${process.pid}`;
  writeFileSync(partial, bytes);
  renameSync(partial, path);
}

async function denoiseOne(
  source: BatchSource,
  models: BatchModels,
  options: BatchOptions,
  inputs: ReadonlySet<string>,
): Promise<FileOutcome> {
  const failed = (reason: string): FileOutcome => ({ status: 'failed', source, reason });
  const output = resolve(options.outDir, source.outputName);
  if (inputs.has(output) || (existsSync(output) && inputs.has(realpathSync(output))))
    return failed(`its output ${output} is an input file; inputs are never overwritten (choose another --out)`);
  if (existsSync(output) && !options.overwrite)
    return { status: 'skipped', source, reason: `${output} already exists (--overwrite replaces it)` };

  let bytes: Uint8Array;
  try {
    bytes = await source.read();
  } catch (error) {
    return failed(`could not be read: ${message(error)}`);
  }
  let read;
  try {
    read = readPart10(bytes);
  } catch (error) {
    return failed(`is not a readable DICOM Part 10 file (${message(error)})`);
  }
  const { dataset, notes } = withSopUidsFromMeta(read);
  const readWarnings = [...part10Warnings(read), ...notes];
  // Matches derivationDescription()'s wording: a study read back from a PACS holds our earlier outputs too.
  if (/^Denoised by model /.test(String(dataset.DerivationDescription ?? '')))
    return { status: 'skipped', source, reason: 'not denoised: it is itself a denoised copy', warnings: readWarnings };
  const stored = await decodeStoredImage(read);
  if (!stored.ok)
    return { status: 'skipped', source, reason: `not denoised: ${stored.reason}`, warnings: readWarnings };
  const warnings = [...readWarnings, ...(stored.source?.warnings ?? [])];
  const lossySource = stored.source?.lossy ?? false;

  try {
    // --model, or the default for this kind of image (8-bit film or digital).
    const model = models.forImage(stored.image);
    const result = await denoiseImage(stored.image, model.runner, {
      ...model.tiling(options.tileSize),
      strength: model.identity.strength,
    });
    const iod = options.sopClass === 'same' ? 'same-iod' : 'secondary-capture';
    const derivedNative = deriveDenoised(dataset, result.pixels, {
      model: model.identity,
      iod,
      seriesInstanceUid: await derivedUid(
        'series',
        String(dataset.SeriesInstanceUID ?? dataset.StudyInstanceUID),
        model.identity,
        iod,
      ),
      sopInstanceUid: await derivedUid('instance', String(dataset.SOPInstanceUID), model.identity, iod),
    });
    const transferSyntax = options.transferSyntax ?? 'explicit-little-endian';
    const derived = await encodePixelData(
      stored.source ? markLossySource(derivedNative, stored.source) : derivedNative,
      transferSyntax,
    );
    const part10 = writePart10(derived, OUTPUT_TRANSFER_SYNTAXES[transferSyntax]);
    warnings.push(...part10WriteWarnings(part10).filter((w) => !warnings.includes(w)));
    writeAtomically(output, part10);
    if (options.store) {
      try {
        await options.store(part10);
      } catch (error) {
        return { ...failed(`denoised and written to ${output}, but not stored: ${message(error)}`), warnings };
      }
    }
    const { stats } = result;
    return {
      status: 'ok',
      source,
      output,
      stored: Boolean(options.store),
      model: model.identity,
      width: stored.image.width,
      height: stored.image.height,
      tiles: stats.tilesTotal,
      tilesSkipped: stats.tilesSkipped,
      milliseconds: stats.milliseconds,
      lossySource,
      warnings,
    };
  } catch (error) {
    return { ...failed(message(error)), warnings };
  }
}

/**
 * Denoises each source into a derived DICOM file under options.outDir, one at
 * a time (onnxruntime-node already uses the cores). A file that fails or is
 * refused is reported and the batch goes on.
 */
export async function runBatch(
  sources: readonly BatchSource[],
  models: BatchModels,
  options: BatchOptions,
  reporter: BatchReporter,
): Promise<BatchSummary> {
  const started = performance.now();
  const inputs = new Set(sources.flatMap((s) => (s.localPath ? [s.localPath] : [])));
  const outputs = new Map<string, string>();
  let ok = 0;
  let failed = 0;
  let skipped = 0;
  let megapixels = 0;
  reporter.start(sources.length);
  for (const source of sources) {
    const output = join(resolve(options.outDir), source.outputName);
    const clash = outputs.get(output);
    const outcome: FileOutcome = clash
      ? {
          status: 'failed',
          source,
          reason: `its output ${output} would also be ${clash}'s output; give the inputs separate runs or folders`,
        }
      : await denoiseOne(source, models, options, inputs);
    outputs.set(output, source.label);
    if (outcome.status === 'ok') {
      ok += 1;
      megapixels += (outcome.width * outcome.height) / 1e6;
    } else if (outcome.status === 'failed') failed += 1;
    else skipped += 1;
    reporter.file(outcome);
  }
  const summary = { ok, failed, skipped, seconds: (performance.now() - started) / 1000, megapixels };
  reporter.finish(summary);
  return summary;
}
