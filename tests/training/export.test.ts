// Guards the ONNX export against the classic faults: NHWC/NCHW layout, the
// transposed convolution's 'same' padding, and batch-norm folding. The
// exported graph, run by onnxruntime-node, must match the TF.js model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { architecture, ARCHITECTURE_IDS } from '../../training/src/model/architecture';
import { createNetwork, disposeNetwork, forward, initialWeights } from '../../training/src/model/network';
import { Random } from '../../training/src/data/random';
import { foldBatchNorm } from '../../training/src/export/foldBatchNorm';
import { MODEL_INPUT_NAME, MODEL_OUTPUT_NAME } from '@mammo-denoise/core';
import { buildOnnxModel } from '../../training/src/export/onnxModel';
import { maxAbsDiff, perturbBatchNorm, tf, useBackend } from './helpers';

await useBackend('wasm');

for (const id of ARCHITECTURE_IDS) {
  test(
    `${id}: ONNX export matches TF.js within 1e-4 on random and structured inputs, ` + 'square and non-square',
    async () => {
      const spec = architecture(id);
      const weights = perturbBatchNorm(initialWeights(spec, Random.fromSeed(`export-${id}`)), `bn-${id}`);
      const folded = new Map(spec.layers.map((l) => [l.name, foldBatchNorm(l, weights.get(l.name)!)]));
      const bytes = buildOnnxModel(spec, folded, {
        modelId: `test-${id}`,
        modelVersion: '0.0.0',
        docString: 'test',
        metadata: {},
      });
      const session = await ort.InferenceSession.create(bytes);
      assert.deepEqual(session.inputNames, [MODEL_INPUT_NAME]);
      assert.deepEqual(session.outputNames, [MODEL_OUTPUT_NAME]);
      const network = createNetwork(spec, weights);
      const random = Random.fromSeed('inputs');
      for (const [h, w] of [
        [32, 32],
        [22, 38],
      ] as const) {
        const random01 = Float32Array.from({ length: h * w }, () => random.uniform());
        const ramp = Float32Array.from(
          { length: h * w },
          (_, i) => ((i % w) / w) * 0.8 + (Math.floor(i / w) % 3 === 0 ? 0.2 : 0),
        );
        // Exact 0 and 1 pixels exercise the impulse switch where there is one.
        const impulses = Float32Array.from(random01, (v, i) => (i % 17 === 0 ? 0 : i % 23 === 0 ? 1 : v));
        for (const input of [random01, ramp, impulses]) {
          const expected = tf.tidy(() => forward(network, tf.tensor4d(input, [1, h, w, 1]), false).dataSync());
          const result = await session.run({ [MODEL_INPUT_NAME]: new ort.Tensor('float32', input, [1, 1, h, w]) });
          const output = result[MODEL_OUTPUT_NAME]!;
          assert.deepEqual(output.dims, [1, 1, h, w]);
          const diff = maxAbsDiff(expected, output.data as Float32Array);
          assert.ok(diff <= 1e-4, `max abs difference ${diff} at ${h}x${w}`);
        }
      }
      disposeNetwork(network);
      await session.release();
    },
  );
}
