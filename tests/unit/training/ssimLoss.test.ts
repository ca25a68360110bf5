// The SSIM term of the log-mse-ssim loss must be the evaluation's SSIM, and
// its gradient on the wasm backend (the project's own conv kernels) must be
// the cpu backend's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../../../training/src/data/random';
import { createImage } from '../../../training/src/evaluate/image';
import { ssim } from '../../../training/src/evaluate/metrics';
import { ssimPerSample } from '../../../training/src/train/ssimLoss';
import { maxAbsDiff, tf, useBackend } from './helpers';

const [count, height, width] = [3, 24, 20];

function pair(): { clean: Float32Array; noisy: Float32Array } {
  const r = Random.fromSeed('ssim-loss');
  const clean = Float32Array.from({ length: count * height * width }, (_, i) => Math.round(255 * (0.4 + 0.3 * Math.sin(i / 9) + 0.1 * r.uniform())) / 255);
  // Each sample its own noise level, so the three SSIMs differ.
  const noisy = clean.map((v, i) => Math.min(1, Math.max(0, v + (0.02 + 0.08 * Math.floor(i / (height * width))) * r.normal())));
  return { clean, noisy };
}

test('ssimPerSample equals the evaluation SSIM of each sample (8-bit scale, L 255) within 1e-5', async () => {
  await useBackend('wasm');
  const { clean, noisy } = pair();
  const actual = tf.tidy(() => ssimPerSample(tf.tensor4d(noisy, [count, height, width, 1]), tf.tensor4d(clean, [count, height, width, 1])).dataSync());
  const n = height * width;
  for (let i = 0; i < count; i += 1) {
    const scaled = (a: Float32Array) => createImage(width, height, a.slice(i * n, (i + 1) * n).map((v) => v * 255));
    const expected = ssim(scaled(clean), scaled(noisy));
    assert.ok(Math.abs((actual[i] as number) - expected) < 1e-5, `sample ${i}: ${actual[i]} vs ${expected}`);
  }
  assert.ok(new Set(Array.from(actual, (v) => v.toFixed(3))).size === count, 'the samples differ');
});

test('the gradient of the SSIM term on wasm equals the cpu backend within 1e-5', async () => {
  const { clean, noisy } = pair();
  const gradient = async (backend: 'cpu' | 'wasm'): Promise<Float32Array> => {
    await useBackend(backend);
    return tf.tidy(() => {
      const target = tf.tensor4d(clean, [count, height, width, 1]);
      const g = tf.grad((x: tf.Tensor) => tf.sum(tf.log(tf.sub(1.001, ssimPerSample(x as tf.Tensor4D, target)))))(tf.tensor4d(noisy, [count, height, width, 1]));
      return g.dataSync() as Float32Array;
    });
  };
  const cpu = await gradient('cpu');
  const wasm = await gradient('wasm');
  assert.ok(cpu.some((v) => Math.abs(v) > 1e-3), 'a non-trivial gradient');
  assert.ok(maxAbsDiff(cpu, wasm) < 1e-5, `max difference ${maxAbsDiff(cpu, wasm)}`);
});
