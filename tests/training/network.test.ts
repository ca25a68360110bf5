import { test } from 'node:test';
import assert from 'node:assert/strict';
import { architecture, ARCHITECTURE_IDS, receptiveFieldRadius } from '../../training/src/model/architecture';
import { createNetwork, disposeNetwork, forward, initialWeights, readWeights } from '../../training/src/model/network';
import { trainableVariables, updateMovingStatistics, type BatchStatistics } from '../../training/src/model/network';
import { Random } from '../../training/src/data/random';
import { foldBatchNorm } from '../../training/src/export/foldBatchNorm';
import { buildOnnxModel } from '../../training/src/export/onnxModel';
import { measureReceptiveFieldRadius } from '../../training/src/export/receptiveField';
import { maxAbsDiff, tf, useBackend } from './helpers';

await useBackend('wasm');

test('the paper network: 12 named 3x3 layers, encoder 32,32,32,32,64,128, decoder 64,64,32,32,16,1', () => {
  const spec = architecture('paper');
  assert.deepEqual(
    spec.layers.map((l) => l.name),
    Array.from({ length: 12 }, (_, i) => `conv${i + 1}`),
  );
  assert.deepEqual(
    spec.layers.map((l) => l.outChannels),
    [32, 32, 32, 32, 64, 128, 64, 64, 32, 32, 16, 1],
  );
  assert.ok(spec.layers.every((l) => l.kernelSize === 3));
  assert.equal(spec.layers.filter((l) => l.kind === 'convTranspose').length, 1);
  assert.ok(spec.layers.slice(0, 11).every((l) => l.batchNorm && l.activation === 'relu'));
  assert.equal(spec.layers[11]?.activation, 'linear');
  assert.equal(spec.poolAfter, 'conv3');
});

test('forward keeps the input shape, refuses odd sizes, and leaks no tensors', () => {
  for (const id of ARCHITECTURE_IDS) {
    const network = createNetwork(architecture(id), initialWeights(architecture(id), Random.fromSeed(id)));
    const before = tf.memory().numTensors;
    const y = tf.tidy(() => forward(network, tf.zeros([2, 16, 24, 1]) as tf.Tensor4D, false));
    assert.deepEqual(y.shape, [2, 16, 24, 1]);
    y.dispose();
    assert.equal(tf.memory().numTensors, before);
    assert.throws(
      () => tf.tidy(() => forward(network, tf.zeros([1, 15, 16, 1]) as tf.Tensor4D, false)),
      /must be even/,
    );
    disposeNetwork(network);
  }
});

test('a residual network starts close to the identity', () => {
  const network = createNetwork(architecture('residual'), initialWeights(architecture('residual'), Random.fromSeed(1)));
  const x = Float32Array.from({ length: 32 * 32 }, (_, i) => 0.3 + 0.4 * Math.sin(i / 7));
  const y = tf.tidy(() => forward(network, tf.tensor4d(x, [1, 32, 32, 1]), false).dataSync());
  assert.ok(maxAbsDiff(x, y) < 0.2, `initial correction ${maxAbsDiff(x, y)}`);
  disposeNetwork(network);
});

test('a training step updates moving statistics and leaks no tensors', () => {
  const network = createNetwork(architecture('paper'), initialWeights(architecture('paper'), Random.fromSeed(2)));
  const variables = trainableVariables(network);
  const x = tf.randomUniform([2, 16, 16, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
  const before = tf.memory().numTensors;
  const statistics: BatchStatistics = new Map();
  tf.tidy(() => {
    const { grads } = tf.variableGrads(
      () => tf.mean(tf.square(forward(network, x, true, statistics))) as tf.Scalar,
      variables,
    );
    assert.equal(Object.keys(grads).length, variables.length);
  });
  assert.equal(statistics.size, 11);
  updateMovingStatistics(network, statistics);
  assert.equal(tf.memory().numTensors, before);
  const mean = readWeights(network).get('conv1')?.batchNorm?.movingMean;
  assert.ok(mean && mean.some((v) => v !== 0), 'moving mean moved');
  x.dispose();
  disposeNetwork(network);
});

test('the analytic receptive field bounds the measured one', async () => {
  const spec = architecture('residual');
  const w = initialWeights(spec, Random.fromSeed(3));
  const onnx = buildOnnxModel(spec, new Map(spec.layers.map((l) => [l.name, foldBatchNorm(l, w.get(l.name)!)])), {
    modelId: 't',
    modelVersion: '0',
    docString: '',
    metadata: {},
  });
  const measured = await measureReceptiveFieldRadius(onnx);
  assert.equal(receptiveFieldRadius(spec), 20);
  assert.ok(measured <= 20 && measured >= 14, `measured ${measured}`);
});
