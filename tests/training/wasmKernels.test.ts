// The wasm backend lacks Conv2DBackpropFilter and has a slow Conv2DBackpropInput;
// the project's replacements must give the cpu backend's gradients.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../../training/src/data/random';
import { tf, useBackend } from './helpers';

interface Case {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  stride: 1 | 2;
  pad: 'same' | 'valid';
  transpose?: [number, number, number, number];
}

const CASES: Case[] = [
  { name: 'conv 3x3 stride 1 same', x: [2, 10, 8, 3], filter: [3, 3, 3, 4], stride: 1, pad: 'same' },
  { name: 'conv 3x3 stride 2 same, odd size', x: [2, 9, 7, 3], filter: [3, 3, 3, 4], stride: 2, pad: 'same' },
  { name: 'conv 3x3 stride 1 valid', x: [1, 8, 8, 2], filter: [3, 3, 2, 5], stride: 1, pad: 'valid' },
  { name: 'conv 5x5 stride 1 same', x: [1, 12, 9, 2], filter: [5, 5, 2, 3], stride: 1, pad: 'same' },
  {
    name: 'transposed conv 3x3 stride 2 same',
    x: [2, 6, 5, 4],
    filter: [3, 3, 3, 4],
    stride: 2,
    pad: 'same',
    transpose: [2, 12, 10, 3],
  },
];

function values(shape: number[], seed: string): Float32Array {
  const r = Random.fromSeed(seed);
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r.normal());
}

async function gradients(
  backend: 'cpu' | 'wasm',
  c: Case,
): Promise<{ dx: Float32Array; df: Float32Array; y: Float32Array }> {
  await useBackend(backend);
  return tf.tidy(() => {
    const x = tf.tensor4d(values(c.x, `${c.name}/x`), c.x);
    const f = tf.tensor4d(values(c.filter, `${c.name}/f`), c.filter);
    const op = (xx: tf.Tensor4D, ff: tf.Tensor4D): tf.Tensor4D =>
      c.transpose ? tf.conv2dTranspose(xx, ff, c.transpose, c.stride, c.pad) : tf.conv2d(xx, ff, c.stride, c.pad);
    // A non-uniform upstream gradient so every tap is weighted differently.
    const [dx, df] = tf.grads((xx: tf.Tensor, ff: tf.Tensor) =>
      tf.sum(tf.mul(tf.square(op(xx as tf.Tensor4D, ff as tf.Tensor4D)), 0.5)),
    )([x, f]);
    return {
      dx: dx!.dataSync() as Float32Array,
      df: df!.dataSync() as Float32Array,
      y: op(x, f).dataSync() as Float32Array,
    };
  });
}

for (const c of CASES) {
  test(`wasm gradients equal cpu: ${c.name}`, async () => {
    const cpu = await gradients('cpu', c);
    const wasm = await gradients('wasm', c);
    for (const key of ['y', 'dx', 'df'] as const) {
      const a = cpu[key];
      const b = wasm[key];
      assert.equal(a.length, b.length);
      let worst = 0;
      for (let i = 0; i < a.length; i += 1)
        worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)) / (1 + Math.abs(a[i] as number)));
      assert.ok(worst < 1e-5, `${key}: relative difference ${worst}`);
    }
  });
}

test('the wasm kernels leak no tensors or heap memory', async () => {
  await useBackend('wasm');
  const c = CASES[4] as Case;
  await gradients('wasm', c);
  const before = tf.memory().numTensors;
  const backend = tf.backend() as unknown as { numDataIds(): number };
  const idsBefore = backend.numDataIds();
  for (let i = 0; i < 3; i += 1) await gradients('wasm', c);
  assert.equal(tf.memory().numTensors, before);
  assert.equal(backend.numDataIds(), idsBefore);
});
