import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createImage, type GrayImage } from '../../training/src/evaluate/image';
import { psnr, ssim } from '../../training/src/evaluate/metrics';

// The same integer-only images as tests/reference/ssim_reference.py builds.
const W = 40;
const H = 32;

function baseImage(width = W, height = H): GrayImage {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) data[y * width + x] = 20 + 3 * x + 2 * y + 3 * ((7 * x + 13 * y) % 17);
  }
  return createImage(width, height, data);
}

function noisyImage(base: GrayImage): GrayImage {
  // LCG (Numerical Recipes constants), seed 12345; products stay below 2^53, so exact.
  let state = 12345;
  const data = new Float32Array(base.data);
  for (let i = 0; i < data.length; i += 1) {
    state = (1664525 * state + 1013904223) % 2 ** 32;
    data[i] = Math.min(255, Math.max(0, data[i] + Math.floor((state * 61) / 2 ** 32) - 30));
  }
  return createImage(base.width, base.height, data);
}

function contrastImage(base: GrayImage): GrayImage {
  return createImage(
    base.width,
    base.height,
    base.data.map((v) => Math.floor((3 * v) / 4) + 30),
  );
}

function crop(image: GrayImage, width: number, height: number): GrayImage {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y += 1)
    data.set(image.data.subarray(y * image.width, y * image.width + width), y * width);
  return createImage(width, height, data);
}

const sum = (image: GrayImage): number => image.data.reduce((s, v) => s + v, 0);

const base = baseImage();
const noisy = noisyImage(base);
const contrast = contrastImage(base);

/**
 * Printed by `python3 tests/reference/ssim_reference.py` (numpy 2.4, direct
 * per-window sums of the paper's formulas). A scipy replica of skimage's
 * structural_similarity agreed with these to 1e-15.
 */
const REFERENCE = {
  noisySum: 171049,
  contrastSum: 166082,
  ssimBaseNoisy: 0.6455342974687733,
  ssimBaseContrast: 0.9634905965453342,
  ssimNoisyContrast: 0.5769144864928702,
  ssimBaseNoisyL100: 0.6223661159275847,
  ssimBaseNoisyCrop13x11: 0.6563627717553321,
  psnrBaseNoisy: 23.32844287361693,
  psnrBaseContrast: 27.190762493567373,
  psnrBaseNoisyL100: 15.197639264937823,
};

const close = (actual: number, expected: number, tol = 1e-10): void => {
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} differs from ${expected} by more than ${tol}`);
};

test('the test images are the ones the reference script built', () => {
  assert.equal(sum(noisy), REFERENCE.noisySum);
  assert.equal(sum(contrast), REFERENCE.contrastSum);
});

test('psnr matches the numpy reference', () => {
  close(psnr(base, noisy), REFERENCE.psnrBaseNoisy);
  close(psnr(base, contrast), REFERENCE.psnrBaseContrast);
  close(psnr(base, noisy, 100), REFERENCE.psnrBaseNoisyL100);
});

test('ssim matches the numpy reference', () => {
  close(ssim(base, noisy), REFERENCE.ssimBaseNoisy);
  close(ssim(base, contrast), REFERENCE.ssimBaseContrast);
  close(ssim(noisy, contrast), REFERENCE.ssimNoisyContrast);
  close(ssim(base, noisy, { max: 100 }), REFERENCE.ssimBaseNoisyL100);
  close(ssim(crop(base, 13, 11), crop(noisy, 13, 11)), REFERENCE.ssimBaseNoisyCrop13x11);
});

test('psnr of a constant offset d is 20·log10(255/d)', () => {
  for (const d of [1, 3, 10, 42.5]) {
    const shifted = createImage(
      W,
      H,
      base.data.map((v) => v + d),
    );
    close(psnr(base, shifted), 20 * Math.log10(255 / d), 1e-9);
  }
});

test('psnr of identical images is Infinity', () => {
  assert.equal(psnr(base, createImage(W, H, new Float32Array(base.data))), Infinity);
});

test('ssim of an image with itself is 1', () => {
  close(ssim(base, base), 1, 1e-12);
  close(ssim(noisy, noisy), 1, 1e-12);
});

test('ssim is symmetric', () => {
  close(ssim(noisy, base), ssim(base, noisy), 1e-12);
  close(ssim(contrast, noisy), ssim(noisy, contrast), 1e-12);
});

test('metrics reject mismatched or too-small images and leave inputs alone', () => {
  const before = new Float32Array(noisy.data);
  psnr(base, noisy);
  ssim(base, noisy);
  assert.deepEqual(noisy.data, before);
  assert.throws(() => psnr(base, crop(base, 39, 32)), /sizes differ/);
  assert.throws(() => ssim(crop(base, 10, 32), crop(noisy, 10, 32)), /at least 11x11/);
});
