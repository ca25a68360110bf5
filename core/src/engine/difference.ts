import type { StoredImage } from './types';

/**
 * Compare's difference view: what denoising changed, as the radiologist sees
 * it. A removed calcification or a blurred edge shows as a bright or dark
 * spot on a mid-grey field; noise shows as fine texture.
 */
export interface DifferenceImage {
  /**
   * Per pixel, how much brighter the denoised image displays than the
   * original, in modality units (after Rescale Slope/Intercept); 0 = unchanged.
   * MONOCHROME1 is flipped so that positive always means brighter on screen.
   * 16-bit integers when every value is one that fits (the usual case: an
   * integer slope), otherwise floats: a 5355x4915 difference is 53 MB, not 105.
   */
  readonly values: Int16Array | Float32Array;
  /** The window to show it with: -halfWindow..+halfWindow spans black..white, 0 is mid-grey. */
  readonly halfWindow: number;
  /** The largest change, modality units. */
  readonly maxAbs: number;
  /** How many pixels changed at all. */
  readonly changed: number;
}

/**
 * Changes of at most this percentile of all non-zero changes stay inside the
 * window: noise-sized changes keep full contrast while the few largest ones
 * (edges, removed specks) saturate to black or white and so stand out.
 */
export const DIFFERENCE_WINDOW_PERCENTILE = 99.5;

/**
 * Histogram bins for |stored difference|; larger differences share the last bin (only the window's precision suffers).
 */
const MAX_HISTOGRAM_BINS = 1 << 20;

/**
 * The pixels differenceImage reads: stored values, or any values linear in
 * them with `rescaleSlope` turning a step into modality units (a viewer's
 * pre-scaled array with slope 1), so no copy of a large image is needed.
 */
export type DifferenceSource = Pick<StoredImage, 'width' | 'height' | 'photometricInterpretation' | 'rescaleSlope'> & {
  readonly pixels: ArrayLike<number>;
};

const INT16_MAX = 32767;

export function differenceImage(original: DifferenceSource, denoised: ArrayLike<number>): DifferenceImage {
  const { pixels, width, height } = original;
  if (pixels.length !== width * height)
    throw new RangeError(`the original holds ${pixels.length} values for a ${width}x${height} image`);
  if (denoised.length !== pixels.length)
    throw new RangeError(
      `the denoised image holds ${denoised.length} values, the original ${pixels.length}: they are not the same image`,
    );
  const slope = original.rescaleSlope;
  const brighter = (original.photometricInterpretation === 'MONOCHROME1' ? -1 : 1) * slope;
  let maxStored = 0;
  let changed = 0;
  let integral = Number.isInteger(brighter);
  for (let i = 0; i < pixels.length; i += 1) {
    const d = (denoised[i] as number) - (pixels[i] as number);
    if (d !== 0) {
      changed += 1;
      const a = Math.abs(d);
      if (a > maxStored) maxStored = a;
      if (integral && !Number.isInteger(d)) integral = false;
    }
  }
  const values =
    integral && maxStored * Math.abs(brighter) <= INT16_MAX
      ? new Int16Array(pixels.length)
      : new Float32Array(pixels.length);
  if (changed > 0) {
    for (let i = 0; i < pixels.length; i += 1) {
      const d = (denoised[i] as number) - (pixels[i] as number);
      if (d !== 0) values[i] = d * brighter;
    }
  }
  const unit = Math.abs(slope);
  return {
    values,
    halfWindow: unit * Math.max(1, percentileOfChanges(pixels, denoised, changed, maxStored)),
    maxAbs: unit * maxStored,
    changed,
  };
}

/**
 * The window percentile of |denoised - original| over changed pixels,
 * in stored units, from a histogram (no sort of millions of values).
 */
function percentileOfChanges(
  pixels: ArrayLike<number>,
  denoised: ArrayLike<number>,
  changed: number,
  maxStored: number,
): number {
  if (changed === 0) return 0;
  const bins = Math.min(Math.ceil(maxStored), MAX_HISTOGRAM_BINS - 1) + 1;
  const histogram = new Uint32Array(bins);
  for (let i = 0; i < pixels.length; i += 1) {
    const a = Math.abs((denoised[i] as number) - (pixels[i] as number));
    if (a !== 0) histogram[Math.min(Math.ceil(a), bins - 1)] += 1;
  }
  const rank = Math.ceil((DIFFERENCE_WINDOW_PERCENTILE / 100) * changed);
  let seen = 0;
  for (let bin = 1; bin < bins; bin += 1) {
    seen += histogram[bin] as number;
    if (seen >= rank) return bin;
  }
  return bins - 1;
}
