import * as tf from '../backend/tf';
import type { Random } from '../data/random';
import { BATCH_NORM_EPSILON, type ArchitectureSpec, type LayerSpec } from './architecture';
import { IMPULSE_VALUES, medianOf9, WINDOW_OFFSETS } from './impulseSwitch';
import type { LayerWeights, ModelWeights } from './weights';

/**
 * The autoencoder as TensorFlow.js variables and a forward function (no
 * tfjs-layers: we own the batch-norm update, the checkpoint format and the
 * export, so plain variables keep those in one place each).
 */
export interface LayerVariables {
  readonly spec: LayerSpec;
  readonly kernel: tf.Variable<tf.Rank.R4>;
  readonly bias: tf.Variable<tf.Rank.R1> | null;
  readonly gamma: tf.Variable<tf.Rank.R1> | null;
  readonly beta: tf.Variable<tf.Rank.R1> | null;
  /** Not trained by gradients; updated as exponential moving averages. */
  readonly movingMean: tf.Variable<tf.Rank.R1> | null;
  readonly movingVariance: tf.Variable<tf.Rank.R1> | null;
}

export interface Network {
  readonly architecture: ArchitectureSpec;
  readonly layers: readonly LayerVariables[];
  /** Keras's default momentum for the batch-norm moving averages. */
  readonly batchNormMomentum: number;
}

function kernelShape(spec: LayerSpec): [number, number, number, number] {
  const k = spec.kernelSize;
  return spec.kind === 'conv' ? [k, k, spec.inChannels, spec.outChannels] : [k, k, spec.outChannels, spec.inChannels];
}

/** He-normal for ReLU layers, Glorot-normal for the linear output layer; drawn from `random` so runs reproduce. */
export function initialWeights(architecture: ArchitectureSpec, random: Random): Map<string, LayerWeights> {
  const weights = new Map<string, LayerWeights>();
  for (const spec of architecture.layers) {
    const shape = kernelShape(spec);
    const fanIn = spec.kernelSize * spec.kernelSize * spec.inChannels;
    const fanOut = spec.kernelSize * spec.kernelSize * spec.outChannels;
    let std = spec.activation === 'relu' ? Math.sqrt(2 / fanIn) : Math.sqrt(2 / (fanIn + fanOut));
    // A residual model starts as the identity: its correction begins near zero.
    if (architecture.globalResidual && spec.activation === 'linear') std *= 0.1;
    const kernel = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < kernel.length; i += 1) kernel[i] = std * random.normal();
    const c = spec.outChannels;
    weights.set(spec.name, {
      kernel,
      kernelShape: shape,
      bias: spec.batchNorm ? null : new Float32Array(c),
      batchNorm: spec.batchNorm
        ? {
            gamma: new Float32Array(c).fill(1),
            beta: new Float32Array(c),
            movingMean: new Float32Array(c),
            movingVariance: new Float32Array(c).fill(1),
          }
        : null,
    });
  }
  return weights;
}

/** tf.variable keeps its initial tensor alive; dispose it so networks and optimisers leak nothing. */
export function variableFrom<R extends tf.Rank>(
  initial: tf.Tensor<R>,
  trainable: boolean,
  name?: string,
): tf.Variable<R> {
  const variable = tf.variable(initial, trainable, name);
  initial.dispose();
  return variable;
}

export function createNetwork(architecture: ArchitectureSpec, weights: ModelWeights): Network {
  const layers = architecture.layers.map((spec): LayerVariables => {
    const w = weights.get(spec.name);
    if (!w) throw new Error(`weights for layer ${spec.name} are missing`);
    const expected = kernelShape(spec);
    if (w.kernelShape.join('x') !== expected.join('x')) {
      throw new Error(
        `layer ${spec.name}: kernel shape ${w.kernelShape.join('x')} ` +
          `does not match the architecture's ${expected.join('x')}`,
      );
    }
    const v1 = (values: Float32Array, name: string, trainable: boolean): tf.Variable<tf.Rank.R1> =>
      variableFrom(tf.tensor1d(values), trainable, `${architecture.id}/${spec.name}/${name}`);
    return {
      spec,
      kernel: variableFrom(tf.tensor4d(w.kernel, expected), true, `${architecture.id}/${spec.name}/kernel`),
      bias: w.bias ? v1(w.bias, 'bias', true) : null,
      gamma: w.batchNorm ? v1(w.batchNorm.gamma, 'gamma', true) : null,
      beta: w.batchNorm ? v1(w.batchNorm.beta, 'beta', true) : null,
      movingMean: w.batchNorm ? v1(w.batchNorm.movingMean, 'moving_mean', false) : null,
      movingVariance: w.batchNorm ? v1(w.batchNorm.movingVariance, 'moving_variance', false) : null,
    };
  });
  return { architecture, layers, batchNormMomentum: 0.99 };
}

export function trainableVariables(network: Network): tf.Variable[] {
  return network.layers.flatMap((l) =>
    [l.kernel, l.bias, l.gamma, l.beta].filter(
      (v): v is tf.Variable<tf.Rank.R1> | tf.Variable<tf.Rank.R4> => v !== null,
    ),
  );
}

