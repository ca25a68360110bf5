import { reflectIndex } from '../data/reflect';

/**
 * A single-channel image for evaluation: row-major, values on the 0..255 scale.
 * Kept framework-free so metrics and baseline filters run without TensorFlow.
 */
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

export function createImage(width: number, height: number, data?: Float32Array): GrayImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`image size must be positive integers, got ${width}x${height}`);
  }
  const pixels = data ?? new Float32Array(width * height);
  if (pixels.length !== width * height) {
    throw new Error(`data has ${pixels.length} values, expected ${width}x${height}=${width * height}`);
  }
  return { width, height, data: pixels };
}

export function assertSameSize(a: GrayImage, b: GrayImage): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new Error(`image sizes differ: ${a.width}x${a.height} vs ${b.width}x${b.height}`);
  }
}

/** Reflected indices for positions -pad .. n-1+pad, so inner loops need no branches. */
export function reflectedIndices(n: number, pad: number): Int32Array {
  const out = new Int32Array(n + 2 * pad);
  for (let k = 0; k < out.length; k += 1) out[k] = reflectIndex(k - pad, n);
  return out;
}

/** The image padded by `pad` on every side with reflect borders, in float64 for accumulation. */
export function padReflect(image: GrayImage, pad: number): { width: number; height: number; data: Float64Array } {
  const { width, height, data } = image;
  const xs = reflectedIndices(width, pad);
  const ys = reflectedIndices(height, pad);
  const pw = width + 2 * pad;
  const ph = height + 2 * pad;
  const out = new Float64Array(pw * ph);
  for (let y = 0; y < ph; y += 1) {
    const src = ys[y] * width;
    const dst = y * pw;
    for (let x = 0; x < pw; x += 1) out[dst + x] = data[src + xs[x]];
  }
  return { width: pw, height: ph, data: out };
}

/**
 * Normalised 1-D Gaussian taps exp(-k²/2σ²) for k = -radius..radius (sum 1), the
 * same taps scipy.ndimage.gaussian_filter1d uses for a given radius.
 */
export function gaussianKernel1d(sigma: number, radius: number): Float64Array {
  const taps = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let k = -radius; k <= radius; k += 1) {
    const w = Math.exp((-0.5 * k * k) / (sigma * sigma));
    taps[k + radius] = w;
    sum += w;
  }
  for (let k = 0; k < taps.length; k += 1) taps[k] /= sum;
  return taps;
}
