/**
 * The paper's 12-layer convolutional autoencoder, as plain data.
 *
 * Every layer is a 3x3 convolution. Layer order is conv → batch norm → ReLU so
 * that batch norm folds exactly into the convolution at export; the last layer
 * is linear. The encoder is 32,32,32 | max-pool 2x2 | 32,64,128, the decoder
 * 64,64,32, then a stride-2 transposed convolution (32) restores full resolution,
 * then 16 and 1.
 *
 * The `residual` variant (the viewer's default model) keeps that backbone and
 * adds two connections: the full-resolution encoder features after conv3 are
 * added to the upsampled decoder features after conv10, and the network output
 * is added to its input (it predicts a correction, so clean input can pass
 * through untouched).
 *
 * The `residual-impulse` variant is `residual` behind an impulse switch
 * (impulseSwitch.ts): pixels at exactly 0 or 1 are first replaced by their 3x3
 * median, and the network corrects that switched image (the global residual
 * adds the switched image, not the raw input). Same layers and weights as
 * `residual`, so one can be fine-tuned from the other.
 */

import { IMPULSE_SWITCH_RADIUS } from './impulseSwitch';

export type ArchitectureId = 'paper' | 'residual' | 'residual-impulse';

export interface LayerSpec {
  /** Stable name used for weights, checkpoints and ONNX initializers. */
  readonly name: string;
  readonly kind: 'conv' | 'convTranspose';
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: 3;
  readonly stride: 1 | 2;
  /** Batch norm after the convolution (then no conv bias, beta plays that role). */
  readonly batchNorm: boolean;
  readonly activation: 'relu' | 'linear';
}

export interface ArchitectureSpec {
  readonly id: ArchitectureId;
  readonly layers: readonly LayerSpec[];
  /** 2x2 max-pool, stride 2, after this layer. */
  readonly poolAfter: string;
  /** Output of `from` (after its activation) is added to output of `to` (after its activation). */
  readonly skip: { readonly from: string; readonly to: string } | null;
  /** Network output is added to the network input (to the switched input when there is an impulse switch). */
  readonly globalResidual: boolean;
  /** The input passes the 3x3 impulse switch before the first layer. */
  readonly impulseSwitch: boolean;
}

export const BATCH_NORM_EPSILON = 1e-3;

const conv = (name: string, inChannels: number, outChannels: number): LayerSpec => ({
  name,
  kind: 'conv',
  inChannels,
  outChannels,
  kernelSize: 3,
  stride: 1,
  batchNorm: true,
  activation: 'relu',
});

const BACKBONE: readonly LayerSpec[] = [
  conv('conv1', 1, 32),
  conv('conv2', 32, 32),
  conv('conv3', 32, 32),
  conv('conv4', 32, 32),
  conv('conv5', 32, 64),
  conv('conv6', 64, 128),
  conv('conv7', 128, 64),
  conv('conv8', 64, 64),
  conv('conv9', 64, 32),
  { ...conv('conv10', 32, 32), kind: 'convTranspose', stride: 2 },
  conv('conv11', 32, 16),
  { ...conv('conv12', 16, 1), batchNorm: false, activation: 'linear' },
];

export function architecture(id: ArchitectureId): ArchitectureSpec {
  switch (id) {
    case 'paper':
      return { id, layers: BACKBONE, poolAfter: 'conv3', skip: null, globalResidual: false, impulseSwitch: false };
    case 'residual':
    case 'residual-impulse':
      return {
        id,
        layers: BACKBONE,
        poolAfter: 'conv3',
        skip: { from: 'conv3', to: 'conv10' },
        globalResidual: true,
        impulseSwitch: id === 'residual-impulse',
      };
  }
}

export const ARCHITECTURE_IDS: readonly ArchitectureId[] = ['paper', 'residual', 'residual-impulse'];

export const isArchitectureId = (id: unknown): id is ArchitectureId => ARCHITECTURE_IDS.includes(id as ArchitectureId);

/**
 * Whether a run of one architecture may continue from another's weights (--init-from):
 * the same layers wired the same way; only the parameter-free impulse switch may differ.
 */
export function canFineTune(from: ArchitectureSpec, to: ArchitectureSpec): boolean {
  const wiring = ({ layers, poolAfter, skip, globalResidual }: ArchitectureSpec): string =>
    JSON.stringify({ layers, poolAfter, skip, globalResidual });
  return wiring(from) === wiring(to);
}

/**
 * Upper bound, in input pixels per side, of the region that one output pixel
 * depends on: each 3x3 conv adds one pixel at its scale, the 2x2 pool one
 * pixel, the stride-2 transposed conv two. Tiles need at least this halo.
 */
export function receptiveFieldRadius(spec: ArchitectureSpec): number {
  let radius = spec.impulseSwitch ? IMPULSE_SWITCH_RADIUS : 0;
  let scale = 1;
  for (const layer of spec.layers) {
    if (layer.kind === 'convTranspose') {
      radius += 2;
      scale /= layer.stride;
    } else {
      radius += scale;
    }
    if (spec.poolAfter === layer.name) {
      radius += scale;
      scale *= 2;
    }
  }
  return radius;
}
