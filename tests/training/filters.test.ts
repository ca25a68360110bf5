import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../../training/src/data/random';
import { createImage, type GrayImage } from '../../training/src/evaluate/image';
import { adaptiveMedian, gaussianFilter, median, nonLocalMeans } from '../../training/src/evaluate/filters';

function build(width: number, height: number, value: (x: number, y: number) => number): GrayImage {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y += 1) for (let x = 0; x < width; x += 1) data[y * width + x] = value(x, y);
  return createImage(width, height, data);
}

function randomImage(width: number, height: number, seed: string): GrayImage {
  const random = Random.fromSeed(seed);
  return build(width, height, () => random.uniform() * 255);
}

/** Half-sample symmetric reflection written out independently of image.ts. */
function mirror(i: number, n: number): number {
  let j = i;
  while (j < 0 || j >= n) j = j < 0 ? -j - 1 : 2 * n - 1 - j;
  return j;
}

const at = (image: GrayImage, x: number, y: number): number =>
  image.data[mirror(y, image.height) * image.width + mirror(x, image.width)];

function mean(data: Float32Array): number {
  let s = 0;
  for (const v of data) s += v;
  return s / data.length;
}

function std(data: Float32Array): number {
  const m = mean(data);
  let s = 0;
  for (const v of data) s += (v - m) ** 2;
  return Math.sqrt(s / data.length);
}

/** Runs a filter and checks that it left its input untouched. */
function pure(image: GrayImage, filter: (image: GrayImage) => GrayImage): GrayImage {
  const before = new Float32Array(image.data);
  const out = filter(image);
  assert.deepEqual(image.data, before, 'filter modified its input');
  assert.notEqual(out.data, image.data);
  assert.equal(out.width, image.width);
  assert.equal(out.height, image.height);
  return out;
}

/** Flat 100 with salt and pepper every 4 pixels, the corner included. */
const impulsive = build(21, 17, (x, y) => (x % 4 === 0 && y % 4 === 0 ? ((x + y) % 8 === 0 ? 255 : 0) : 100));

test('median removes isolated salt-and-pepper impulses from a flat region exactly', () => {
  for (const size of [3, 5]) {
    const out = pure(impulsive, (im) => median(im, size));
    assert.ok(
      out.data.every((v) => v === 100),
      `size ${size}`,
    );
  }
});

test('median equals a brute-force sorted-window median', () => {
  const image = randomImage(13, 9, 'median');
  for (const size of [3, 5]) {
    const out = pure(image, (im) => median(im, size));
    const r = (size - 1) / 2;
    for (let y = 0; y < image.height; y += 1) {
      for (let x = 0; x < image.width; x += 1) {
        const window: number[] = [];
        for (let dy = -r; dy <= r; dy += 1) for (let dx = -r; dx <= r; dx += 1) window.push(at(image, x + dx, y + dy));
        window.sort((a, b) => a - b);
        assert.equal(out.data[y * image.width + x], window[(window.length - 1) / 2], `size ${size} at ${x},${y}`);
      }
    }
  }
});

test('adaptive median restores impulses in a flat region exactly', () => {
  const out = pure(impulsive, (im) => adaptiveMedian(im));
  assert.ok(out.data.every((v) => v === 100));
});

test('adaptive median keeps non-impulse pixels of a ramp and fixes its impulses', () => {
  const ramp = (x: number, y: number): number => 50 + 2 * x + 3 * y;
  const isImpulse = (x: number, y: number): boolean => x % 5 === 2 && y % 5 === 2;
  const image = build(30, 30, (x, y) => (isImpulse(x, y) ? ((x + y) % 2 === 0 ? 255 : 0) : ramp(x, y)));
  const out = pure(image, (im) => adaptiveMedian(im, 7));
  // Border pixels of a ramp are extremes of their reflected windows, so only the interior is checked.
  for (let y = 1; y < 29; y += 1) {
    for (let x = 1; x < 29; x += 1) {
      const v = out.data[y * 30 + x];
      if (isImpulse(x, y)) assert.ok(Math.abs(v - ramp(x, y)) <= 5, `impulse at ${x},${y} became ${v}`);
      else assert.equal(v, image.data[y * 30 + x], `pixel ${x},${y} changed`);
    }
  }
});

