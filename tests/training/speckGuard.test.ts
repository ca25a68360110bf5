import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../../training/src/backend/tf';
import { selectBackend } from '../../training/src/backend/selectBackend';
import { Random } from '../../training/src/data/random';
import { initialFfdmWeights } from '../../training/src/model/ffdmNetwork';
import { applySpeckGuard, SPECK_GUARD, speckGuardKernel } from '../../training/src/model/speckGuard';
import { buildFfdmOnnx } from '../../training/src/export/ffdmOnnx';
import { ffdmParity } from '../../training/src/export/ffdmParity';
import { FFDM_PRESETS } from '../../training/src/train/ffdmConfig';

const W = 64,
  H = 64,
  SIGMA = 0.01;

/** Flat 0.5 with white noise; a bright speck (+6 sigma) at (20, 32) and a dark one (-6 sigma) at (44, 32). */
function scene(): { input: Float32Array; map: Float32Array } {
  const random = Random.fromSeed('guard');
  const input = new Float32Array(W * H);
  for (let y = 0; y < H; y += 1) {
    for (let x = 0; x < W; x += 1) {
      const blob = (cx: number, a: number): number => a * Math.exp(-((x - cx) ** 2 + (y - 32) ** 2) / 2);
      input[y * W + x] = 0.5 + SIGMA * random.normal() + blob(20, 6 * SIGMA) + blob(44, -6 * SIGMA);
    }
  }
  return { input, map: new Float32Array(W * H).fill(SIGMA) };
}

test('the DoG kernel sums to zero (flat regions never trigger the guard)', () => {
  const k = speckGuardKernel(SPECK_GUARD);
  assert.ok(Math.abs(k.values.reduce((a, v) => a + v, 0)) < 1e-6);
  assert.equal(k.size, 2 * SPECK_GUARD.radius + 1);
});

test(
  'behind a network that flattens everything, ' +
    'the guard keeps a bright speck as acquired, not a dark one, and little noise',
  async () => {
    await selectBackend('cpu');
    const { input, map } = scene();
    const flat = new Float32Array(W * H).fill(0.5);
    const out = tf.tidy(() =>
      applySpeckGuard(
        SPECK_GUARD,
        tf.tensor4d(input, [1, H, W, 1]),
        tf.tensor4d(flat, [1, H, W, 1]),
        tf.tensor4d(map, [1, H, W, 1]),
      ).dataSync(),
    );
    const at = (a: ArrayLike<number>, x: number, y: number): number => a[y * W + x] as number;
    assert.ok(
      Math.abs(at(out, 20, 32) - at(input, 20, 32)) < 0.1 * 6 * SIGMA,
      `bright speck: out ${at(out, 20, 32)}, input ${at(input, 20, 32)}`,
    );
    assert.ok(Math.abs(at(out, 44, 32) - 0.5) < 0.5 * SIGMA, `dark speck is denoised: ${at(out, 44, 32)}`);
    // Noise energy kept away from the specks: the guard's price
    // (bright noise blobs above the threshold keep their noise).
    let keptEnergy = 0,
      inputEnergy = 0;
    // Rows 8-19, 12 px or more from the specks and from the image border (where zero padding reads as an edge).
    for (let y = 8; y < 20; y += 1) {
      for (let x = 12; x < W - 12; x += 1) {
        keptEnergy += (at(out, x, y) - 0.5) ** 2;
        inputEnergy += (at(input, x, y) - 0.5) ** 2;
      }
    }
    console.log(`noise energy kept away from specks: ${(keptEnergy / inputEnergy).toFixed(3)}`);
    assert.ok(
      keptEnergy / inputEnergy < 0.2,
      `noise energy kept where there is no speck: ${(keptEnergy / inputEnergy).toFixed(3)}`,
    );
  },
);

test('the exported graph with the guard agrees with TF.js', async () => {
  await selectBackend('cpu');
  const arch = { ...FFDM_PRESETS['ffdm-smoke']!.architecture, width: 8, depth: 2 };
  const weights = initialFfdmWeights(arch, Random.fromSeed('w'));
  weights.get('up')!.kernel.forEach((_, i, k) => (k[i] = 0.05 * Math.sin(i)));
  const { input, map } = scene();
  const onnx = buildFfdmOnnx(
    arch,
    weights,
    { modelId: 't', modelVersion: '0', docString: '', metadata: {} },
    SPECK_GUARD,
  );
  const samples = [{ image: input, noise: map, height: H, width: W }];
  const { maxDifference } = await ffdmParity(arch, weights, onnx, samples, SPECK_GUARD);
  assert.ok(maxDifference < 1e-5, `max difference ${maxDifference}`);
});
