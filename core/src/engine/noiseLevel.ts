import type { IntensityMap } from './intensity';
import type { StoredImage } from './types';

/**
 * Noise level function (NLF): the noise standard deviation of an image as a
 * function of the local mean, estimated from the image itself.
 *
 * Noise in a processed (For Presentation) digital mammogram is mostly quantum
 * noise pushed through the scanner's processing, so it depends on the signal:
 * one sigma per image is wrong by a factor of two or more between the skin
 * line and dense tissue. The estimate follows Immerkaer (1996): the 3x3
 * kernel [1 -2 1; -2 4 -2; 1 -2 1] cancels constant and linear intensity
 * (smooth anatomy), and for white noise of std sigma its response has std 6
 * sigma. Responses are binned by the pixel's 3x3 mean over the breast's
 * intensity range, and each bin's sigma is the median absolute response times
 * 1.4826 / 6 (a robust estimate: edges and texture are the minority of
 * pixels in a bin). Responses of integer stored values are integers, so each
 * bin keeps a histogram, which makes the median exact, deterministic and one
 * pass over the image.
 *
 * Processed images have slightly correlated noise; this estimator measures
 * the noise in the kernel's high-frequency band as if it were white. Training
 * and the engine use the same estimator, so the model is conditioned on the
 * very number the engine will hand it.
 */
export interface NoiseLevelFunction {
  /** Bin centres, in oriented stored units (dense tissue bright), ascending. */
  readonly means: readonly number[];
  /** Noise std in stored units at each bin centre. */
  readonly sigmas: readonly number[];
  /** Pixels that contributed (inside the breast, 3x3 neighbourhood all tissue). */
  readonly samples: number;
}

export const NLF_BINS = 16;
/** Bins with fewer pixels than this borrow their sigma from their neighbours. */
export const NLF_MIN_BIN_SAMPLES = 400;
/** Immerkaer's kernel response std per unit of white-noise std. */
const KERNEL_GAIN = 6;
const MAD_TO_STD = 1.4826;
/** Histogram length of |response|; larger responses (edges) count in the last cell. */
const HISTOGRAM_CELLS = 1 << 14;

/**
 * Estimates the NLF of a stored image over the breast (pixels at or above the
 * map's tissue threshold). Runs once per image, on every pixel, in one pass.
 */
export function estimateNoiseLevel(image: StoredImage, map: IntensityMap): NoiseLevelFunction {
  const { width, height, pixels } = image;
  const sign = map.inverted ? -1 : 1;
  const threshold = map.low + map.tissueThreshold * (map.high - map.low);
  const span = map.high - map.low;
  const histograms = Array.from({ length: NLF_BINS }, () => new Uint32Array(HISTOGRAM_CELLS));
  const counts = new Uint32Array(NLF_BINS);
  // Pixels whose whole 3x3 neighbourhood is tissue: a tissue mask, eroded along rows, then along columns.
  const tissue = new Uint8Array(width * height);
  for (let i = 0; i < tissue.length; i += 1) tissue[i] = sign * (pixels[i] as number) >= threshold ? 1 : 0;
  const rows3 = new Uint8Array(width * height);
  for (let i = 1; i < tissue.length - 1; i += 1)
    rows3[i] = (tissue[i - 1] as number) & (tissue[i] as number) & (tissue[i + 1] as number);
  let samples = 0;
  for (let y = 1; y < height - 1; y += 1) {
    const row = y * width;
    for (let x = 1; x < width - 1; x += 1) {
      const i = row + x;
      if (((rows3[i - width] as number) & (rows3[i] as number) & (rows3[i + width] as number)) === 0) continue;
      const a = pixels[i - width - 1] as number,
        b = pixels[i - width] as number,
        c = pixels[i - width + 1] as number;
      const d = pixels[i - 1] as number,
        e = pixels[i] as number,
        f = pixels[i + 1] as number;
      const g = pixels[i + width - 1] as number,
        h = pixels[i + width] as number,
        k = pixels[i + width + 1] as number;
      const mean = (sign * (a + b + c + d + e + f + g + h + k)) / 9;
      const bin = Math.min(NLF_BINS - 1, Math.max(0, Math.floor(((mean - map.low) / span) * NLF_BINS)));
      const response = Math.abs(a + c + g + k - 2 * (b + d + f + h) + 4 * e);
      (histograms[bin] as Uint32Array)[response < HISTOGRAM_CELLS ? response : HISTOGRAM_CELLS - 1] += 1;
      counts[bin] += 1;
      samples += 1;
    }
  }
  const means: number[] = [];
  const sigmas: number[] = [];
  for (let bin = 0; bin < NLF_BINS; bin += 1) {
    const count = counts[bin] as number;
    if (count < NLF_MIN_BIN_SAMPLES) continue;
    means.push(map.low + ((bin + 0.5) / NLF_BINS) * span);
    sigmas.push((MAD_TO_STD * histogramMedian(histograms[bin] as Uint32Array, count)) / KERNEL_GAIN);
  }
  return { means, sigmas, samples };
}

