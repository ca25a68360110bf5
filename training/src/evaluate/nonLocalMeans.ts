import { createImage, padReflect, type GrayImage } from './image';

/** 7x7 patches. */
export const NLM_PATCH_RADIUS = 3;
/** 21x21 search window. */
export const NLM_SEARCH_RADIUS = 10;
/** Filtering parameter h = 0.4·sigma, the IPOL (Buades, Coll & Morel 2011) value. */
export const NLM_H_FACTOR = 0.4;

/**
 * Weights below exp(-30) ≈ 1e-13 are set to 0; next to the pixel's own weight of 1
 * they cannot move the result.
 */
const MAX_EXPONENT = 30;
/**
 * Math.exp costs ~15 ns in V8, too much at ~2.4e8 weights per megapixel, so weights
 * come from a linearly interpolated table over the patch SSD. At this size the
 * step is about 0.005 in the exponent, a relative weight error of a few 1e-6.
 */
const WEIGHT_TABLE_SIZE = 8192;

/** w(ssd) = exp(-max(ssd/patchSize - 2σ², 0) / h²) sampled on 0..ssdMax, then 0. */
function weightTable(sigma: number, patchSize: number): { table: Float64Array; toIndex: number } {
  const bias = 2 * sigma * sigma;
  const h2 = (NLM_H_FACTOR * sigma) ** 2;
  const ssdMax = patchSize * (bias + MAX_EXPONENT * h2);
  const table = new Float64Array(WEIGHT_TABLE_SIZE + 2);
  for (let i = 0; i < WEIGHT_TABLE_SIZE; i += 1) {
    const ssd = (i / WEIGHT_TABLE_SIZE) * ssdMax;
    table[i] = Math.exp(-Math.max(ssd / patchSize - bias, 0) / h2);
  }
  return { table, toIndex: WEIGHT_TABLE_SIZE / ssdMax };
}

/**
 * Pixelwise non-local means given the true noise sigma (0..255 scale), in the
 * parameterisation of Buades, Coll & Morel, "Non-Local Means Denoising", IPOL 2011:
 * d² is the mean squared difference of two 7x7 patches (uniform patch weights),
 * the weight is exp(-max(d² - 2σ², 0) / h²) with h = 0.4σ, every pixel of the
 * 21x21 search window (the centre included, weight 1) contributes, and the output
 * is the weighted mean of the centre pixels. Reflect borders.
 *
 * Runs as the fast offset-by-offset form (Darbon et al. 2008, also skimage's fast
 * mode): for each search offset the squared-difference image is box-summed with
 * running sums, and since d²(p, p+o) = d²(p+o, p) each offset and its opposite
 * share one pass. Sigma 0 returns an unchanged copy (h would be 0).
 */
export function nonLocalMeans(image: GrayImage, sigma: number): GrayImage {
  if (!(sigma >= 0) || !Number.isFinite(sigma)) throw new Error(`sigma must be finite and >= 0, got ${sigma}`);
  const { width, height, data } = image;
  if (sigma === 0) return createImage(width, height, new Float32Array(data));

  const f = NLM_PATCH_RADIUS;
  const t = NLM_SEARCH_RADIUS;
  const pad = f + t;
  const padded = padReflect(image, pad);
  const src = padded.data;
  const pw = padded.width;
  const { table, toIndex } = weightTable(sigma, (2 * f + 1) * (2 * f + 1));

  // The centre offset: weight 1, value the pixel itself.
  const weightSum = new Float64Array(width * height).fill(1);
  const valueSum = Float64Array.from(data);

  const maxCols = width + t;
  const diffRow = new Float64Array(maxCols + 2 * f);
  const rowSums = new Float64Array((height + t + 2 * f) * maxCols);
  const colSum = new Float64Array(maxCols);
  const weights = new Float64Array(maxCols);

  // Half of the offsets; the other half is covered by symmetry.
  for (let dy = 0; dy <= t; dy += 1) {
    for (let dx = -t; dx <= t; dx += 1) {
      if (dy === 0 && dx <= 0) continue;
      // p ranges over every pixel that is an output pixel (p) or whose partner p+o is one.
      const x0 = Math.min(0, -dx);
      const cols = width + Math.abs(dx);
      const y0 = -dy;
      const rows = height + dy;

      // Horizontal 7-wide sums of (I(p) - I(p+o))² for rows y0-f .. y0+rows-1+f.
      for (let r = 0; r < rows + 2 * f; r += 1) {
        const a = (y0 - f + r + pad) * pw + x0 - f + pad;
        const b = a + dy * pw + dx;
        for (let c = 0; c < cols + 2 * f; c += 1) {
          const d = src[a + c] - src[b + c];
          diffRow[c] = d * d;
        }
        let s = 0;
        for (let c = 0; c < 2 * f; c += 1) s += diffRow[c];
        const out = r * cols;
        for (let c = 0; c < cols; c += 1) {
          s += diffRow[c + 2 * f];
          rowSums[out + c] = s;
          s -= diffRow[c];
        }
      }

      colSum.fill(0, 0, cols);
      for (let r = 0; r < 2 * f; r += 1) {
        const base = r * cols;
        for (let c = 0; c < cols; c += 1) colSum[c] += rowSums[base + c];
      }
      for (let i = 0; i < rows; i += 1) {
        const add = (i + 2 * f) * cols;
        const sub = i * cols;
        for (let c = 0; c < cols; c += 1) {
          const s = colSum[c] + rowSums[add + c];
          colSum[c] = s - rowSums[sub + c];
          const e = Math.min(s * toIndex, WEIGHT_TABLE_SIZE);
          const i0 = e | 0;
          const lo = table[i0];
          weights[c] = lo + (e - i0) * (table[i0 + 1] - lo);
        }
        const y = y0 + i;
        if (y >= 0) {
          // p = (x, y) is an output pixel; its partner is p + o.
          const o = y * width;
          const partner = (y + dy + pad) * pw + dx + pad;
          for (let x = 0; x < width; x += 1) {
            const w = weights[x - x0];
            weightSum[o + x] += w;
            valueSum[o + x] += w * src[partner + x];
          }
        }
        if (y + dy < height) {
          // p + o is an output pixel; its partner (offset -o) is p.
          const o = (y + dy) * width + dx;
          const partner = (y + pad) * pw + pad;
          for (let x = -dx; x < width - dx; x += 1) {
            const w = weights[x - x0];
            weightSum[o + x] += w;
            valueSum[o + x] += w * src[partner + x];
          }
        }
      }
    }
  }

  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i += 1) out[i] = valueSum[i] / weightSum[i];
  return createImage(width, height, out);
}