test('adaptive median keeps a pixel whose 3x3 median and value are both strictly inside the window range', () => {
  const image = randomImage(16, 12, 'adaptive');
  const out = pure(image, (im) => adaptiveMedian(im));
  let kept = 0;
  for (let y = 0; y < image.height; y += 1) {
    for (let x = 0; x < image.width; x += 1) {
      const window: number[] = [];
      for (let dy = -1; dy <= 1; dy += 1) for (let dx = -1; dx <= 1; dx += 1) window.push(at(image, x + dx, y + dy));
      window.sort((a, b) => a - b);
      const z = image.data[y * image.width + x];
      const [lo, med, hi] = [window[0], window[4], window[8]];
      if (lo < med && med < hi && lo < z && z < hi) {
        assert.equal(out.data[y * image.width + x], z);
        kept += 1;
      } else if (lo < med && med < hi) {
        assert.equal(out.data[y * image.width + x], med);
      }
    }
  }
  assert.ok(kept > 50);
});

test('gaussian filter preserves a constant image', () => {
  const out = pure(
    build(20, 15, () => 77),
    (im) => gaussianFilter(im, 1.0),
  );
  assert.ok(out.data.every((v) => Math.abs(v - 77) < 1e-4));
});

test('gaussian filter preserves the mean, even with a kernel wider than the image', () => {
  const image = randomImage(16, 12, 'gauss');
  for (const sigma of [0.5, 1, 2, 6]) {
    const out = pure(image, (im) => gaussianFilter(im, sigma));
    assert.ok(Math.abs(mean(out.data) - mean(image.data)) < 1e-3, `sigma ${sigma}`);
    assert.ok(std(out.data) < std(image.data), `sigma ${sigma} should smooth`);
  }
});

test('gaussian filter equals a brute-force 2-D convolution', () => {
  const image = randomImage(11, 8, 'gauss2d');
  const sigma = 1.3;
  const radius = Math.floor(4 * sigma + 0.5);
  const g = (k: number): number => Math.exp(-(k * k) / (2 * sigma * sigma));
  let norm = 0;
  for (let k = -radius; k <= radius; k += 1) norm += g(k);
  const out = pure(image, (im) => gaussianFilter(im, sigma));
  for (let y = 0; y < image.height; y += 1) {
    for (let x = 0; x < image.width; x += 1) {
      let s = 0;
      for (let dy = -radius; dy <= radius; dy += 1) {
        for (let dx = -radius; dx <= radius; dx += 1) s += (g(dx) * g(dy) * at(image, x + dx, y + dy)) / (norm * norm);
      }
      assert.ok(Math.abs(out.data[y * image.width + x] - s) < 1e-3, `at ${x},${y}`);
    }
  }
});

test('non-local means cuts the noise on a noisy constant image by a large factor', () => {
  const random = Random.fromSeed('nlm-flat');
  const sigma = 20;
  const image = build(64, 64, () => 128 + sigma * random.normal());
  const out = pure(image, (im) => nonLocalMeans(im, sigma));
  const before = std(image.data);
  const after = std(out.data);
  assert.ok(before > 18 && before < 22);
  assert.ok(after < before / 5, `std ${before} -> ${after}`);
  assert.ok(Math.abs(mean(out.data) - 128) < 1);
});

test('non-local means with a tiny true sigma barely changes a clean image', () => {
  const image = build(48, 40, (x, y) => 20 + 3 * x + 2 * y + 3 * ((7 * x + 13 * y) % 17));
  const out = pure(image, (im) => nonLocalMeans(im, 0.5));
  let worst = 0;
  for (let i = 0; i < image.data.length; i += 1) worst = Math.max(worst, Math.abs(out.data[i] - image.data[i]));
  assert.ok(worst < 0.5, `max change ${worst}`);
  assert.deepEqual(pure(image, (im) => nonLocalMeans(im, 0)).data, image.data);
});

test('non-local means equals a brute-force per-pixel implementation', () => {
  const random = Random.fromSeed('nlm-brute');
  const sigma = 15;
  const image = build(26, 23, (x, y) => (x < 13 ? 60 : 180) + y + sigma * random.normal());
  const out = pure(image, (im) => nonLocalMeans(im, sigma));
  const h2 = (0.4 * sigma) ** 2;
  for (let y = 0; y < image.height; y += 1) {
    for (let x = 0; x < image.width; x += 1) {
      let wSum = 0;
      let vSum = 0;
      for (let oy = -10; oy <= 10; oy += 1) {
        for (let ox = -10; ox <= 10; ox += 1) {
          let d2 = 0;
          for (let py = -3; py <= 3; py += 1) {
            for (let px = -3; px <= 3; px += 1) {
              d2 += (at(image, x + px, y + py) - at(image, x + ox + px, y + oy + py)) ** 2;
            }
          }
          const w = Math.exp(-Math.max(d2 / 49 - 2 * sigma * sigma, 0) / h2);
          wSum += w;
          vSum += w * at(image, x + ox, y + oy);
        }
      }
      assert.ok(Math.abs(out.data[y * image.width + x] - vSum / wSum) < 1e-3, `at ${x},${y}`);
    }
  }
});
