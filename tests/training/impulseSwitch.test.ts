// The impulse switch in front of the default network: a proven median, exact
// agreement with an independent reference, and no effect on images that have
// no pixel at exactly 0 or 1 (so high-bit-depth input is never touched).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { architecture } from '../../training/src/model/architecture';
import { medianOf9, MEDIAN_OF_9_NETWORK } from '../../training/src/model/impulseSwitch';
import {
  createNetwork,
  disposeNetwork,
  forward,
  initialWeights,
  switchImpulses,
} from '../../training/src/model/network';
import { Random } from '../../training/src/data/random';
import { tf, useBackend } from './helpers';

await useBackend('wasm');

const numbers = { min: Math.min, max: Math.max };

test(
  'medianOf9 is the median of any nine values ' + '(all 512 binary inputs prove the network; random ones check it)',
  () => {
    for (let bits = 0; bits < 512; bits += 1) {
      const values = Array.from({ length: 9 }, (_, i) => (bits >> i) & 1);
      const ones = values.reduce((a, b) => a + b, 0);
      assert.equal(medianOf9(values, numbers), ones >= 5 ? 1 : 0, `input ${values.join('')}`);
    }
    const random = Random.fromSeed('median9');
    for (let k = 0; k < 500; k += 1) {
      const values = Array.from({ length: 9 }, () => Math.round(random.uniform() * 20));
      assert.equal(medianOf9(values, numbers), [...values].sort((a, b) => a - b)[4]);
    }
    assert.throws(() => medianOf9([1, 2, 3], numbers), /needs 9 values/);
  },
);

test('medianOf9 builds only the min/max operations the median needs', () => {
  let built = 0;
  const counting = {
    min: (a: number, b: number) => (built++, Math.min(a, b)),
    max: (a: number, b: number) => (built++, Math.max(a, b)),
  };
  medianOf9([5, 1, 9, 3, 7, 2, 8, 4, 6], counting);
  assert.ok(built < 2 * MEDIAN_OF_9_NETWORK.length, `${built} of ${2 * MEDIAN_OF_9_NETWORK.length}`);
  assert.ok(built >= MEDIAN_OF_9_NETWORK.length, `${built}`);
});

/** Whole-sample reflection (index -1 reads 1, the edge is not repeated), as TF's and ONNX's 'reflect' pad. */
const reflect = (i: number, n: number): number => (i < 0 ? -i : i >= n ? 2 * n - 2 - i : i);

function referenceSwitch(image: Float32Array, width: number, height: number): Float32Array {
  const out = image.slice();
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const v = image[y * width + x] as number;
      if (v !== 0 && v !== 1) continue;
      const window: number[] = [];
      for (let dy = -1; dy <= 1; dy += 1)
        for (let dx = -1; dx <= 1; dx += 1)
          window.push(image[reflect(y + dy, height) * width + reflect(x + dx, width)] as number);
      out[y * width + x] = window.sort((a, b) => a - b)[4] as number;
    }
  }
  return out;
}

test('switchImpulses replaces exactly the 0/1 pixels by their 3x3 median, borders and corners included', () => {
  const random = Random.fromSeed('switch');
  const [width, height] = [13, 10];
  const image = Float32Array.from({ length: width * height }, () => {
    const u = random.uniform();
    return u < 0.08 ? 0 : u < 0.16 ? 1 : Math.round(random.uniform() * 255) / 255;
  });
  image[0] = 1;
  image[width * height - 1] = 0;
  const expected = referenceSwitch(image, width, height);
  const actual = tf.tidy(() => switchImpulses(tf.tensor4d(image, [1, height, width, 1])).dataSync());
  assert.deepEqual(Array.from(actual), Array.from(expected));
  for (let i = 0; i < image.length; i += 1) if (image[i] !== 0 && image[i] !== 1) assert.equal(actual[i], image[i]);
});

test('behind the switch, the residual network is unchanged on images without a pixel at exactly 0 or 1', () => {
  const weights = initialWeights(architecture('residual'), Random.fromSeed('switch-net'));
  const plain = createNetwork(architecture('residual'), weights);
  const switched = createNetwork(architecture('residual-impulse'), weights);
  const random = Random.fromSeed('no-impulses');
  const x = Float32Array.from({ length: 2 * 24 * 32 }, () => 0.001 + 0.998 * random.uniform());
  const [a, b] = tf.tidy(() => [
    forward(plain, tf.tensor4d(x, [2, 24, 32, 1]), false).dataSync(),
    forward(switched, tf.tensor4d(x, [2, 24, 32, 1]), false).dataSync(),
  ]);
  assert.deepEqual(Array.from(b as Float32Array), Array.from(a as Float32Array));
  const salted = x.slice();
  salted[100] = 1;
  const c = tf.tidy(() => forward(switched, tf.tensor4d(salted, [2, 24, 32, 1]), false).dataSync());
  assert.notEqual(c[100], tf.tidy(() => forward(plain, tf.tensor4d(salted, [2, 24, 32, 1]), false).dataSync())[100]);
  disposeNetwork(plain);
  disposeNetwork(switched);
});
