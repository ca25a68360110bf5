import type { NaturalizedDataset } from 'dcmjs';
import type { StoredImage, StoredPixelArray } from '../engine/types';
import {
  NATIVE_TRANSFER_SYNTAXES,
  TRANSFER_SYNTAX,
  TRANSFER_SYNTAXES,
  describeTransferSyntax,
  transferSyntaxOf,
} from './transferSyntax';
import type { PixelLayout } from './pixelDecoding';
import { truncationOf } from './part10';

export { NATIVE_TRANSFER_SYNTAXES };

/** Where the stored pixels came from, for the report and the derived image. */
export interface PixelSource {
  readonly transferSyntaxUid: string;
  /** Information was lost to compression: by this file's stream, or earlier (Lossy Image Compression "01"). */
  readonly lossy: boolean;
  /** Lossy Image Compression Method terms of the losses (the earlier ones first). */
  readonly lossyMethods: readonly string[];
  /** What the codec library printed while decoding. */
  readonly warnings: readonly string[];
}

export type StoredImageResult =
  | { readonly ok: true; readonly image: StoredImage; readonly source?: PixelSource }
  | { readonly ok: false; readonly reason: string };

const num = (v: unknown): number | undefined => {
  const x = Array.isArray(v) ? v[0] : v;
  const n = typeof x === 'string' ? Number(x) : x;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};
const str = (v: unknown): string | undefined => {
  const x = Array.isArray(v) ? v[0] : v;
  return typeof x === 'string' ? x.trim() : undefined;
};
const strings = (v: unknown): string[] =>
  (Array.isArray(v) ? v : [v])
    .filter((x): x is string => typeof x === 'string' && x.trim() !== '')
    .map((x) => x.trim());

type Layout = PixelLayout & { readonly bitsStored: number; readonly photometric: 'MONOCHROME1' | 'MONOCHROME2' };

/** The image's pixel description, or why it cannot be denoised (the checks every transfer syntax shares). */
function readLayout(dataset: NaturalizedDataset): Layout | string {
  // Checked first: dcmjs reads a cut file quietly, zero-filling what is missing or leaving out the pixel data.
  const truncation = truncationOf(dataset);
  if (truncation) return truncation;
  if (dataset.PixelData === undefined) {
    // A file cut exactly between two elements reads as whole: an image header without pixel data gives it away.
    if (dataset.Rows !== undefined && dataset.Columns !== undefined)
      return 'it has no pixel data although its header describes an image (the file is truncated?)';
    return 'it has no pixel data (not an image, e.g. a structured report or presentation state)';
  }
  const frames = num(dataset.NumberOfFrames) ?? 1;
  if (frames > 1)
    return (
      `it is a multi-frame object (${frames} frames, e.g. ` +
      'breast tomosynthesis); only single-frame images are denoised'
    );
  const samples = num(dataset.SamplesPerPixel) ?? 1;
  const photometric = str(dataset.PhotometricInterpretation);
  if (samples !== 1 || (photometric !== 'MONOCHROME1' && photometric !== 'MONOCHROME2')) {
    return (
      `it is a colour image (${photometric ?? 'unknown photometric interpretation'}, ` +
      `${samples} samples per pixel); only greyscale MONOCHROME1/2 images are denoised`
    );
  }
  const rows = num(dataset.Rows);
  const columns = num(dataset.Columns);
  const bitsAllocated = num(dataset.BitsAllocated);
  const bitsStored = num(dataset.BitsStored) ?? bitsAllocated;
  if (!rows || !columns || !bitsAllocated || !bitsStored) return 'Rows, Columns or BitsAllocated is missing';
  if (bitsAllocated !== 8 && bitsAllocated !== 16) return `BitsAllocated ${bitsAllocated} is not supported (8 or 16)`;
  if (bitsStored > bitsAllocated) return `BitsStored ${bitsStored} exceeds BitsAllocated ${bitsAllocated}`;
  return { rows, columns, bitsAllocated, bitsStored, signed: num(dataset.PixelRepresentation) === 1, photometric };
}

/**
 * Native little-endian sample bytes → the stored image, masked to BitsStored
 * and sign-extended (bits above it, old overlay planes, never leak in).
 */
function storedImageFromBytes(bytes: Uint8Array, layout: Layout, dataset: NaturalizedDataset): StoredImageResult {
  const { rows, columns, bitsAllocated, bitsStored, signed } = layout;
  const bytesNeeded = rows * columns * (bitsAllocated / 8);
  if (bytes.byteLength < bytesNeeded) {
    return {
      ok: false,
      reason:
        `its pixel data is truncated: ${bytes.byteLength} bytes for a ${columns}x${rows} ` +
        `image of ${bitsAllocated}-bit samples (${bytesNeeded} needed)`,
    };
  }
  const Ctor = bitsAllocated === 8 ? (signed ? Int8Array : Uint8Array) : signed ? Int16Array : Uint16Array;
  const raw = new Ctor(bytes.slice(0, bytesNeeded).buffer);
  const pixels: StoredPixelArray = new Ctor(raw.length);
  const mask = 2 ** bitsStored - 1;
  const signBit = 2 ** (bitsStored - 1);
  for (let i = 0; i < raw.length; i += 1) {
    const v = (raw[i] as number) & mask;
    pixels[i] = signed && v >= signBit ? v - 2 ** bitsStored : v;
  }
  return {
    ok: true,
    image: {
      width: columns,
      height: rows,
      pixels,
      bitsStored,
      signed,
      photometricInterpretation: layout.photometric,
      rescaleSlope: num(dataset.RescaleSlope) ?? 1,
      rescaleIntercept: num(dataset.RescaleIntercept) ?? 0,
    },
  };
}

