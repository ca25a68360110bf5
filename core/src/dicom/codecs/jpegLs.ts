import { decodeWithCodec, lazyModule, runCodec, withCodecObject } from './emscripten';
import { assertGreyscale, type DecodedFrame } from './decodedFrame';

/** CharLS (@cornerstonejs/codec-charls, the viewer's JPEG-LS codec). */
const charls = lazyModule(() => import('@cornerstonejs/codec-charls/wasmjs'));

const CODEC = 'CharLS (@cornerstonejs/codec-charls)';

/** JPEG-LS carries no sign: `signed` comes from PixelRepresentation, and masking to BitsStored restores the values. */
export async function decodeJpegLs(stream: Uint8Array, signed: boolean): Promise<DecodedFrame> {
  const codec = await charls();
  const {
    info,
    extra: near,
    samples,
    messages,
  } = decodeWithCodec(
    CODEC,
    () => new codec.JpegLSDecoder(),
    stream,
    (decoder) => decoder.getNearLossless(),
  );
  assertGreyscale('JPEG-LS', info.componentCount);
  return {
    width: info.width,
    height: info.height,
    bitsPerSample: info.bitsPerSample,
    bytesPerSample: info.bitsPerSample > 8 ? 2 : 1,
    signed,
    samples,
    lossy: near > 0,
    warnings: messages,
  };
}

/** A lossless (NEAR 0) JPEG-LS stream of one greyscale frame. */
export async function encodeJpegLsLossless(
  samples: Uint8Array,
  frame: { width: number; height: number; bitsPerSample: number; signed: boolean },
): Promise<Uint8Array> {
  const codec = await charls();
  const { result } = runCodec(CODEC, () =>
    withCodecObject(
      () => new codec.JpegLSEncoder(),
      (encoder) => {
        encoder.getDecodedBuffer({ ...frame, isSigned: frame.signed, componentCount: 1 }).set(samples);
        encoder.setNearLossless(0);
        encoder.encode();
        return encoder.getEncodedBuffer().slice();
      },
    ),
  );
  return result;
}
