/** What every codec hands back: one greyscale frame as little-endian samples, as native pixel data would hold them. */
export interface DecodedFrame {
  readonly width: number;
  readonly height: number;
  /** Sample precision the stream declares. */
  readonly bitsPerSample: number;
  /** 1 or 2 bytes per sample in `samples`. */
  readonly bytesPerSample: 1 | 2;
  /** Whether the samples are two's complement (widening keeps the sign). */
  readonly signed: boolean;
  readonly samples: Uint8Array;
  /** The stream itself says it lost information (irreversible wavelet, JPEG-LS NEAR > 0, DCT JPEG). */
  readonly lossy: boolean;
  /** What the codec library printed, and any caveat of the decoder, for the file's report. */
  readonly warnings: readonly string[];
}

/** What the encoders take besides the samples: one greyscale frame's size, precision (BitsStored) and sign. */
export interface FrameToEncode {
  readonly width: number;
  readonly height: number;
  readonly bitsPerSample: number;
  readonly signed: boolean;
}

/** The bytes of a typed array (samples are little endian: Node runs on little-endian machines only). */
export const bytesOf = (array: ArrayBufferView): Uint8Array =>
  new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

/** A single-component frame, or the reason it is not one. */
export function assertGreyscale(codec: string, componentCount: number): void {
  if (componentCount !== 1)
    throw new Error(`the ${codec} stream has ${componentCount} components; only greyscale (1 component) is denoised`);
}
