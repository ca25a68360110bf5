import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gaussianFilter, median } from '../../training/src/evaluate/filters';
import { createImage } from '../../training/src/evaluate/image';
import { matchedFilter, scoreSpecks } from '../../training/src/evaluate/speckMetrics';
import { addDoseNoise, localMean3x3 } from '../../training/src/noise/dose';
import { drawSpeckCluster, renderSpecks, type Speck } from '../../training/src/noise/specks';
import { Random } from '../../training/src/data/random';

const W = 96;
const flat = (value: number): Float32Array => new Float32Array(W * W).fill(value);
const add = (a: Float32Array, b: Float32Array): Float32Array => a.map((v, i) => v + (b[i] as number));
const img = (d: Float32Array) => createImage(W, W, d);

function noisyBackground(seed: string): Float32Array {
  const r = Random.fromSeed(seed);
  return flat(100).map((v) => v + 3 * r.normal());
}

const SPECKS: Speck[] = [
  { x: 30, y: 30, sigma: 1.0, amplitude: 20 },
  { x: 60, y: 40, sigma: 1.5, amplitude: 12 },
  { x: 45, y: 70, sigma: 0.7, amplitude: 25 },
];

test("the identity keeps every speck's contrast exactly (1.0) and its CNR is the input's", () => {
  const base = noisyBackground('id');
  const inserted = renderSpecks(SPECKS, W, W);
  const score = scoreSpecks(SPECKS, img(inserted), img(add(base, inserted)), img(base), null);
  assert.ok(Math.abs(score.contrastKept - 1) < 1e-6, `kept ${score.contrastKept}`);
  assert.ok(score.cnr > 0);
});

test(
  'a Gaussian blur keeps what its formula says: ' +
    'a speck of sigma s blurred by b keeps about the matched-filter ratio of the widened Gaussian',
  () => {
    // Continuous approximation: MF(Gaussian of sigma s, peak A) at the centre = A s²/(s²+1.1²) - A 2πs²/81.
    const mf = (s: number, a: number): number => (a * s * s) / (s * s + 1.21) - (a * 2 * Math.PI * s * s) / 81;
    const b = 1;
    const inserted = renderSpecks(SPECKS, W, W);
    const base = flat(100);
    const blurredWith = gaussianFilter(img(add(base, inserted)), b);
    const blurredWithout = gaussianFilter(img(base), b);
    const score = scoreSpecks(SPECKS, img(inserted), blurredWith, blurredWithout, null);
    let expected = 0;
    for (const s of SPECKS) {
      const widened = Math.sqrt(s.sigma ** 2 + b * b);
      expected += mf(widened, (s.amplitude * s.sigma ** 2) / widened ** 2) / mf(s.sigma, s.amplitude);
    }
    expected /= SPECKS.length;
    assert.ok(
      Math.abs(score.contrastKept - expected) < 0.05,
      `kept ${score.contrastKept.toFixed(3)}, formula ${expected.toFixed(3)}`,
    );
    assert.ok(score.contrastKept < 0.8);
  },
);

test('a 3x3 median on a flat background keeps less than the identity', () => {
  const inserted = renderSpecks(SPECKS, W, W);
  const base = flat(100);
  const score = scoreSpecks(SPECKS, img(inserted), median(img(add(base, inserted)), 3), median(img(base), 3), null);
  assert.ok(score.contrastKept < 1 && score.contrastKept > 0.3, `kept ${score.contrastKept}`);
});

test('the matched filter does not answer to a constant or a linear ramp', () => {
  const ramp = new Float32Array(W * W).map((_, i) => 5 + 0.3 * (i % W) + 0.2 * Math.floor(i / W));
  const r = matchedFilter(img(ramp));
  for (let y = 10; y < W - 10; y += 7)
    for (let x = 10; x < W - 10; x += 7) assert.ok(Math.abs(r.data[y * W + x] as number) < 1e-3);
});

test('dose simulation adds variance (1/d - 1) NLF(local mean)^2', () => {
  const nlf = { means: [0, 200], sigmas: [2, 6], samples: 1 };
  const base = flat(100);
  const means = localMean3x3(base, W, W);
  for (const dose of [1, 0.5, 0.25]) {
    const noisy = addDoseNoise(base.slice(), means, nlf, dose, Random.fromSeed(`dose-${dose}`));
    let sum2 = 0;
    for (const v of noisy) sum2 += (v - 100) ** 2;
    const variance = sum2 / noisy.length;
    const expected = (1 / dose - 1) * 16;
    if (dose === 1) assert.equal(variance, 0);
    else
      assert.ok(
        Math.abs(variance - expected) / expected < 0.05,
        `dose ${dose}: variance ${variance.toFixed(2)}, expected ${expected}`,
      );
  }
  assert.throws(() => addDoseNoise(base, means, nlf, 0, Random.fromSeed('x')), /dose must be/);
});

test('speck clusters: 5-10 specks, apart, inside the margins, peaks 2-8x the local noise', () => {
  const specks = drawSpeckCluster(
    Random.fromSeed('cluster'),
    { x: 48, y: 48 },
    40,
    { width: W, height: W, margin: 5 },
    () => 2,
  );
  assert.ok(specks.length >= 5 && specks.length <= 10, `${specks.length} specks`);
  for (const s of specks) {
    assert.ok(s.x >= 5 && s.y >= 5 && s.x < W - 5 && s.y < W - 5);
    assert.ok(s.sigma >= 0.7 && s.sigma <= 1.5);
    assert.ok(s.amplitude >= 4 && s.amplitude <= 16);
  }
});
