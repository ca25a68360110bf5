import * as ort from 'onnxruntime-node';
import { MODEL_INPUT_NAME, MODEL_OUTPUT_NAME } from '@mammo-denoise/core';
import * as tf from '../backend/tf';
import {
  createFfdmNetwork,
  disposeFfdmNetwork,
  ffdmForward,
  type FfdmArchitecture,
  type FfdmWeights,
} from '../model/ffdmNetwork';
import type { SpeckGuard } from '../model/speckGuard';
import { FFDM_NOISE_MAP_INPUT } from './ffdmContract';

/** A model-space image and its noise map, h x w each. */
export interface ParitySample {
  readonly image: Float32Array;
  readonly noise: Float32Array;
  readonly height: number;
  readonly width: number;
}

/**
 * Max |TF.js − onnxruntime-node| of the FFDM network (and guard, if given)
 * over the samples, and the graph's input names. Used by export-ffdm before
 * anything is written, and by the tests of the graph.
 */
export async function ffdmParity(
  arch: FfdmArchitecture,
  weights: FfdmWeights,
  onnxBytes: Uint8Array,
  samples: readonly ParitySample[],
  guard?: SpeckGuard,
): Promise<{ maxDifference: number; inputNames: readonly string[] }> {
  const network = createFfdmNetwork(arch, weights);
  const session = await ort.InferenceSession.create(onnxBytes);
  let max = 0;
  try {
    for (const { image, noise, height: h, width: w } of samples) {
      const expected = tf.tidy(() =>
        ffdmForward(network, tf.tensor4d(image, [1, h, w, 1]), tf.tensor4d(noise, [1, h, w, 1]), guard).dataSync(),
      );
      const out = await session.run({
        [MODEL_INPUT_NAME]: new ort.Tensor('float32', image, [1, 1, h, w]),
        [FFDM_NOISE_MAP_INPUT]: new ort.Tensor('float32', noise, [1, 1, h, w]),
      });
      const actual = out[MODEL_OUTPUT_NAME]?.data as Float32Array;
      for (let i = 0; i < expected.length; i += 1)
        max = Math.max(max, Math.abs((expected[i] as number) - (actual[i] as number)));
    }
    return { maxDifference: max, inputNames: [...session.inputNames] };
  } finally {
    disposeFfdmNetwork(network);
    await session.release();
  }
}
