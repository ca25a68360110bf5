import { decodeGreyscaleWithCodec, encodeWithCodec, lazyModule } from './emscripten';
import type { DecodedFrame, FrameToEncode } from './decodedFrame';

/** CharLS (@cornerstonejs/codec-charls, the viewer's JPEG-LS codec). */
const charls = lazyModule(() => import('@cornerstonejs/codec-charls/wasmjs'));

const CODEC = 'CharLS (@cornerstonejs/codec-charls)';

/** JPEG-LS carries no sign: `signed` comes from PixelRepresentation, and masking to BitsStored restores the values. */
export async function decodeJpegLs(stream: Uint8Array, signed: boolean): Promise<DecodedFrame> {
  const codec = await charls();
  return decodeGreyscaleWithCodec(
    CODEC,
    'JPEG-LS',
    () => new codec.JpegLSDecoder(),
    stream,
    (decoder) => ({ signed, lossy: decoder.getNearLossless() > 0 }),
  );
}

/** A lossless (NEAR 0) JPEG-LS stream of one greyscale frame. */
export async function encodeJpegLsLossless(samples: Uint8Array, frame: FrameToEncode): Promise<Uint8Array> {
  const { JpegLSEncoder } = await charls();
  const info = { ...frame, isSigned: frame.signed, componentCount: 1 };
  return encodeWithCodec(
    CODEC,
    () => new JpegLSEncoder(),
    samples,
    info,
    (encoder) => encoder.setNearLossless(0),
  );
}
