import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bytesOf, type DecodedFrame } from './decodedFrame';

interface RleImageFrame {
  rows: number;
  columns: number;
  bitsAllocated: number;
  samplesPerPixel: number;
  planarConfiguration: number;
  pixelRepresentation: number;
  pixelData?: Uint8Array | Int8Array | Uint16Array | Int16Array;
}

/**
 * DICOM RLE (PS3.5 Annex G) has no npm package of its own; the viewer's
 * Cornerstone decodes it with decodeRLE in @cornerstonejs/dicom-image-loader
 * (dist/esm/shared/decoders/decodeRLE.js), which the package does not export:
 * it is loaded by its path inside the pinned package version.
 */
const cornerstoneRle = (() => {
  let loaded: Promise<(frame: RleImageFrame, data: Uint8Array) => Promise<RleImageFrame>> | null = null;
  return () => {
    loaded ??= (async () => {
      const packageJson = createRequire(import.meta.url).resolve('@cornerstonejs/dicom-image-loader/package.json');
      const file = pathToFileURL(join(dirname(packageJson), 'dist', 'esm', 'shared', 'decoders', 'decodeRLE.js')).href;
      const module = (await import(file)) as {
        default: (frame: RleImageFrame, data: Uint8Array) => Promise<RleImageFrame>;
      };
      return module.default;
    })();
    return loaded;
  };
})();

/**
 * Checks the RLE header and walks each segment's PackBits runs without
 * decoding them, because Cornerstone's decoder leaves zeros where a cut
 * segment ends: a truncated file must be refused, not denoised.
 */
export function checkRleSegments(data: Uint8Array, segments: number, bytesPerSegment: number): void {
  if (data.length < 64)
    throw new Error(`the RLE fragment is ${data.length} bytes, shorter than its 64-byte header (truncated)`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const count = view.getUint32(0, true);
  if (count !== segments)
    throw new Error(
      `the RLE header lists ${count} segments where ${segments} are expected (one per byte of each sample)`,
    );
  for (let s = 0; s < count; s += 1) {
    const start = view.getUint32(4 + 4 * s, true);
    const end = s + 1 < count ? view.getUint32(8 + 4 * s, true) : data.length;
    if (start < 64 || start > end || end > data.length)
      throw new Error(
        `RLE segment ${s + 1} lies outside the fragment ` +
          `(offset ${start}..${end} of ${data.length} bytes; truncated or corrupt)`,
      );
    let produced = 0;
    let at = start;
    while (at < end && produced < bytesPerSegment) {
      const n = ((data[at] as number) << 24) >> 24;
      if (n >= 0) {
        produced += n + 1;
        at += n + 2;
      } else if (n !== -128) {
        produced += 1 - n;
        at += 2;
      } else at += 1;
    }
    if (at > end || produced < bytesPerSegment)
      throw new Error(
        `RLE segment ${s + 1} holds ${Math.min(produced, bytesPerSegment)} of ${bytesPerSegment} bytes (truncated)`,
      );
  }
}

export async function decodeRle(
  data: Uint8Array,
  frame: { rows: number; columns: number; bitsAllocated: 8 | 16; signed: boolean },
): Promise<DecodedFrame> {
  const bytesPerSample = frame.bitsAllocated / 8;
  checkRleSegments(data, bytesPerSample, frame.rows * frame.columns);
  const decodeRLE = await cornerstoneRle();
  const decoded = await decodeRLE(
    {
      rows: frame.rows,
      columns: frame.columns,
      bitsAllocated: frame.bitsAllocated,
      samplesPerPixel: 1,
      planarConfiguration: 0,
      pixelRepresentation: frame.signed ? 1 : 0,
    },
    data,
  );
  if (!decoded.pixelData) throw new Error("Cornerstone's RLE decoder returned no pixels");
  return {
    width: frame.columns,
    height: frame.rows,
    bitsPerSample: frame.bitsAllocated,
    bytesPerSample: bytesPerSample as 1 | 2,
    signed: frame.signed,
    samples: bytesOf(decoded.pixelData),
    lossy: false,
    warnings: [],
  };
}
