import type { TilingOptions } from '../contract/tilePolicy';

/**
 * Types shared by the engine, its worker and its callers. No OHIF, React or
 * Cornerstone here: the same engine runs in the browser worker and in Node.
 */

export type StoredPixelArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;

/** A single-frame greyscale image as stored in DICOM, before any VOI/LUT. */
export interface StoredImage {
  readonly width: number;
  readonly height: number;
  /** Stored values, row-major, in a typed array of the stored type. */
  readonly pixels: StoredPixelArray;
  readonly bitsStored: number;
  /** PixelRepresentation 1. */
  readonly signed: boolean;
  readonly photometricInterpretation: 'MONOCHROME1' | 'MONOCHROME2';
  readonly rescaleSlope: number;
  readonly rescaleIntercept: number;
}

/**
 * How one image is to be denoised: the tiling (contract/tilePolicy.ts) and
 * the strength; the worker message carries exactly this (plain data, so it
 * crosses postMessage as is).
 */
export interface DenoiseSettings extends TilingOptions {
  /**
   * Multiplies the noise map of a noise-conditioned model (1 = the estimated
   * noise; more removes more). Ignored by models without a noise-map input.
   */
  readonly strength?: number;
}

/**
 * A request to denoise: the settings, and how the caller follows and stops it (denoiseImage and the client take this).
 */
export interface DenoiseRequestOptions extends DenoiseSettings {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: DenoiseProgress) => void;
  /**
   * The caller hands its pixel buffer over (a copy made for this run): moved
   * to the worker, not cloned, and unusable here afterwards. Saves one full
   * copy per run (53 MB for a 5355x4915 16-bit image).
   */
  readonly transferPixels?: boolean;
}

export interface DenoiseProgress {
  readonly tilesDone: number;
  readonly tilesTotal: number;
  readonly tilesSkipped: number;
}

export interface DenoiseStats extends DenoiseProgress {
  readonly milliseconds: number;
  readonly executionProvider: string;
  readonly tileSize: number;
  readonly halo: number;
}

export interface DenoiseResult {
  /** Same type, length and range as the input's stored pixels. */
  readonly pixels: StoredPixelArray;
  readonly stats: DenoiseStats;
}

/** What the worker needs to load a model. */
export interface EngineConfig {
  readonly modelUrl: string;
  readonly sha256: string;
  readonly inputName: string;
  readonly outputName: string;
  /** The card's io.noiseMapInputName: the graph's second input, for noise-conditioned models only. */
  readonly noiseMapInputName?: string;
  /** Ordered fallback list, e.g. ['webgpu', 'wasm']. */
  readonly executionProviders: readonly string[];
  /** Base URL of onnxruntime-web's .wasm/.mjs files (browser only). */
  readonly wasmPaths?: string;
  /** WASM threads; more than 1 needs cross-origin isolation (COOP/COEP). */
  readonly numThreads?: number;
}

export interface ProviderFallback {
  readonly provider: string;
  readonly reason: string;
}

export interface EngineReady {
  readonly executionProvider: string;
  readonly fallbacks: readonly ProviderFallback[];
  readonly modelFromCache: boolean;
  readonly loadMilliseconds: number;
  /** Threads the WASM provider actually uses (1 without cross-origin isolation). */
  readonly wasmThreads: number;
}

export type EngineErrorKind =
  'network' | 'integrity' | 'config' | 'provider' | 'input' | 'cancelled' | 'runtime' | 'crashed';

/** Messages to the worker. */
export type ToWorker =
  | { readonly type: 'init'; readonly config: EngineConfig }
  | {
      readonly type: 'denoise';
      readonly requestId: number;
      readonly image: StoredImage;
      readonly settings: DenoiseSettings;
    }
  | { readonly type: 'cancel'; readonly requestId: number };

/** Messages from the worker. */
export type FromWorker =
  | { readonly type: 'ready'; readonly ready: EngineReady }
  | { readonly type: 'initFailed'; readonly message: string; readonly kind: EngineErrorKind }
  | { readonly type: 'progress'; readonly requestId: number; readonly progress: DenoiseProgress }
  | { readonly type: 'result'; readonly requestId: number; readonly result: DenoiseResult }
  | { readonly type: 'failed'; readonly requestId: number; readonly message: string; readonly kind: EngineErrorKind };
