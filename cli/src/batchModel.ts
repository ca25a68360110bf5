import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as ort from 'onnxruntime-node';
import {
  type ModelIdentity,
  defaultModelFor,
  catalogDefaults,
  loadModelCatalog,
  type CatalogModel,
  loadModel,
  createOrtRunner,
  type ModelRunner,
  DEFAULT_STRENGTH,
  formatStrength,
  tilingFor,
  type TilingOptions,
  type StoredImage,
} from '@mammo-denoise/core';

/**
 * The model a batch runs: read through the viewer's own catalog and loader
 * (models/index.json → card → .onnx, sha256 checked against the card), with a
 * fetch that reads file: URLs, then run on onnxruntime-node's CPU provider.
 */
export interface BatchModel {
  /** With `strength` for a noise-conditioned model, so the derived image records it (and gets UIDs of its own). */
  readonly identity: ModelIdentity;
  readonly name: string;
  /** The tiling its card asks for at a tile size (contract/tilePolicy.ts). */
  tiling(tileSize: number): TilingOptions;
  readonly runner: ModelRunner;
}

/** "ffdm-nlf 1.0.0 at strength 1.25x": how lines and headers name a model run. */
export const describeRun = (identity: ModelIdentity): string => {
  const strength = identity.strength !== undefined ? ` at strength ${formatStrength(identity.strength)}` : '';
  return `${identity.id} ${identity.version}${strength}`;
};

/** fetch() for file: URLs, so the browser's catalog and loader read a local models folder unchanged. */
export const fileFetch: typeof fetch = async (input) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  if (!url.startsWith('file:')) throw new Error(`only local files are read here, not ${url}`);
  try {
    return new Response(await readFile(fileURLToPath(url)));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return new Response(`${code ?? 'error'}: ${fileURLToPath(url)}`, {
      status: code === 'ENOENT' ? 404 : 500,
      statusText: code === 'ENOENT' ? 'file not found' : String(code),
    });
  }
};

export interface BatchModelOptions {
  /** --model: one model for every image; absent: each image gets its kind's default (defaultModelFor). */
  readonly modelId?: string;
  readonly threads?: number;
  /** --strength, for noise-conditioned models (absent: 1). */
  readonly strength?: number;
}

/**
 * The models a batch runs: --model's, or each kind of image's default. All are
 * loaded (and their sha256 checked) before the first file, so a bad model
 * stops the batch before anything is written.
 */
export interface BatchModels {
  /** For the header line: the one model, or the model per kind of image. */
  readonly description: string;
  forImage(image: StoredImage): BatchModel;
  release(): Promise<void>;
}

export async function openBatchModels(modelsDir: string, options: BatchModelOptions): Promise<BatchModels> {
  const indexUrl = pathToFileURL(join(resolve(modelsDir), 'index.json')).href;
  const catalog = await loadModelCatalog(indexUrl, { fetchImpl: fileFetch });
  const find = (id: string): CatalogModel => {
    const found = catalog.models.find((m) => m.id === id);
    if (!found)
      throw new Error(
        `model "${id}" is not in ${fileURLToPath(indexUrl)} (it lists ${catalog.models.map((m) => m.id).join(', ')})`,
      );
    return found;
  };
  // The one rule (defaultModelFor) unless --model names a model for every image.
  const pick = (image: { bitsStored: number }): CatalogModel =>
    find(options.modelId ?? defaultModelFor(catalogDefaults(catalog), image));
  const film = pick({ bitsStored: 8 });
  const digital = pick({ bitsStored: 16 });
  const candidates = film === digital ? [film] : [film, digital];
  if (options.strength !== undefined && !candidates.some((m) => m.card.io.noiseMapInputName)) {
    // Silently ignoring it would leave the user believing it did something.
    throw new Error(
      '--strength applies only to models that take a noise map; ' +
        `${candidates.map((m) => m.id).join(' and ')} ${candidates.length > 1 ? 'take' : 'takes'} none`,
    );
  }
  const loaded = new Map<string, BatchModel>();
  try {
    for (const model of candidates) loaded.set(model.id, await loadOne(model, options));
  } catch (error) {
    for (const model of loaded.values()) await model.runner.release();
    throw error;
  }
  const identity = (m: CatalogModel): string => describeRun(identityOf(m, options.strength));
  const description =
    film === digital
      ? `model ${identity(film)}`
      : `model by image: ${identity(film)} for 8 bits stored or fewer, ${identity(digital)} for more`;
  return {
    description,
    // Every model pick() can return was loaded above.
    forImage: (image) => loaded.get(pick(image).id) as BatchModel,
    async release() {
      for (const model of loaded.values()) await model.runner.release();
    },
  };
}

function identityOf(model: CatalogModel, strength: number | undefined): ModelIdentity {
  const identity = { id: model.id, version: model.version, sha256: model.sha256 };
  // Only a noise-conditioned model has a strength: the MIAS models' descriptions and UIDs stay as they were.
  return model.card.io.noiseMapInputName ? { ...identity, strength: strength ?? DEFAULT_STRENGTH } : identity;
}

async function loadOne(chosen: CatalogModel, options: BatchModelOptions): Promise<BatchModel> {
  const { bytes } = await loadModel(chosen.onnxUrl, chosen.sha256, fileFetch);
  const runner = await createOrtRunner(ort, bytes, {
    inputName: chosen.card.io.inputName,
    outputName: chosen.card.io.outputName,
    noiseMapInputName: chosen.card.io.noiseMapInputName,
    executionProviders: ['cpu'],
    sessionOptions: options.threads ? { intraOpNumThreads: options.threads, interOpNumThreads: 1 } : {},
  });
  return {
    identity: identityOf(chosen, options.strength),
    name: chosen.name,
    tiling: (tileSize) => tilingFor(chosen.card.io, tileSize),
    runner,
  };
}