/** The first buffer of a native pixel data element (dcmjs gives native pixel data as a one-element array). */
function nativeBytes(pixelData: unknown): Uint8Array | undefined {
  const buffer = Array.isArray(pixelData) ? pixelData[0] : pixelData;
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
  if (ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  return undefined;
}

/**
 * The stored pixels of a single-frame greyscale DICOM image in a native
 * little-endian transfer syntax, synchronously, or why it cannot be read.
 * Compressed and big-endian pixel data need decodeStoredImage.
 */
export function storedImageFromDataset(dataset: NaturalizedDataset): StoredImageResult {
  const layout = readLayout(dataset);
  if (typeof layout === 'string') return { ok: false, reason: layout };
  const transferSyntax = transferSyntaxOf(dataset);
  if (transferSyntax === TRANSFER_SYNTAX.explicitBig)
    return {
      ok: false,
      reason: `its pixel data is big endian (transfer syntax ${transferSyntax}); read it with decodeStoredImage`,
    };
  if (!NATIVE_TRANSFER_SYNTAXES.has(transferSyntax)) {
    return {
      ok: false,
      reason:
        `its pixel data is compressed (transfer syntax ${transferSyntax}); ` +
        'decompress it first, e.g. with "gdcmconv --raw", or read it with decodeStoredImage',
    };
  }
  const bytes = nativeBytes(dataset.PixelData);
  if (!bytes) return { ok: false, reason: 'its pixel data could not be read' };
  return storedImageFromBytes(bytes, layout, dataset);
}

/** Big-endian 16-bit samples swapped to little endian (dcmjs keeps OW bytes as stored). */
function swap16(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length - (bytes.length % 2));
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    out[i] = bytes[i + 1] as number;
    out[i + 1] = bytes[i] as number;
  }
  return out;
}

/**
 * The stored pixels of a single-frame greyscale DICOM image in any transfer
 * syntax the viewer displays: native (little or big endian, deflated) or
 * compressed (JPEG 2000 and HTJ2K, JPEG-LS, JPEG lossless, JPEG baseline and
 * 12-bit extended, RLE), decoded with the same codec packages as the viewer.
 * Same result as storedImageFromDataset on the uncompressed file, plus where
 * the pixels came from; a refusal says why (never throws).
 */
export async function decodeStoredImage(dataset: NaturalizedDataset): Promise<StoredImageResult> {
  const layout = readLayout(dataset);
  if (typeof layout === 'string') return { ok: false, reason: layout };
  const transferSyntaxUid = transferSyntaxOf(dataset);
  const syntax = TRANSFER_SYNTAXES[transferSyntaxUid];
  if (!syntax)
    return {
      ok: false,
      reason: `its transfer syntax ${transferSyntaxUid} is not one the decoder knows (it reads ${Object.values(
        TRANSFER_SYNTAXES,
      )
        .map((s) => s.name)
        .join(', ')})`,
    };
  // An earlier lossy step (e.g. a JPEG stored since as uncompressed) is recorded in the header.
  const earlierLoss = str(dataset.LossyImageCompression) === '01';
  const earlierMethods = earlierLoss ? strings(dataset.LossyImageCompressionMethod) : [];

  let bytes: Uint8Array | undefined;
  let lossyHere = false;
  let warnings: readonly string[] = [];
  if (syntax.codec === 'native') {
    bytes = nativeBytes(dataset.PixelData);
    if (bytes && transferSyntaxUid === TRANSFER_SYNTAX.explicitBig && layout.bitsAllocated === 16)
      bytes = swap16(bytes);
  } else {
    try {
      const { decodeEncapsulatedFrame } = await import('./pixelDecoding');
      const frame = await decodeEncapsulatedFrame(dataset.PixelData, transferSyntaxUid, layout);
      ({ bytes, warnings } = frame);
      lossyHere = frame.lossy;
    } catch (error) {
      return { ok: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }
  if (!bytes)
    return { ok: false, reason: `its pixel data (${describeTransferSyntax(transferSyntaxUid)}) could not be read` };
  const result = storedImageFromBytes(bytes, layout, dataset);
  if (!result.ok) return result;
  // A compressed file's header usually records its own compression already: each method once.
  const lossyMethods = [
    ...new Set([...earlierMethods, ...(lossyHere && syntax.lossyMethod ? [syntax.lossyMethod] : [])]),
  ];
  return { ...result, source: { transferSyntaxUid, lossy: earlierLoss || lossyHere, lossyMethods, warnings } };
}
