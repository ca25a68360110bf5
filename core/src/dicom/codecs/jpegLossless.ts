import { assertGreyscale, bytesOf, type DecodedFrame } from './decodedFrame';

/**
 * JPEG lossless, process 14 with any predictor (SV1 included), decoded with
 * Cornerstone's maintained fork of jpeg-lossless-decoder-js (what the viewer's
 * current image loader uses): jpeg-lossless-decoder-js 2.1.2 drops the last
 * sample of a scan whose final Huffman code ends on a byte boundary (seen on
 * a real RSNA mammogram: bottom-right pixel 0 instead of 284).
 */
export async function decodeJpegLossless(
  stream: Uint8Array,
  bytesPerSample: 1 | 2,
  signed: boolean,
): Promise<DecodedFrame> {
  const { Decoder } = await import('@cornerstonejs/jpeg-lossless-decoder-js');
  const decoder = new Decoder();
  let output: Uint8Array | Uint16Array;
  try {
    output = decoder.decode(stream.buffer as ArrayBuffer, stream.byteOffset, stream.byteLength, bytesPerSample);
  } catch (error) {
    throw new Error(
      'jpeg-lossless-decoder-js could not decode the stream ' +
        `(${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    );
  }
  assertGreyscale('JPEG lossless', decoder.numComp);
  // A cut stream does not stop the decoder: it reads on past the end (undefined bytes) and fills the remaining
  // rows with garbage, so reading beyond the data is what marks truncation.
  const read = decoder.stream?.index ?? 0;
  if (read > stream.byteLength)
    throw new Error(`the JPEG lossless stream ends before the image does (${stream.byteLength} bytes; truncated)`);
  return {
    width: decoder.xDim,
    height: decoder.yDim,
    bitsPerSample: decoder.precision ?? bytesPerSample * 8,
    bytesPerSample,
    signed,
    samples: bytesOf(output),
    lossy: false,
    warnings: [],
  };
}
