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
