import { concatBytes } from './bytes';
import type { DecodedFrame } from './codecs/decodedFrame';
import { decodeJpeg2000 } from './codecs/jpeg2000';
import { decodeJpegDct } from './codecs/jpegDct';
import { decodeJpegLossless } from './codecs/jpegLossless';
import { decodeJpegLs } from './codecs/jpegLs';
import { decodeRle } from './codecs/rle';
import { TRANSFER_SYNTAXES, describeTransferSyntax } from './transferSyntax';

/** The pixel layout a decoder needs, read from the dataset. */
export interface PixelLayout {
  readonly rows: number;
  readonly columns: number;
  readonly bitsAllocated: 8 | 16;
  readonly bitsStored: number;
  readonly signed: boolean;
}

/** One frame's pixels as native little-endian bytes, ready for the stored-image reader. */
export interface FramePixels {
  readonly bytes: Uint8Array;
  /** The source lost information to compression (by its syntax or its stream). */
  readonly lossy: boolean;
  readonly warnings: readonly string[];
}

/**
 * The encapsulated fragments of a single-frame image joined into one stream.
 * dcmjs hands encapsulated pixel data over as an array: one buffer per frame
 * when the basic offset table is filled, else one per fragment (and with
 * noCopy, nested arrays of fragments), so every piece is concatenated.
 */
export function joinFragments(pixelData: unknown): Uint8Array {
  const pieces: Uint8Array[] = [];
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(collect);
    else if (value instanceof ArrayBuffer) pieces.push(new Uint8Array(value));
    else if (ArrayBuffer.isView(value)) pieces.push(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  };
  collect(pixelData);
  if (pieces.length === 1) return pieces[0] as Uint8Array;
  return concatBytes(pieces);
}

/**
 * Widens 8-bit decoded samples into a 16-bit allocation (keeping the sign), or narrows 16-bit samples that fit 8 bits.
 */
function toAllocation(frame: DecodedFrame, bitsAllocated: 8 | 16): Uint8Array {
  const wanted = bitsAllocated / 8;
  if (frame.bytesPerSample === wanted) return frame.samples;
  const count = frame.width * frame.height;
  if (wanted === 2) {
    const source = frame.signed ? new Int8Array(frame.samples.buffer, frame.samples.byteOffset, count) : frame.samples;
    const out = frame.signed ? new Int16Array(count) : new Uint16Array(count);
    for (let i = 0; i < count; i += 1) out[i] = source[i] as number;
    return new Uint8Array(out.buffer);
  }
  if (frame.bitsPerSample > 8)
    throw new Error(`the stream holds ${frame.bitsPerSample}-bit samples but BitsAllocated is 8`);
  const out = new Uint8Array(count);
  const source = new Uint16Array(
    frame.samples.buffer.slice(frame.samples.byteOffset, frame.samples.byteOffset + count * 2),
  );
  for (let i = 0; i < count; i += 1) out[i] = (source[i] as number) & 0xff;
  return out;
}

/**
 * A lossy stream coded at a higher precision than BitsStored (GDCM codes 12-bit
 * images at 16) rings past the stored range at sharp edges: 4096 in a 12-bit
 * image. Masking to BitsStored would wrap it to 0 (a white speck turned black),
 * so such values are clamped to the range instead.
 */
function clampToBitsStored(bytes: Uint8Array, layout: PixelLayout): void {
  if (layout.bitsAllocated !== 16) return;
  const samples = layout.signed
    ? new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2)
    : new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
  const max = layout.signed ? 2 ** (layout.bitsStored - 1) - 1 : 2 ** layout.bitsStored - 1;
  const min = layout.signed ? -(2 ** (layout.bitsStored - 1)) : 0;
  for (let i = 0; i < samples.length; i += 1) samples[i] = Math.min(max, Math.max(min, samples[i] as number));
}

async function decodeFrame(codec: string, stream: Uint8Array, layout: PixelLayout): Promise<DecodedFrame> {
  switch (codec) {
    case 'jpeg2000':
      return decodeJpeg2000(stream);
    case 'jpeg-ls':
      return decodeJpegLs(stream, layout.signed);
    case 'jpeg-lossless':
      return decodeJpegLossless(stream, (layout.bitsAllocated / 8) as 1 | 2, layout.signed);
    case 'jpeg':
      return decodeJpegDct(stream, layout.signed);
    case 'rle':
      return decodeRle(stream, {
        rows: layout.rows,
        columns: layout.columns,
        bitsAllocated: layout.bitsAllocated,
        signed: layout.signed,
      });
    default:
      throw new Error(`no decoder for ${codec}`);
  }
}

/**
 * Decodes the one frame of an encapsulated (compressed) pixel data element
 * with the codec its transfer syntax names. Throws with a message saying what
 * is wrong (unknown syntax, truncated or corrupt stream, size mismatch).
 */
export async function decodeEncapsulatedFrame(
  pixelData: unknown,
  transferSyntaxUid: string,
  layout: PixelLayout,
): Promise<FramePixels> {
  const syntax = TRANSFER_SYNTAXES[transferSyntaxUid];
  if (!syntax || syntax.codec === 'native')
    throw new Error(`its transfer syntax ${describeTransferSyntax(transferSyntaxUid)} is not one this decoder knows`);
  const stream = joinFragments(pixelData);
  if (stream.length === 0) throw new Error(`its ${syntax.name} pixel data is empty`);
  let frame: DecodedFrame;
  try {
    frame = await decodeFrame(syntax.codec, stream, layout);
  } catch (error) {
    throw new Error(
      `its ${syntax.name} pixel data could not be decoded: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  if (frame.width !== layout.columns || frame.height !== layout.rows) {
    throw new Error(
      `its ${syntax.name} stream is ${frame.width}x${frame.height} ` +
        `but the header says ${layout.columns}x${layout.rows}`,
    );
  }
  const bytes = toAllocation(frame, layout.bitsAllocated);
  // DCT JPEG always loses; JPEG-LS says so exactly (NEAR > 0). A reversible JPEG 2000 stream under the lossy
  // syntax may still have had quality layers cut, so that syntax counts as lossy whatever the wavelet.
  const lossy = frame.lossy || (syntax.lossy && syntax.codec !== 'jpeg-ls');
  if (lossy && frame.bitsPerSample > layout.bitsStored) clampToBitsStored(bytes, layout);
  const needed = layout.rows * layout.columns * (layout.bitsAllocated / 8);
  if (bytes.length < needed)
    throw new Error(`its ${syntax.name} stream decoded to ${bytes.length} bytes where ${needed} are needed`);
  return { bytes, lossy, warnings: frame.warnings };
}