/** Reads the current weights back into plain arrays (for checkpoints and export). */
export function readWeights(network: Network): Map<string, LayerWeights> {
  const weights = new Map<string, LayerWeights>();
  const read = (v: tf.Variable): Float32Array => v.dataSync() as Float32Array;
  for (const l of network.layers) {
    weights.set(l.spec.name, {
      kernel: read(l.kernel).slice(),
      kernelShape: l.kernel.shape as [number, number, number, number],
      bias: l.bias ? read(l.bias).slice() : null,
      batchNorm:
        l.gamma && l.beta && l.movingMean && l.movingVariance
          ? {
              gamma: read(l.gamma).slice(),
              beta: read(l.beta).slice(),
              movingMean: read(l.movingMean).slice(),
              movingVariance: read(l.movingVariance).slice(),
            }
          : null,
    });
  }
  return weights;
}

export function disposeNetwork(network: Network): void {
  for (const l of network.layers)
    for (const v of [l.kernel, l.bias, l.gamma, l.beta, l.movingMean, l.movingVariance]) v?.dispose();
}

/** Batch statistics seen in a training forward pass, to update the moving averages after the step. */
export type BatchStatistics = Map<string, { mean: tf.Tensor1D; variance: tf.Tensor1D }>;

/**
 * x: [N, H, W, 1] float32 in [0, 1] with H and W even. Returns [N, H, W, 1].
 * In training mode batch norm uses the batch's statistics and records them in
 * `statistics` (the caller keeps and later disposes them).
 */
export function forward(
  network: Network,
  x: tf.Tensor4D,
  training: boolean,
  statistics?: BatchStatistics,
): tf.Tensor4D {
  const { architecture } = network;
  const [n, height, width] = x.shape;
  if (height % 2 !== 0 || width % 2 !== 0)
    throw new Error(`input height and width must be even, got ${height}x${width}`);
  const input = architecture.impulseSwitch ? switchImpulses(x) : x;
  let h: tf.Tensor4D = input;
  let skip: tf.Tensor4D | null = null;
  for (const layer of network.layers) {
    const { spec } = layer;
    h =
      spec.kind === 'conv'
        ? tf.conv2d(h, layer.kernel, 1, 'same')
        : tf.conv2dTranspose(h, layer.kernel, [n, h.shape[1] * 2, h.shape[2] * 2, spec.outChannels], 2, 'same');
    if (layer.bias) h = tf.add(h, layer.bias);
    if (layer.gamma && layer.beta && layer.movingMean && layer.movingVariance) {
      let mean: tf.Tensor1D;
      let variance: tf.Tensor1D;
      if (training) {
        const moments = tf.moments(h, [0, 1, 2]);
        mean = moments.mean as tf.Tensor1D;
        variance = moments.variance as tf.Tensor1D;
        statistics?.set(spec.name, { mean: tf.keep(mean), variance: tf.keep(variance) });
      } else {
        mean = layer.movingMean;
        variance = layer.movingVariance;
      }
      h = tf.add(
        tf.mul(tf.sub(h, mean), tf.mul(tf.rsqrt(tf.add(variance, BATCH_NORM_EPSILON)), layer.gamma)),
        layer.beta,
      );
    }
    if (spec.activation === 'relu') h = tf.relu(h);
    if (architecture.skip?.from === spec.name) skip = h;
    if (architecture.skip?.to === spec.name) {
      if (!skip) throw new Error(`skip connection ${architecture.skip.from} → ${spec.name} has no source`);
      h = tf.add(h, skip);
    }
    if (architecture.poolAfter === spec.name) h = tf.maxPool(h, 2, 2, 'valid');
  }
  return architecture.globalResidual ? tf.add(h, input) : h;
}

/** impulseSwitch.ts in TF.js: exact 0/1 pixels become their 3x3 median (reflect borders). */
export function switchImpulses(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, height, width, c] = x.shape;
    const padded = tf.mirrorPad(
      x,
      [
        [0, 0],
        [1, 1],
        [1, 1],
        [0, 0],
      ],
      'reflect',
    );
    const window = WINDOW_OFFSETS.map(([dy, dx]) => tf.slice(padded, [0, dy, dx, 0], [n, height, width, c]));
    const median = medianOf9<tf.Tensor4D>(window, { min: (a, b) => tf.minimum(a, b), max: (a, b) => tf.maximum(a, b) });
    const [low, high] = IMPULSE_VALUES;
    return tf.where(tf.logicalOr(tf.equal(x, low), tf.equal(x, high)), median, x);
  });
}

/** Moves each batch-norm layer's moving mean/variance toward the batch statistics. */
export function updateMovingStatistics(network: Network, statistics: BatchStatistics): void {
  const m = network.batchNormMomentum;
  tf.tidy(() => {
    for (const layer of network.layers) {
      const s = statistics.get(layer.spec.name);
      if (!s || !layer.movingMean || !layer.movingVariance) continue;
      layer.movingMean.assign(tf.add(tf.mul(layer.movingMean, m), tf.mul(s.mean, 1 - m)));
      layer.movingVariance.assign(tf.add(tf.mul(layer.movingVariance, m), tf.mul(s.variance, 1 - m)));
    }
  });
  for (const s of statistics.values()) {
    s.mean.dispose();
    s.variance.dispose();
  }
  statistics.clear();
}
