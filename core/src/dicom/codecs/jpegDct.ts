import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decodeWithCodec, lazyModule } from './emscripten';
import { assertGreyscale, bytesOf, type DecodedFrame } from './decodedFrame';
import { readJpegFrameHeader } from './jpegFrameHeader';

/** libjpeg-turbo (@cornerstonejs/codec-libjpeg-turbo-8bit, the viewer's JPEG baseline codec): 8-bit DCT JPEG only. */
const libjpegTurbo = lazyModule(() => import('@cornerstonejs/codec-libjpeg-turbo-8bit/wasmjs'));

interface CornerstoneJpegImage {
  parse(stream: Uint8Array): void;
  colorTransform: boolean;
  components: readonly unknown[];
  getData16(width: number, height: number): Uint16Array;
}

/**
 * 12-bit DCT JPEG (JPEG extended, process 4) has no maintained npm codec:
 * libjpeg-turbo-8bit refuses precision 12, jpeg-js and dcmjs-codecs decode
 * 8 bits only. The viewer's Cornerstone decodes it with the JavaScript JPEG
 * decoder inside @cornerstonejs/dicom-image-loader (dist/esm/codecs/jpeg.js,
 * pdf.js's decoder extended to 12 bits), which the package does not export:
 * it is loaded by its path inside the pinned package version.
 */
const cornerstoneJpeg = (() => {
  let loaded: Promise<new () => CornerstoneJpegImage> | null = null;
  return () => {
    loaded ??= (async () => {
      const packageJson = createRequire(import.meta.url).resolve('@cornerstonejs/dicom-image-loader/package.json');
      const file = pathToFileURL(join(dirname(packageJson), 'dist', 'esm', 'codecs', 'jpeg.js')).href;
      const module = (await import(file)) as { default: new () => CornerstoneJpegImage };
      return module.default;
    })();
    return loaded;
  };
})();

/**
 * Cornerstone's 12-bit decoder level-shifts by 2056 * 4095 / 255 (its 8-bit
 * constant scaled) instead of 2048 * 16 + 8, so every sample comes out exactly
 * 15 too high (the scaled IDCT output q gives floor((q + 33016) / 16) where
 * libjpeg gives floor((q + 32776) / 16)); its clamp returns 4095 from
 * q >= 32503, which libjpeg would decode as 4079 to 4095. Taking 15 off
 * everywhere but the clamp value gives libjpeg's result within its own
 * rounding (±1, tested against gdcmconv), except that true values 4079..4094
 * read as 4095. Delete when Cornerstone's jpeg.js levels shift by 2048.
 */
const CORNERSTONE_12BIT_BIAS = 15;
function correctCornerstone12BitBias(samples: Uint16Array): void {
  for (let i = 0; i < samples.length; i += 1) {
    const v = samples[i] as number;
    if (v !== 4095) samples[i] = v > CORNERSTONE_12BIT_BIAS ? v - CORNERSTONE_12BIT_BIAS : 0;
  }
}

async function decode12Bit(stream: Uint8Array, width: number, height: number, signed: boolean): Promise<DecodedFrame> {
  const JpegImage = await cornerstoneJpeg();
  const jpeg = new JpegImage();
  let samples: Uint16Array;
  try {
    jpeg.parse(stream);
    assertGreyscale('JPEG', jpeg.components.length);
    jpeg.colorTransform = false;
    samples = jpeg.getData16(width, height);
  } catch (error) {
    throw new Error(
      "Cornerstone's 12-bit JPEG decoder could not decode the stream " +
        `(${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    );
  }
  correctCornerstone12BitBias(samples);
  return {
    width,
    height,
    bitsPerSample: 12,
    bytesPerSample: 2,
    signed,
    samples: bytesOf(samples),
    lossy: true,
    warnings: [],
  };
}

/** JPEG baseline (8-bit) and extended (8- or 12-bit) DCT streams. */
export async function decodeJpegDct(stream: Uint8Array, signed: boolean): Promise<DecodedFrame> {
  const header = readJpegFrameHeader(stream);
  if (!header)
    throw new Error(
      'the JPEG stream has no frame header (SOF) before its first scan; it is not a JPEG image or is cut short',
    );
  if (header.process === 0xc3 || header.process === 0xc7 || header.process === 0xcb || header.process === 0xcf) {
    throw new Error(`the stream is lossless JPEG (SOF ${header.process.toString(16)}) under a DCT transfer syntax`);
  }
  if (header.precision === 12) return decode12Bit(stream, header.columns, header.rows, signed);
  if (header.precision !== 8)
    throw new Error(
      `JPEG sample precision ${header.precision} is not a DICOM JPEG baseline or extended precision (8 or 12)`,
    );
  const codec = await libjpegTurbo();
  const { info, samples, messages } = decodeWithCodec(
    'libjpeg-turbo (@cornerstonejs/codec-libjpeg-turbo-8bit)',
    () => new codec.JPEGDecoder(),
    stream,
    () => null,
  );
  assertGreyscale('JPEG', info.componentCount);
  return {
    width: info.width,
    height: info.height,
    bitsPerSample: 8,
    bytesPerSample: 1,
    signed,
    samples,
    lossy: true,
    warnings: messages,
  };
}
