// Guards issue 15 ("background changed"): on Hologic images the Difference view
// showed the air inside tissue-bearing 512-px tiles as solid blocks, because
// every pixel of such a tile took the model's output. Outside the tissue mask
// dilated by the receptive field, the output must equal the input bit for bit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  nearTissueMask,
  denoiseImage,
  computeIntensityMap,
  toModel,
  type ModelRunner,
  type StoredImage,
} from '@mammo-denoise/core';

const HALO = 24;

/** A 12-bit breast (a half disc against the left edge, textured) with noisy air around it. */
function breastInAir(width: number, height: number): StoredImage {
  const pixels = new Uint16Array(width * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const inside = (x / (0.55 * width)) ** 2 + ((y - height / 2) / (0.4 * height)) ** 2 < 1;
      pixels[y * width + x] = inside
        ? 1800 + Math.round(600 * Math.sin(x / 6) * Math.cos(y / 9))
        : 40 + ((x * 31 + y * 17) % 9);
    }
  }
  return {
    width,
    height,
    pixels,
    bitsStored: 12,
    signed: false,
    photometricInterpretation: 'MONOCHROME2',
    rescaleSlope: 1,
    rescaleIntercept: 0,
  };
}

/** A "model" that brightens everything, air included: whatever it does to air must not reach the output. */
const brightening: ModelRunner = {
  executionProvider: 'test',
  run: async (input) => input.map((v) => v + 0.05),
  release: async () => undefined,
};

/** Chebyshev distance from each pixel to the nearest tissue pixel, capped at cap + 1 (brute force, for reference). */
function distanceToTissue(image: StoredImage, cap: number): Uint16Array {
  const map = computeIntensityMap(image);
  const tissue = Array.from(image.pixels, (v) => toModel(map, v) >= map.tissueThreshold);
  const out = new Uint16Array(image.pixels.length).fill(cap + 1);
  for (let y = 0; y < image.height; y += 1) {
    for (let x = 0; x < image.width; x += 1) {
      if (!tissue[y * image.width + x]) continue;
      for (let dy = -cap; dy <= cap; dy += 1) {
        for (let dx = -cap; dx <= cap; dx += 1) {
          const yy = y + dy;
          const xx = x + dx;
          if (yy < 0 || xx < 0 || yy >= image.height || xx >= image.width) continue;
          const i = yy * image.width + xx;
          out[i] = Math.min(out[i] as number, Math.max(Math.abs(dx), Math.abs(dy)));
        }
      }
    }
  }
  return out;
}

test(
  'air farther than the receptive field from tissue is returned bit for bit, ' + 'also inside tiles that hold tissue',
  async () => {
    const image = breastInAir(203, 150);
    const distance = distanceToTissue(image, HALO);
    const { pixels } = await denoiseImage(image, brightening, { tileSize: 64, halo: HALO });
    let keptAir = 0;
    let changedTissue = 0;
    for (let i = 0; i < pixels.length; i += 1) {
      if ((distance[i] as number) > HALO) {
        assert.equal(
          pixels[i],
          image.pixels[i],
          `air pixel (${i % image.width}, ${Math.floor(i / image.width)}) changed`,
        );
        keptAir += 1;
      } else if (distance[i] === 0 && pixels[i] !== image.pixels[i]) changedTissue += 1;
    }
    // The test means something only if tissue tiles also hold air that the model would have moved.
    assert.ok(keptAir > 5000, `${keptAir} air pixels checked`);
    assert.ok(changedTissue > 0.9 * distance.filter((d) => d === 0).length, 'the model still changes the breast');
  },
);

test('the mask does not depend on the tiling: any tile size gives the same output', async () => {
  const image = breastInAir(181, 139);
  const small = await denoiseImage(image, brightening, { tileSize: 32, halo: HALO });
  const whole = await denoiseImage(image, brightening, { tileSize: 256, halo: HALO });
  assert.deepEqual(Array.from(small.pixels), Array.from(whole.pixels));
});

test('nearTissueMask dilates by a square of the given radius, clipped to the region', () => {
  const pixels = new Uint16Array(21 * 11).fill(10);
  pixels[5 * 21 + 10] = 4000; // one tissue pixel in the middle
  pixels[0] = 0;
  pixels[1] = 4095; // a robust range for the map
  const image: StoredImage = {
    width: 21,
    height: 11,
    pixels,
    bitsStored: 12,
    signed: false,
    photometricInterpretation: 'MONOCHROME2',
    rescaleSlope: 1,
    rescaleIntercept: 0,
  };
  const map = {
    low: 0,
    high: 4096,
    inverted: false,
    minStored: 0,
    maxStored: 4095,
    tissueThreshold: 0.5,
    method: 'percentile' as const,
  };
  const mask = nearTissueMask(image, map, { x: 0, y: 0, width: 21, height: 11 }, 3);
  for (let y = 0; y < 11; y += 1) {
    for (let x = 0; x < 21; x += 1) {
      const expected = (Math.abs(x - 10) <= 3 && Math.abs(y - 5) <= 3) || (y <= 3 && x <= 4) ? 1 : 0;
      assert.equal(mask[y * 21 + x], expected, `(${x}, ${y})`);
    }
  }
});
