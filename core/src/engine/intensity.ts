import {
  BACKGROUND_FRACTION,
  EIGHT_BIT_MAX,
  EIGHT_BIT_TISSUE_THRESHOLD,
  HIGH_PERCENTILE,
  LOW_PERCENTILE,
  MAP_EDGE_WIDENING,
} from '../contract/modelSpace';
import type { StoredImage, StoredPixelArray } from './types';

/**
 * Maps stored pixel values to the model's input space and back.
 *
 * The model was trained on 8-bit film scans divided by 255, dense tissue
 * bright (the constants are the model contract's: contract/modelSpace.ts). So:
 * - BitsStored ≤ 8: x = v / 255 (MONOCHROME1: (255 − v) / 255), as in training.
 * - Higher bit depths: a per-image linear map taking the 0.5th and 99.5th
 *   percentiles of the breast's pixels (those above 10% of the robust
 *   intensity range), widened by half a stored unit each side, to 0 and 1,
 *   after orienting values so dense tissue is bright (MONOCHROME1 inverted; a
 *   negative rescale slope flips again). Float, not clipped: values outside
 *   the range stay outside. The half unit means no stored value lands on
 *   exactly 0 or 1, the two values the default model's impulse switch reserves
 *   for 8-bit black and white, so the switch never fires on such images.
 * The inverse is exact up to rounding, then clamped to the stored type, so an
 * image that is not changed by the model comes back bit-identical. The map
 * depends only on the stored pixels, never on the window the user set, so
 * changing window/level never re-runs the model.
 */
export interface IntensityMap {
  /** Oriented stored value at model 0 and model 1. */
  readonly low: number;
  readonly high: number;
  /** true: oriented value = −stored. */
  readonly inverted: boolean;
  readonly minStored: number;
  readonly maxStored: number;
  /** Model-space value below which a pixel is background (film or air), used to skip empty tiles. */
  readonly tissueThreshold: number;
  readonly method: 'fixed-8-bit' | 'percentile';
}

export function storedRange(bitsStored: number, signed: boolean): { min: number; max: number } {
  if (!Number.isInteger(bitsStored) || bitsStored < 1 || bitsStored > 16)
    throw new RangeError(`BitsStored ${bitsStored} is outside 1..16; only 8- to 16-bit greyscale is supported`);
  return signed
    ? { min: -(2 ** (bitsStored - 1)), max: 2 ** (bitsStored - 1) - 1 }
    : { min: 0, max: 2 ** bitsStored - 1 };
}

function isInverted(image: StoredImage): boolean {
  // MONOCHROME1: low values are bright. A negative slope flips the meaning once more.
  return (image.photometricInterpretation === 'MONOCHROME1') !== image.rescaleSlope < 0;
}

// The breast is what lies above BACKGROUND_FRACTION of the robust range. (Otsu's method was tried and
// rejected: on a broad tissue histogram it cuts into the fatty tissue.)

/** Samples at most ~1M pixels on a regular grid: percentiles of a 25 MP image do not need all of them. */
function sampleOriented(pixels: StoredPixelArray, inverted: boolean): Float64Array {
  const stride = Math.max(1, Math.floor(pixels.length / 1_000_000));
  const out = new Float64Array(Math.ceil(pixels.length / stride));
  for (let i = 0, j = 0; i < pixels.length; i += stride, j += 1)
    out[j] = inverted ? -(pixels[i] as number) : (pixels[i] as number);
  return out;
}

function percentile(sorted: Float64Array, p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))));
  return sorted[index] as number;
}

export function computeIntensityMap(image: StoredImage): IntensityMap {
  const { min, max } = storedRange(image.bitsStored, image.signed);
  const inverted = isInverted(image);
  if (image.bitsStored <= 8 && !image.signed) {
    return inverted
      ? {
          low: -EIGHT_BIT_MAX,
          high: 0,
          inverted,
          minStored: min,
          maxStored: max,
          tissueThreshold: EIGHT_BIT_TISSUE_THRESHOLD,
          method: 'fixed-8-bit',
        }
      : {
          low: 0,
          high: EIGHT_BIT_MAX,
          inverted,
          minStored: min,
          maxStored: max,
          tissueThreshold: EIGHT_BIT_TISSUE_THRESHOLD,
          method: 'fixed-8-bit',
        };
  }
  const sample = sampleOriented(image.pixels, inverted).sort();
  const lo = percentile(sample, 0.001);
  const hi = percentile(sample, 0.999);
  const threshold = lo + BACKGROUND_FRACTION * (hi - lo);
  const tissue = sample.filter((v) => v >= threshold);
  // Stored values are integers: half-unit edges keep every one of them off 0 and 1 (and a flat image invertible).
  const low = (tissue.length > 0 ? percentile(tissue, LOW_PERCENTILE) : lo) - MAP_EDGE_WIDENING;
  const high = (tissue.length > 0 ? percentile(tissue, HIGH_PERCENTILE) : hi) + MAP_EDGE_WIDENING;
  return {
    low,
    high,
    inverted,
    minStored: min,
    maxStored: max,
    tissueThreshold: (threshold - low) / (high - low),
    method: 'percentile',
  };
}

/** Model-space value of one stored value. */
export function toModel(map: IntensityMap, stored: number): number {
  const oriented = map.inverted ? -stored : stored;
  return (oriented - map.low) / (map.high - map.low);
}

/** Stored value for one model-space value: exact inverse, rounded, clamped to the stored type. */
export function toStored(map: IntensityMap, value: number): number {
  const oriented = map.low + value * (map.high - map.low);
  // + 0 turns the -0 of an inverted zero into 0.
  const stored = Math.round(map.inverted ? -oriented : oriented) + 0;
  return stored < map.minStored ? map.minStored : stored > map.maxStored ? map.maxStored : stored;
}

/** A new typed array of the same kind and length as `like`. */
export function sameTypeArray(like: StoredPixelArray, length = like.length): StoredPixelArray {
  const Ctor = like.constructor as new (n: number) => StoredPixelArray;
  return new Ctor(length);
}
