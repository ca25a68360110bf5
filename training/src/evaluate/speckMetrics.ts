import type { Speck } from '../noise/specks';
import { gaussianFilter } from './filters';
import { createImage, reflectedIndices, type GrayImage } from './image';

/**
 * The calcification measures of issue 13, on images in any one unit.
 *
 * Matched filter: a sigma 1.1 px Gaussian minus the 9x9 local mean (a
 * band-pass that answers to speck-sized bright spots and not to the slowly
 * varying tissue around them).
 * - Contrast kept: the matched-filter response at each speck centre in
 *   (output with specks - output without, same noise), divided by the
 *   response to the inserted specks alone. Linear filters keep a fixed
 *   fraction; the identity keeps exactly 1.
 * - CNR: that response divided by the std of the matched-filter response of
 *   the output without specks over the breast (noise and anatomy the speck
 *   must stand out from).
 */
export const MATCHED_FILTER_SIGMA = 1.1;
export const MATCHED_FILTER_BOX = 9;

export function boxMean(image: GrayImage, size: number): GrayImage {
  const r = (size - 1) / 2;
  const { width, height, data } = image;
  const xs = reflectedIndices(width, r);
  const ys = reflectedIndices(height, r);
  const tmp = new Float64Array(width * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      let s = 0;
      for (let k = 0; k < size; k += 1) s += data[y * width + (xs[x + k] as number)] as number;
      tmp[y * width + x] = s / size;
    }
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      let s = 0;
      for (let k = 0; k < size; k += 1) s += tmp[(ys[y + k] as number) * width + x] as number;
      out[y * width + x] = s / size;
    }
  }
  return createImage(width, height, out);
}

export function matchedFilter(image: GrayImage): GrayImage {
  const g = gaussianFilter(image, MATCHED_FILTER_SIGMA);
  const m = boxMean(image, MATCHED_FILTER_BOX);
  const out = new Float32Array(image.data.length);
  for (let i = 0; i < out.length; i += 1) out[i] = (g.data[i] as number) - (m.data[i] as number);
  return createImage(image.width, image.height, out);
}

const difference = (a: GrayImage, b: GrayImage): GrayImage =>
  createImage(
    a.width,
    a.height,
    a.data.map((v, i) => v - (b.data[i] as number)),
  );

export interface SpeckScore {
  /** Mean over specks of kept / inserted matched-filter response. */
  readonly contrastKept: number;
  /** Mean matched-filter response of the specks in the output (output units). */
  readonly amplitude: number;
  /** Std of the matched-filter response of the output without specks, over `mask`. */
  readonly backgroundStd: number;
  readonly cnr: number;
}

/** Std of values where mask is 1 (all pixels when mask is null). */
export function maskedStd(image: GrayImage, mask: Uint8Array | null): number {
  let n = 0,
    sum = 0,
    sum2 = 0;
  for (let i = 0; i < image.data.length; i += 1) {
    if (mask && !mask[i]) continue;
    const v = image.data[i] as number;
    n += 1;
    sum += v;
    sum2 += v * v;
  }
  return n > 1 ? Math.sqrt(Math.max(0, (sum2 - (sum * sum) / n) / (n - 1))) : 0;
}

/**
 * Scores one crop: `inserted` is the specks alone, `withSpecks`/`withoutSpecks`
 * the method's outputs for the same noisy input with and without them.
 */
export function scoreSpecks(
  specks: readonly Speck[],
  inserted: GrayImage,
  withSpecks: GrayImage,
  withoutSpecks: GrayImage,
  mask: Uint8Array | null,
): SpeckScore {
  const insertedResponse = matchedFilter(inserted);
  const keptResponse = matchedFilter(difference(withSpecks, withoutSpecks));
  let ratio = 0;
  let amplitude = 0;
  for (const s of specks) {
    const i = s.y * inserted.width + s.x;
    ratio += (keptResponse.data[i] as number) / (insertedResponse.data[i] as number);
    amplitude += keptResponse.data[i] as number;
  }
  const backgroundStd = maskedStd(matchedFilter(withoutSpecks), mask);
  const mean = amplitude / Math.max(1, specks.length);
  return {
    contrastKept: ratio / Math.max(1, specks.length),
    amplitude: mean,
    backgroundStd,
    cnr: backgroundStd > 0 ? mean / backgroundStd : Infinity,
  };
}
