import type { NaturalizedDataset } from 'dcmjs';
import { encodeJpeg2000Lossless } from './codecs/jpeg2000';
import { encodeJpegLsLossless } from './codecs/jpegLs';
import { TRANSFER_SYNTAX } from './transferSyntax';

/** The transfer syntaxes derived images can be written in: uncompressed, or compressed without loss for archives. */
export const OUTPUT_TRANSFER_SYNTAXES = {
  'explicit-little-endian': TRANSFER_SYNTAX.explicitLittle,
  'jpeg2000-lossless': TRANSFER_SYNTAX.jpeg2000Lossless,
  'jpeg-ls-lossless': TRANSFER_SYNTAX.jpegLsLossless,
} as const;

export type OutputTransferSyntax = keyof typeof OUTPUT_TRANSFER_SYNTAXES;

const num = (v: unknown): number => Number(Array.isArray(v) ? v[0] : v);

/**
 * The dataset with its native pixel data compressed into `transferSyntax`
 * (the codec packages the decoder uses), ready for writePart10 with the same
 * UID. Lossless both ways, so Lossy Image Compression is left as it is.
 * Samples are handed to the codecs as their BitsStored bit patterns: JPEG-LS
 * has no sign, and both codecs take the precision as BitsStored.
 */
export async function encodePixelData(
  dataset: NaturalizedDataset,
  transferSyntax: OutputTransferSyntax,
): Promise<NaturalizedDataset> {
  if (transferSyntax === 'explicit-little-endian') return dataset;
  const width = num(dataset.Columns);
  const height = num(dataset.Rows);
  const bitsAllocated = num(dataset.BitsAllocated);
  const bitsPerSample = num(dataset.BitsStored ?? bitsAllocated);
  const signed = num(dataset.PixelRepresentation) === 1;
  const pixelData = dataset.PixelData;
  const buffer = Array.isArray(pixelData) ? pixelData[0] : pixelData;
  if (!(buffer instanceof ArrayBuffer)) throw new Error('the derived image has no native pixel data to encode');
  const count = width * height;
  const samples = new Uint8Array(buffer.slice(0, count * (bitsAllocated / 8)));
  if (bitsAllocated === 16) {
    const words = new Uint16Array(samples.buffer);
    const mask = 2 ** bitsPerSample - 1;
    // JPEG-LS codes unsigned samples of BitsStored bits; two's complement values go in as their bit patterns.
    if (transferSyntax === 'jpeg-ls-lossless')
      for (let i = 0; i < count; i += 1) words[i] = (words[i] as number) & mask;
  }
  const frame = { width, height, bitsPerSample, signed: transferSyntax === 'jpeg2000-lossless' && signed };
  const codestream =
    transferSyntax === 'jpeg2000-lossless'
      ? await encodeJpeg2000Lossless(samples, frame)
      : await encodeJpegLsLossless(samples, frame);
  return {
    ...dataset,
    PixelData: [codestream.buffer.slice(codestream.byteOffset, codestream.byteOffset + codestream.byteLength)],
    _vrMap: { ...(dataset._vrMap ?? {}), PixelData: 'OB' },
  };
}
