import * as tf from '../backend/tf';
import type { Random } from '../data/random';
import { applySpeckGuard, type SpeckGuard } from './speckGuard';

/**
 * The digital-mammogram network (`ffdm-nlf`): a noise-level-conditioned
 * residual CNN whose heavy layers run at half resolution, after FFDNet
 * (Zhang, Zuo & Zhang, IEEE TIP 2018).
 *
 *   image, noise map (model space, [N, H, W, 1] each)
 *   → concat [image, NOISE_INPUT_SCALE x noise map]
 *   → 2x2 stride-2 conv (a learned pixel-unshuffle: every output pixel's 2x2
 *     block stays addressable, so a 1-px speck is not averaged away) + ReLU
 *   → `depth` 3x3 convs at half resolution + ReLU
 *   → 2x2 stride-2 transposed conv to one channel (a learned pixel-shuffle)
 *   → + image (the network predicts a correction; zero correction = identity).
 *
 * No batch norm: nothing to fold, and the graph is the same in training and
 * inference. About 14k multiply-adds per full-resolution pixel at width 32
 * and depth 6 (the MIAS networks: 81k).
 */
export interface FfdmArchitecture {
  readonly id: 'ffdm-nlf';
  readonly width: number;
  readonly depth: number;
}

export const FFDM_ARCHITECTURE: FfdmArchitecture = { id: 'ffdm-nlf', width: 32, depth: 6 };

/**
 * The noise map enters the network multiplied by this, so that typical
 * model-space sigmas (0.003-0.04) reach the first layer at about the scale of
 * the image. Part of the graph: the contract's map stays plain model-space std.
 */
export const NOISE_INPUT_SCALE = 25;

export interface FfdmLayerWeights {
  /** TF layout: conv [kh, kw, in, out]; transposed conv [kh, kw, out, in]. */
  readonly kernel: Float32Array;
  readonly kernelShape: readonly [number, number, number, number];
  readonly bias: Float32Array;
}

export type FfdmWeights = ReadonlyMap<string, FfdmLayerWeights>;

export interface FfdmLayerSpec {
  readonly name: string;
  readonly kind: 'unshuffle' | 'conv' | 'shuffle';
  readonly kernelShape: readonly [number, number, number, number];
}

export function ffdmLayers(arch: FfdmArchitecture): FfdmLayerSpec[] {
  const c = arch.width;
  return [
    { name: 'down', kind: 'unshuffle', kernelShape: [2, 2, 2, c] },
    ...Array.from({ length: arch.depth }, (_, i): FfdmLayerSpec => ({
      name: `conv${i + 1}`,
      kind: 'conv',
      kernelShape: [3, 3, c, c],
    })),
    { name: 'up', kind: 'shuffle', kernelShape: [2, 2, 1, c] },
  ];
}

/**
 * Input pixels per side that one output pixel depends on: the unshuffle's 2x2
 * block (1), two full-resolution pixels per half-resolution 3x3 conv, and one
 * more for the noise map's 3x3 mean. Tiles need at least this halo.
 */
export function ffdmReceptiveFieldRadius(arch: FfdmArchitecture): number {
  return 1 + 2 * arch.depth + 1;
}

/** He-normal for the ReLU layers; the output layer starts near zero, so the network starts as the identity. */
export function initialFfdmWeights(arch: FfdmArchitecture, random: Random): Map<string, FfdmLayerWeights> {
  const weights = new Map<string, FfdmLayerWeights>();
  for (const spec of ffdmLayers(arch)) {
    const [kh, kw, a, b] = spec.kernelShape;
    const fanIn = spec.kind === 'shuffle' ? kh * kw * b : kh * kw * a;
    const std = spec.kind === 'shuffle' ? 0.01 * Math.sqrt(1 / fanIn) : Math.sqrt(2 / fanIn);
    const kernel = new Float32Array(kh * kw * a * b);
    for (let i = 0; i < kernel.length; i += 1) kernel[i] = std * random.normal();
    weights.set(spec.name, {
      kernel,
      kernelShape: spec.kernelShape,
      bias: new Float32Array(spec.kind === 'shuffle' ? a : b),
    });
  }
  return weights;
}

export interface FfdmNetwork {
  readonly architecture: FfdmArchitecture;
  readonly layers: ReadonlyArray<{
    readonly spec: FfdmLayerSpec;
    readonly kernel: tf.Variable<tf.Rank.R4>;
    readonly bias: tf.Variable<tf.Rank.R1>;
  }>;
}

export function createFfdmNetwork(arch: FfdmArchitecture, weights: FfdmWeights): FfdmNetwork {
  return {
    architecture: arch,
    layers: ffdmLayers(arch).map((spec) => {
      const w = weights.get(spec.name);
      if (!w) throw new Error(`weights for layer ${spec.name} are missing`);
      if (w.kernelShape.join('x') !== spec.kernelShape.join('x'))
        throw new Error(
          `layer ${spec.name}: kernel ${w.kernelShape.join('x')}, expected ${spec.kernelShape.join('x')}`,
        );
      const kernelInit = tf.tensor4d(w.kernel, [...spec.kernelShape] as [number, number, number, number]);
      const biasInit = tf.tensor1d(w.bias);
      const layer = {
        spec,
        kernel: tf.variable(kernelInit, true, `ffdm/${spec.name}/kernel`),
        bias: tf.variable(biasInit, true, `ffdm/${spec.name}/bias`),
      };
      kernelInit.dispose();
      biasInit.dispose();
      return layer;
    }),
  };
}

export const ffdmVariables = (network: FfdmNetwork): tf.Variable[] => network.layers.flatMap((l) => [l.kernel, l.bias]);

export function readFfdmWeights(network: FfdmNetwork): Map<string, FfdmLayerWeights> {
  return new Map(
    network.layers.map((l) => [
      l.spec.name,
      {
        kernel: (l.kernel.dataSync() as Float32Array).slice(),
        kernelShape: l.spec.kernelShape,
        bias: (l.bias.dataSync() as Float32Array).slice(),
      },
    ]),
  );
}

export function disposeFfdmNetwork(network: FfdmNetwork): void {
  for (const l of network.layers) {
    l.kernel.dispose();
    l.bias.dispose();
  }
}

/**
 * image, noiseMap: [N, H, W, 1] with H and W even. Returns the denoised [N, H, W, 1].
 * With a guard, the exported model's full graph (speckGuard.ts); training runs the network alone.
 */
export function ffdmForward(
  network: FfdmNetwork,
  image: tf.Tensor4D,
  noiseMap: tf.Tensor4D,
  guard?: SpeckGuard,
): tf.Tensor4D {
  const [n, height, width] = image.shape;
  if (height % 2 !== 0 || width % 2 !== 0)
    throw new Error(`input height and width must be even, got ${height}x${width}`);
  return tf.tidy(() => {
    let h: tf.Tensor4D = tf.concat([image, tf.mul(noiseMap, NOISE_INPUT_SCALE)], 3);
    for (const layer of network.layers) {
      const { spec } = layer;
      if (spec.kind === 'shuffle') {
        h = tf.add(tf.conv2dTranspose(h, layer.kernel, [n, height, width, 1], 2, 'valid'), layer.bias);
      } else {
        h = tf.relu(
          tf.add(
            tf.conv2d(h, layer.kernel, spec.kind === 'unshuffle' ? 2 : 1, spec.kind === 'unshuffle' ? 'valid' : 'same'),
            layer.bias,
          ),
        );
      }
    }
    const denoised = tf.add(h, image) as tf.Tensor4D;
    return guard ? applySpeckGuard(guard, image, denoised, noiseMap) : denoised;
  });
}
