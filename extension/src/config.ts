/**
 * The extension's configuration, from the app config's `mammoDenoise` key:
 *   window.config.mammoDenoise = { modelIndexUrl, modelSha256, executionProviders, tileSize, numThreads, wasmPaths }
 * Every field is optional; errors name the field and what still works.
 */
import { DEFAULT_TILE_SIZE, isValidTileSize, TILE_SIZE_RULE } from '@mammo-denoise/core';

export const APP_CONFIG_KEY = 'mammoDenoise';

export interface DenoiseConfiguration {
  /** models/index.json, or a deployed copy; default: models/index.json beside the bundle. */
  readonly modelIndexUrl: string;
  /** Pin a model's sha256 (overrides its card), by model id. */
  readonly modelSha256: Readonly<Record<string, string>>;
  /** Ordered fallback list. */
  readonly executionProviders: readonly ('webgpu' | 'wasm')[];
  /** Tile edge in pixels (contract/tilePolicy.ts: even, 64..2048, default 512). */
  readonly tileSize: number;
  /** WASM threads (needs COOP/COEP); default: up to 4, by hardware. */
  readonly numThreads: number | null;
  /** Where onnxruntime-web's .wasm/.mjs files are; default: ort/ beside the bundle. */
  readonly wasmPaths: string;
  /** Save: 'same-iod' keeps the source's IOD where it allows (MG/DX For Presentation), else Secondary Capture. */
  readonly saveAs: 'same-iod' | 'secondary-capture';
  /** Authorization header value for Save's DICOMweb calls; default: the viewer's signed-in user's header, if any. */
  readonly dicomWebAuthorization: string | null;
}

export class DenoiseConfigurationError extends Error {
  constructor(message: string) {
    super(`Denoise configuration: ${message}. The viewer works as usual; denoising is off until this is fixed.`);
    this.name = 'DenoiseConfigurationError';
  }
}

export function resolveConfiguration(raw: unknown, bundleBaseUrl: string): DenoiseConfiguration {
  const c = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const providers = c.executionProviders ?? ['webgpu', 'wasm'];
  if (!Array.isArray(providers) || providers.length === 0 || !providers.every((p) => p === 'webgpu' || p === 'wasm')) {
    throw new DenoiseConfigurationError(
      `executionProviders must be a non-empty list of "webgpu" and "wasm", got ${JSON.stringify(providers)}`,
    );
  }
  const tileSize = c.tileSize ?? DEFAULT_TILE_SIZE;
  if (!isValidTileSize(tileSize)) {
    throw new DenoiseConfigurationError(`tileSize must be ${TILE_SIZE_RULE}, got ${JSON.stringify(tileSize)}`);
  }
  const threads = c.numThreads ?? null;
  if (threads !== null && (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1 || threads > 64)) {
    throw new DenoiseConfigurationError(`numThreads must be an integer from 1 to 64, got ${JSON.stringify(threads)}`);
  }
  const pins = c.modelSha256 ?? {};
  if (typeof pins !== 'object' || pins === null || Object.values(pins).some((v) => typeof v !== 'string')) {
    throw new DenoiseConfigurationError('modelSha256 must map model ids to sha256 strings');
  }
  const url = (key: string, fallback: string): string => {
    const v = c[key] ?? fallback;
    if (typeof v !== 'string' || v.length === 0) throw new DenoiseConfigurationError(`${key} must be a URL string`);
    return new URL(v, bundleBaseUrl).href;
  };
  const saveAs = c.saveAs ?? 'same-iod';
  if (saveAs !== 'same-iod' && saveAs !== 'secondary-capture') {
    throw new DenoiseConfigurationError(
      `saveAs must be "same-iod" or "secondary-capture", got ${JSON.stringify(saveAs)}`,
    );
  }
  const authorization = c.dicomWebAuthorization ?? null;
  if (authorization !== null && (typeof authorization !== 'string' || authorization.trim() === '')) {
    // The value itself is never echoed: it may be a credential.
    throw new DenoiseConfigurationError('dicomWebAuthorization must be a non-empty Authorization header string');
  }
  return {
    modelIndexUrl: url('modelIndexUrl', 'models/index.json'),
    modelSha256: pins as Record<string, string>,
    executionProviders: providers as DenoiseConfiguration['executionProviders'],
    tileSize,
    numThreads: threads as number | null,
    wasmPaths: url('wasmPaths', 'ort/'),
    saveAs,
    dicomWebAuthorization: authorization as string | null,
  };
}
