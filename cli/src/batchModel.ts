import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as ort from 'onnxruntime-node';
import type { ModelIdentity } from '../../extension/src/dicom/deriveDenoised';
import { loadModelCatalog, type CatalogModel } from '../../extension/src/engine/modelCatalog';
import { loadModel } from '../../extension/src/engine/modelLoader';
import { createOrtRunner, type ModelRunner } from '../../extension/src/engine/runner';
import { haloFor } from '../../extension/src/engine/tiling';

/**
 * The model a batch runs: read through the viewer's own catalog and loader
 * (models/index.json → card → .onnx, sha256 checked against the card), with a
 * fetch that reads file: URLs, then run on onnxruntime-node's CPU provider.
 */
export interface BatchModel {
  readonly identity: ModelIdentity;
  readonly name: string;
  readonly halo: number;
  readonly runner: ModelRunner;
}

/** fetch() for file: URLs, so the browser's catalog and loader read a local models folder unchanged. */
export const fileFetch: typeof fetch = async (input) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  if (!url.startsWith('file:')) throw new Error(`only local files are read here, not ${url}`);
  try {
    return new Response(await readFile(fileURLToPath(url)));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return new Response(`${code ?? 'error'}: ${fileURLToPath(url)}`, { status: code === 'ENOENT' ? 404 : 500, statusText: code === 'ENOENT' ? 'file not found' : String(code) });
  }
};

export async function loadBatchModel(modelsDir: string, options: { modelId?: string; threads?: number }): Promise<BatchModel> {
  const indexUrl = pathToFileURL(join(resolve(modelsDir), 'index.json')).href;
  const catalog = await loadModelCatalog(indexUrl, { fetchImpl: fileFetch });
  const id = options.modelId ?? catalog.defaultId;
  const chosen: CatalogModel | undefined = catalog.models.find((m) => m.id === id);
  if (!chosen) throw new Error(`model "${id}" is not in ${fileURLToPath(indexUrl)} (it lists ${catalog.models.map((m) => m.id).join(', ')})`);
  const { bytes } = await loadModel(chosen.onnxUrl, chosen.sha256, fileFetch);
  const runner = await createOrtRunner(ort, bytes, {
    inputName: chosen.card.io.inputName,
    outputName: chosen.card.io.outputName,
    executionProviders: ['cpu'],
    sessionOptions: options.threads ? { intraOpNumThreads: options.threads, interOpNumThreads: 1 } : {},
  });
  return {
    identity: { id: chosen.id, version: chosen.version, sha256: chosen.sha256 },
    name: chosen.name,
    halo: haloFor(chosen.card.io.receptiveFieldRadius),
    runner,
  };
}
