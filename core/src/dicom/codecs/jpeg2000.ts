import { decodeGreyscaleWithCodec, encodeWithCodec, lazyModule } from './emscripten';
import type { DecodedFrame, FrameToEncode } from './decodedFrame';

/**
 * OpenJPEG 2.5 (@cornerstonejs/codec-openjpeg, the viewer's
 * JPEG 2000 codec): JPEG 2000 and HTJ2K (Part 15) codestreams.
 */
const openJpeg = lazyModule(() => import('@cornerstonejs/codec-openjpeg/wasmjs'));

const CODEC = 'OpenJPEG (@cornerstonejs/codec-openjpeg)';

/**
 * The raw codestream of a JPEG 2000 fragment. DICOM asks for a bare codestream
 * (it starts with SOC, FF 4F), but some archives store the JP2 file format
 * around it; OpenJPEG's codestream decoder needs the 'jp2c' box's content.
 */
export function jpeg2000Codestream(stream: Uint8Array): Uint8Array {
  const isJp2 =
    stream.length >= 12 && stream[4] === 0x6a && stream[5] === 0x50 && stream[6] === 0x20 && stream[7] === 0x20;
  if (!isJp2) return stream;
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  for (let at = 0; at + 8 <= stream.length;) {
    let length = view.getUint32(at);
    const type = String.fromCharCode(...stream.subarray(at + 4, at + 8));
    let header = 8;
    if (length === 1 && at + 16 <= stream.length) {
      length = Number(view.getBigUint64(at + 8));
      header = 16;
    }
    if (type === 'jp2c') return stream.subarray(at + header, length === 0 ? stream.length : at + length);
    if (length < header) break;
    at += length;
  }
  throw new Error('the JPEG 2000 fragment is a JP2 file without a codestream box (jp2c)');
}

export async function decodeJpeg2000(stream: Uint8Array): Promise<DecodedFrame> {
  const codec = await openJpeg();
  const codestream = jpeg2000Codestream(stream);
  return decodeGreyscaleWithCodec(
    CODEC,
    'JPEG 2000',
    () => new codec.J2KDecoder(),
    codestream,
    (decoder, info) => ({ signed: Boolean(info.isSigned), lossy: !decoder.getIsReversible() }),
  );
}

/** Wavelet levels for an image: OpenJPEG's default 5, fewer where a side is too short for them. */
const decompositionsFor = (width: number, height: number): number =>
  Math.max(0, Math.min(5, Math.floor(Math.log2(Math.min(width, height)))));

/** A lossless (reversible 5/3 wavelet) JPEG 2000 codestream of one greyscale frame. */
export async function encodeJpeg2000Lossless(samples: Uint8Array, frame: FrameToEncode): Promise<Uint8Array> {
  const { J2KEncoder } = await openJpeg();
  const info = { ...frame, isSigned: frame.signed, componentCount: 1, isUsingColorTransform: false };
  return encodeWithCodec(
    CODEC,
    () => new J2KEncoder(),
    samples,
    info,
    (encoder) => {
      encoder.setDecompositions(decompositionsFor(frame.width, frame.height));
      encoder.setQuality(true, 0);
    },
  );
}
