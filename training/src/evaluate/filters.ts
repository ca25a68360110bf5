import { createImage, gaussianKernel1d, padReflect, reflectedIndices, type GrayImage } from './image';
import { selectKth } from './select';

export { nonLocalMeans, NLM_PATCH_RADIUS, NLM_SEARCH_RADIUS, NLM_H_FACTOR } from './nonLocalMeans';

/** Sigma of the Gaussian-blur baseline in the evaluation table, in pixels. */
export const DEFAULT_GAUSSIAN_SIGMA = 1.0;

/**
 * scipy.ndimage.gaussian_filter's default truncate: the kernel reaches 4 sigma,
 * so results match scipy's for the same sigma (both use reflect borders).
 */
const GAUSSIAN_TRUNCATE = 4;

function checkOddWindow(size: number, name: string): void {
  if (!Number.isInteger(size) || size < 1 || size % 2 === 0) {
    throw new Error(`${name} must be a positive odd integer, got ${size}`);
  }
}

/** Offsets of a size x size window in a row-major buffer `stride` wide, centred on 0. */
function windowOffsets(size: number, stride: number): Int32Array {
  const r = (size - 1) / 2;
  const out = new Int32Array(size * size);
  let n = 0;
  for (let dy = -r; dy <= r; dy += 1) {
    for (let dx = -r; dx <= r; dx += 1) out[n++] = dy * stride + dx;
  }
  return out;
}

/** size x size median filter (3 and 5 are the evaluated baselines) with reflect borders. */
export function median(image: GrayImage, size = 3): GrayImage {
  checkOddWindow(size, 'median size');
  const { width, height } = image;
  const r = (size - 1) / 2;
  const padded = padReflect(image, r);
  const src = padded.data;
  const offsets = windowOffsets(size, padded.width);
  const count = size * size;
  const mid = (count - 1) / 2;
  const scratch = new Float64Array(count);
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const centre = (y + r) * padded.width + x + r;
      for (let k = 0; k < count; k += 1) scratch[k] = src[centre + offsets[k]];
      out[y * width + x] = selectKth(scratch, count, mid);
    }
  }
  return createImage(width, height, out);
}

/**
 * Hwang & Haddad's adaptive median filter, as set out in Gonzalez & Woods:
 * grow the window from 3x3 while its median equals its min or max (the median
 * itself is then probably an impulse); once it does not, keep the pixel unless
 * it is the window's min or max, in which case output the median. If the window
 * reaches maxWindow without a trustworthy median, output that largest median.
 * Reflect borders.
 */
export function adaptiveMedian(image: GrayImage, maxWindow = 7): GrayImage {
  checkOddWindow(maxWindow, 'maxWindow');
  if (maxWindow < 3) throw new Error(`maxWindow must be at least 3, got ${maxWindow}`);
  const { width, height } = image;
  const rMax = (maxWindow - 1) / 2;
  const padded = padReflect(image, rMax);
  const src = padded.data;
  const windows: Int32Array[] = [];
  for (let s = 3; s <= maxWindow; s += 2) windows.push(windowOffsets(s, padded.width));
  const scratch = new Float64Array(maxWindow * maxWindow);
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const centre = (y + rMax) * padded.width + x + rMax;
      const z = src[centre];
      let result = z;
      for (const offsets of windows) {
        const count = offsets.length;
        let lo = Infinity;
        let hi = -Infinity;
        for (let k = 0; k < count; k += 1) {
          const v = src[centre + offsets[k]];
          scratch[k] = v;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        const med = selectKth(scratch, count, (count - 1) / 2);
        result = med;
        if (lo < med && med < hi) {
          result = lo < z && z < hi ? z : med;
          break;
        }
      }
      out[y * width + x] = result;
    }
  }
  return createImage(width, height, out);
}

/**
 * Separable Gaussian blur with reflect borders and a kernel truncated at 4 sigma
 * (scipy.ndimage.gaussian_filter's defaults). The evaluation uses
 * DEFAULT_GAUSSIAN_SIGMA. Sigma 0 returns an unchanged copy.
 */
export function gaussianFilter(image: GrayImage, sigma = DEFAULT_GAUSSIAN_SIGMA): GrayImage {
  if (!(sigma >= 0) || !Number.isFinite(sigma)) throw new Error(`sigma must be finite and >= 0, got ${sigma}`);
  const { width, height, data } = image;
  if (sigma === 0) return createImage(width, height, new Float32Array(data));
  const radius = Math.floor(GAUSSIAN_TRUNCATE * sigma + 0.5);
  const taps = gaussianKernel1d(sigma, radius);
  const xs = reflectedIndices(width, radius);
  const ys = reflectedIndices(height, radius);
  const tmp = new Float64Array(width * height);
  for (let y = 0; y < height; y += 1) {
    const row = y * width;
    for (let x = 0; x < width; x += 1) {
      let s = 0;
      for (let k = 0; k < taps.length; k += 1) s += taps[k] * data[row + xs[x + k]];
      tmp[row + x] = s;
    }
  }
  const out = new Float32Array(width * height);
  const acc = new Float64Array(width);
  for (let y = 0; y < height; y += 1) {
    acc.fill(0);
    for (let k = 0; k < taps.length; k += 1) {
      const w = taps[k];
      const src = ys[y + k] * width;
      for (let x = 0; x < width; x += 1) acc[x] += w * tmp[src + x];
    }
    out.set(acc, y * width);
  }
  return createImage(width, height, out);
}
