import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  computeIntensityMap,
  estimateNoiseLevel,
  noiseLevelInModelSpace,
  noiseMap,
  noiseSigmaAt,
  type StoredImage,
} from '@mammo-denoise/core';
import { Random } from '../../../training/src/data/random';

/**
 * Noise std, in stored units, that the synthetic breast carries
 * at a (MONOCHROME2) mean: quantum-like, growing with the signal.
 */
const trueSigma = (mean: number): number => 4 + 0.008 * mean;

/**
 * A 12-bit breast phantom: air (value 60) on the left fifth, tissue whose
 * mean rises smoothly from 700 to 3500 with a gentle bump (anatomy the
 * estimator must not mistake for noise), plus Gaussian noise of trueSigma(mean).
 */
function phantom(
  photometric: 'MONOCHROME1' | 'MONOCHROME2',
  width = 640,
  height = 480,
): { image: StoredImage; means: Float64Array } {
  const random = Random.fromSeed(`nlf-${photometric}`);
  const pixels = new Uint16Array(width * height);
  const means = new Float64Array(width * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const i = y * width + x;
      const air = x < width / 5;
      const t = (x - width / 5) / (width * 0.8);
      const mean = air ? 60 : 700 + 2800 * t + 150 * Math.sin(y / 40) * Math.cos(x / 55);
      means[i] = mean;
      const value = Math.round(mean + (air ? 2 : trueSigma(mean)) * random.normal());
      const clamped = Math.max(0, Math.min(4095, value));
      pixels[i] = photometric === 'MONOCHROME1' ? 4095 - clamped : clamped;
    }
  }
  return {
    image: {
      width,
      height,
      pixels,
      bitsStored: 12,
      signed: false,
      photometricInterpretation: photometric,
      rescaleSlope: 1,
      rescaleIntercept: 0,
    },
    means,
  };
}

for (const photometric of ['MONOCHROME2', 'MONOCHROME1'] as const) {
  test(`${photometric}: the NLF of signal-dependent Gaussian noise is within 10% of the truth in every bin`, () => {
    const { image } = phantom(photometric);
    const map = computeIntensityMap(image);
    const nlf = estimateNoiseLevel(image, map);
    assert.ok(nlf.means.length >= 8, `only ${nlf.means.length} bins were estimated`);
    for (let b = 0; b < nlf.means.length; b += 1) {
      // Oriented means: MONOCHROME1 is inverted (oriented = -stored = mean - 4095).
      const oriented = nlf.means[b] as number;
      const mono2Mean = photometric === 'MONOCHROME1' ? oriented + 4095 : oriented;
      const expected = trueSigma(mono2Mean);
      const got = nlf.sigmas[b] as number;
      assert.ok(
        Math.abs(got - expected) / expected < 0.1,
        `bin at ${mono2Mean.toFixed(0)}: estimated ${got.toFixed(2)}, true ${expected.toFixed(2)}`,
      );
    }
  });
}

test('the estimate is deterministic and ignores the air around the breast', () => {
  const { image } = phantom('MONOCHROME2');
  const map = computeIntensityMap(image);
  const a = estimateNoiseLevel(image, map);
  const b = estimateNoiseLevel(image, map);
  assert.deepEqual(a, b);
  // Air (value ~60, std 2) never enters a bin: the lowest bin centre sits in tissue.
  assert.ok((a.means[0] as number) > 600);
});

test('noiseSigmaAt interpolates between bins and holds the end values', () => {
  const nlf = { means: [0, 10, 20], sigmas: [1, 3, 2], samples: 1000 };
  assert.equal(noiseSigmaAt(nlf, -5), 1);
  assert.equal(noiseSigmaAt(nlf, 5), 2);
  assert.equal(noiseSigmaAt(nlf, 15), 2.5);
  assert.equal(noiseSigmaAt(nlf, 99), 2);
  assert.equal(noiseSigmaAt({ means: [], sigmas: [], samples: 0 }, 3), 0);
});

test('the model-space noise map is strength x NLF(3x3 mean), and a tile with a margin equals the whole image', () => {
  const { image } = phantom('MONOCHROME2', 64, 48);
  const map = computeIntensityMap(image);
  const nlfModel = noiseLevelInModelSpace(estimateNoiseLevel(image, map), map);
  const span = map.high - map.low;
  // Whole image with a reflected 1-pixel margin.
  const w = image.width,
    h = image.height;
  const reflect = (i: number, n: number): number => (i < 0 ? -i : i >= n ? 2 * n - 2 - i : i);
  const values = new Float32Array((w + 2) * (h + 2));
  for (let y = -1; y <= h; y += 1)
    for (let x = -1; x <= w; x += 1)
      values[(y + 1) * (w + 2) + x + 1] =
        ((image.pixels[reflect(y, h) * w + reflect(x, w)] as number) - map.low) / span;
  const whole = noiseMap(values, w, h, nlfModel, 1.5);
  // A 10x8 tile at (20, 30), cut from the same margin image.
  const tile = new Float32Array(12 * 10);
  for (let y = 0; y < 10; y += 1)
    for (let x = 0; x < 12; x += 1) tile[y * 12 + x] = values[(30 + y) * (w + 2) + 20 + x] as number;
  const tileMap = noiseMap(tile, 10, 8, nlfModel, 1.5);
  for (let y = 0; y < 8; y += 1)
    for (let x = 0; x < 10; x += 1) assert.equal(tileMap[y * 10 + x], whole[(30 + y) * w + 20 + x]);
  const i = 20 * w + 40;
  let sum = 0;
  for (let dy = -1; dy <= 1; dy += 1)
    for (let dx = -1; dx <= 1; dx += 1) sum += values[(21 + dy) * (w + 2) + 41 + dx] as number;
  assert.ok(Math.abs((whole[i] as number) - 1.5 * noiseSigmaAt(nlfModel, sum / 9)) < 1e-7);
  assert.throws(() => noiseMap(new Float32Array(5), 10, 8, nlfModel), /1-pixel margin/);
});