/** Median of the values a histogram counts (the mean of the two middle values for an even count). */
function histogramMedian(histogram: Uint32Array, count: number): number {
  const lowRank = Math.floor((count - 1) / 2);
  const highRank = Math.floor(count / 2);
  let seen = 0;
  let low = -1;
  for (let value = 0; value < histogram.length; value += 1) {
    seen += histogram[value] as number;
    if (low < 0 && seen > lowRank) low = value;
    if (seen > highRank) return (low + value) / 2;
  }
  return histogram.length - 1;
}

/**
 * Noise std at an oriented local mean: linear between bin centres, constant beyond the end bins; 0 for an empty NLF.
 */
export function noiseSigmaAt(nlf: NoiseLevelFunction, mean: number): number {
  const { means, sigmas } = nlf;
  const n = means.length;
  if (n === 0) return 0;
  if (mean <= (means[0] as number)) return sigmas[0] as number;
  if (mean >= (means[n - 1] as number)) return sigmas[n - 1] as number;
  let hi = 1;
  while ((means[hi] as number) < mean) hi += 1;
  const m0 = means[hi - 1] as number,
    m1 = means[hi] as number;
  const t = (mean - m0) / (m1 - m0);
  return (sigmas[hi - 1] as number) * (1 - t) + (sigmas[hi] as number) * t;
}

/**
 * The NLF in the model's intensity space: the same linear map as the pixels
 * (means mapped, sigmas divided by the map's span), so a model conditioned on
 * it never sees stored units. This is the noise-map convention of the model
 * contract (DECISIONS: estimated on stored values, handed over in model space).
 */
export function noiseLevelInModelSpace(nlf: NoiseLevelFunction, map: IntensityMap): NoiseLevelFunction {
  const span = map.high - map.low;
  return {
    means: nlf.means.map((m) => (m - map.low) / span),
    sigmas: nlf.sigmas.map((s) => s / span),
    samples: nlf.samples,
  };
}

/** Scales every sigma, e.g. the noise a dose fraction d adds up to (1/sqrt(d)), or a strength. */
export function scaleNoiseLevel(nlf: NoiseLevelFunction, factor: number): NoiseLevelFunction {
  return { ...nlf, sigmas: nlf.sigmas.map((s) => s * factor) };
}

/**
 * The per-pixel noise map a noise-conditioned model takes next to the image:
 * strength x NLF(3x3 mean) for every pixel, all in model space. `values` holds
 * the model-space image with a one-pixel margin on every side ((width + 2) x
 * (height + 2), row-major), so a tile's map equals the whole image's there.
 */
export function noiseMap(
  values: Float32Array,
  width: number,
  height: number,
  nlfModel: NoiseLevelFunction,
  strength = 1,
): Float32Array {
  const stride = width + 2;
  if (values.length !== stride * (height + 2))
    throw new RangeError(
      `noise map: expected ${stride}x${height + 2} values with a 1-pixel margin, got ${values.length}`,
    );
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const i = (y + 1) * stride + x + 1;
      const sum =
        (values[i - stride - 1] as number) +
        (values[i - stride] as number) +
        (values[i - stride + 1] as number) +
        (values[i - 1] as number) +
        (values[i] as number) +
        (values[i + 1] as number) +
        (values[i + stride - 1] as number) +
        (values[i + stride] as number) +
        (values[i + stride + 1] as number);
      out[y * width + x] = strength * noiseSigmaAt(nlfModel, sum / 9);
    }
  }
  return out;
}
