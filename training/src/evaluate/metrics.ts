import { assertSameSize, gaussianKernel1d, type GrayImage } from './image';

/**
 * Peak signal-to-noise ratio in dB, 10·log10(max² / MSE), as
 * skimage.metrics.peak_signal_noise_ratio with data_range = max.
 * Identical images have MSE 0 and give Infinity (numpy's answer too), so callers
 * averaging PSNR over a set must decide what to do with a perfect reconstruction.
 */
export function psnr(reference: GrayImage, test: GrayImage, max = 255): number {
  assertSameSize(reference, test);
  const a = reference.data;
  const b = test.data;
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) {
    const d = a[i] - b[i];
    sum += d * d;
  }
  const mse = sum / a.length;
  return mse === 0 ? Infinity : 10 * Math.log10((max * max) / mse);
}

export interface SsimOptions {
  /** Dynamic range L of the pixel values (skimage's data_range). */
  readonly max?: number;
}

const SSIM_SIGMA = 1.5;
/** skimage's truncate 3.5 at sigma 1.5: int(3.5·1.5 + 0.5) = 5, an 11x11 window. */
const SSIM_RADIUS = 5;
const SSIM_K1 = 0.01;
const SSIM_K2 = 0.03;

/**
 * Mean SSIM of Wang et al. 2004 with an 11x11 Gaussian window (sigma 1.5), K1 0.01,
 * K2 0.03 and population (not sample) covariances. Equals
 * skimage.metrics.structural_similarity(reference, test, gaussian_weights=True,
 * sigma=1.5, use_sample_covariance=False, data_range=max): skimage filters with
 * reflect padding and then crops a 5-pixel border before averaging, so only
 * windows lying wholly inside the image count, which is exactly the 'valid'
 * region computed here without any padding. Images smaller than 11x11 throw.
 * Symmetric in its arguments.
 */
export function ssim(reference: GrayImage, test: GrayImage, options: SsimOptions = {}): number {
  assertSameSize(reference, test);
  const { width, height } = reference;
  const win = 2 * SSIM_RADIUS + 1;
  if (width < win || height < win) {
    throw new Error(`SSIM needs at least ${win}x${win} pixels, got ${width}x${height}`);
  }
  const max = options.max ?? 255;
  const c1 = (SSIM_K1 * max) ** 2;
  const c2 = (SSIM_K2 * max) ** 2;
  const taps = gaussianKernel1d(SSIM_SIGMA, SSIM_RADIUS);
  const a = reference.data;
  const b = test.data;
  const vw = width - win + 1;
  const vh = height - win + 1;

  // Horizontal pass over every row, valid columns only; all five moments share the reads.
  const hx = new Float64Array(height * vw);
  const hy = new Float64Array(height * vw);
  const hxx = new Float64Array(height * vw);
  const hyy = new Float64Array(height * vw);
  const hxy = new Float64Array(height * vw);
  for (let y = 0; y < height; y += 1) {
    const row = y * width;
    const out = y * vw;
    for (let x = 0; x < vw; x += 1) {
      let sx = 0;
      let sy = 0;
      let sxx = 0;
      let syy = 0;
      let sxy = 0;
      for (let k = 0; k < win; k += 1) {
        const w = taps[k];
        const p = a[row + x + k];
        const q = b[row + x + k];
        sx += w * p;
        sy += w * q;
        sxx += w * p * p;
        syy += w * q * q;
        sxy += w * p * q;
      }
      hx[out + x] = sx;
      hy[out + x] = sy;
      hxx[out + x] = sxx;
      hyy[out + x] = syy;
      hxy[out + x] = sxy;
    }
  }

  // Vertical pass row by row (cache-friendly), turning each valid row into SSIM values at once.
  const mx = new Float64Array(vw);
  const my = new Float64Array(vw);
  const mxx = new Float64Array(vw);
  const myy = new Float64Array(vw);
  const mxy = new Float64Array(vw);
  let total = 0;
  for (let y = 0; y < vh; y += 1) {
    mx.fill(0);
    my.fill(0);
    mxx.fill(0);
    myy.fill(0);
    mxy.fill(0);
    for (let k = 0; k < win; k += 1) {
      const w = taps[k];
      const src = (y + k) * vw;
      for (let x = 0; x < vw; x += 1) {
        mx[x] += w * hx[src + x];
        my[x] += w * hy[src + x];
        mxx[x] += w * hxx[src + x];
        myy[x] += w * hyy[src + x];
        mxy[x] += w * hxy[src + x];
      }
    }
    for (let x = 0; x < vw; x += 1) {
      const ux = mx[x];
      const uy = my[x];
      const vx = mxx[x] - ux * ux;
      const vy = myy[x] - uy * uy;
      const vxy = mxy[x] - ux * uy;
      total += ((2 * ux * uy + c1) * (2 * vxy + c2)) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
    }
  }
  return total / (vw * vh);
}
