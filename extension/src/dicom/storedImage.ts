import type { NaturalizedDataset } from 'dcmjs';
import type { StoredImage, StoredPixelArray } from '../engine/types';

/** Transfer syntaxes whose pixel data is stored uncompressed (native). */
export const NATIVE_TRANSFER_SYNTAXES = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2', '1.2.840.10008.1.2.1.99']);

export type StoredImageResult = { readonly ok: true; readonly image: StoredImage } | { readonly ok: false; readonly reason: string };

const num = (v: unknown): number | undefined => {
  const x = Array.isArray(v) ? v[0] : v;
  const n = typeof x === 'string' ? Number(x) : x;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};
const str = (v: unknown): string | undefined => {
  const x = Array.isArray(v) ? v[0] : v;
  return typeof x === 'string' ? x.trim() : undefined;
};

/**
 * The stored pixels of a single-frame greyscale DICOM image (native transfer
 * syntax), or why it cannot be denoised. Values are masked to BitsStored and
 * sign-extended, so bits above it (old overlay planes) never leak in.
 */
export function storedImageFromDataset(dataset: NaturalizedDataset): StoredImageResult {
  const refuse = (reason: string): StoredImageResult => ({ ok: false, reason });
  const pixelData = dataset.PixelData;
  if (pixelData === undefined) return refuse('it has no pixel data (not an image, e.g. a structured report or presentation state)');
  const frames = num(dataset.NumberOfFrames) ?? 1;
  if (frames > 1) return refuse(`it is a multi-frame object (${frames} frames, e.g. breast tomosynthesis); only single-frame images are denoised`);
  const samples = num(dataset.SamplesPerPixel) ?? 1;
  const photometric = str(dataset.PhotometricInterpretation);
  if (samples !== 1 || (photometric !== 'MONOCHROME1' && photometric !== 'MONOCHROME2')) {
    return refuse(`it is a colour image (${photometric ?? 'unknown photometric interpretation'}, ${samples} samples per pixel); only greyscale MONOCHROME1/2 images are denoised`);
  }
  const transferSyntax = str((dataset._meta as Record<string, unknown> | undefined)?.TransferSyntaxUID) ?? '1.2.840.10008.1.2';
  if (!NATIVE_TRANSFER_SYNTAXES.has(transferSyntax)) return refuse(`its pixel data is compressed (transfer syntax ${transferSyntax}); decompress it first, e.g. with "gdcmconv --raw"`);
  const rows = num(dataset.Rows);
  const columns = num(dataset.Columns);
  const bitsAllocated = num(dataset.BitsAllocated);
  const bitsStored = num(dataset.BitsStored) ?? bitsAllocated;
  if (!rows || !columns || !bitsAllocated || !bitsStored) return refuse('Rows, Columns or BitsAllocated is missing');
  if (bitsAllocated !== 8 && bitsAllocated !== 16) return refuse(`BitsAllocated ${bitsAllocated} is not supported (8 or 16)`);
  if (bitsStored > bitsAllocated) return refuse(`BitsStored ${bitsStored} exceeds BitsAllocated ${bitsAllocated}`);
  const signed = num(dataset.PixelRepresentation) === 1;
  const buffer = (Array.isArray(pixelData) ? pixelData[0] : pixelData) as ArrayBuffer | undefined;
  if (!(buffer instanceof ArrayBuffer)) return refuse('its pixel data could not be read');
  const bytesNeeded = rows * columns * (bitsAllocated / 8);
  if (buffer.byteLength < bytesNeeded) return refuse(`its pixel data is truncated: ${buffer.byteLength} bytes for a ${columns}x${rows} image of ${bitsAllocated}-bit samples (${bytesNeeded} needed)`);

  const Ctor = bitsAllocated === 8 ? (signed ? Int8Array : Uint8Array) : signed ? Int16Array : Uint16Array;
  const raw = new Ctor(buffer.slice(0, bytesNeeded));
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
      width: columns, height: rows, pixels, bitsStored, signed, photometricInterpretation: photometric,
      rescaleSlope: num(dataset.RescaleSlope) ?? 1, rescaleIntercept: num(dataset.RescaleIntercept) ?? 0,
    },
  };
}
