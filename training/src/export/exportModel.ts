import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '../backend/tf';
import {
  eightBitToModel,
  MODEL_CARD_SCHEMA,
  MODEL_INPUT_NAME,
  MODEL_OUTPUT_NAME,
  normalisationText,
  type ModelCard,
} from '@mammo-denoise/core';
import type { Crop } from '../data/dataset';
import { architecture, receptiveFieldRadius } from '../model/architecture';
import { createNetwork, disposeNetwork, forward } from '../model/network';
import type { TrainingState } from '../train/checkpoint';
import { OnnxDenoiser } from '../evaluate/onnxDenoiser';
import { foldBatchNorm } from './foldBatchNorm';
import { buildOnnxModel, ONNX_OPSET } from './onnxModel';

/** The card's io.normalization, written from the model contract (core's contract/modelSpace.ts). */
export const NORMALIZATION = normalisationText('film');

export const INTENDED_USE =
  'Research use only; not for primary diagnosis. Reduces Gaussian and impulse ' +
  'noise in greyscale mammograms for viewing, side by side with the original.';

export const DOMAIN_GAP =
  'Trained on MIAS: 200 µm, 8-bit digitised film mammograms with synthetic additive Gaussian and salt-and-pepper ' +
  'noise. Not trained on full-field digital mammograms, whose noise is signal-dependent (quantum and electronic) ' +
  'and whose processing differs per vendor; on such images it is a smoother, not a validated restoration.';

export const MIAS_LICENCE =
  'MIAS MiniMammographic Database: research use only, per the database licence (Licence.txt in all-mias.tar.gz).';
export const MIAS_CITATION =
  'J. Suckling et al., "The Mammographic Image Analysis Society digital mammogram database", ' +
  'Exerpta Medica, International Congress Series 1069, pp. 375-378, 1994.';

export interface ParityReport {
  readonly maxAbsDifference: number;
  readonly inputs: string;
}

/** Runs TF.js (inference mode, unfolded batch norm) and the exported graph on the same inputs. */
export async function checkParity(
  state: TrainingState,
  onnx: Uint8Array,
  crops: readonly Crop[],
): Promise<ParityReport> {
  const spec = architecture(state.config.architecture);
  const network = createNetwork(spec, state.bestWeights);
  const denoiser = await OnnxDenoiser.load(onnx);
  const size = state.config.cropSize;
  const count = Math.min(8, crops.length);
  const real = new Uint8Array(count * size * size);
  crops.slice(0, count).forEach((c, i) => real.set(c.pixels, i * size * size));
  const random = Uint8Array.from({ length: 2 * 96 * 128 }, (_, i) => (i * 2654435761) >>> 24);
  let max = 0;
  for (const [pixels, n, h, w] of [
    [real, count, size, size],
    [random, 1, 96, 256],
  ] as const) {
    const input = Float32Array.from(pixels, eightBitToModel);
    const expected = tf.tidy(() => forward(network, tf.tensor4d(input, [n, h, w, 1]), false).dataSync());
    const actual = h === w ? await denoiser.denoiseRaw(pixels, n, h) : await denoiser.denoiseRect(pixels, h, w);
    for (let i = 0; i < expected.length; i += 1)
      max = Math.max(max, Math.abs((expected[i] as number) - (actual[i] as number)));
  }
  disposeNetwork(network);
  await denoiser.release();
  return { maxAbsDifference: max, inputs: `${count} test crops of ${size}x${size} and one 96x256 pseudo-random image` };
}

export interface ExportResult {
  readonly onnxPath: string;
  readonly onnxBytes: Uint8Array;
  readonly sha256: string;
}

/** Writes models/<id>.onnx atomically from the run's best weights (batch norm folded). */
export function writeOnnx(state: TrainingState, modelsDir: string, id: string, version: string): ExportResult {
  const spec = architecture(state.config.architecture);
  const folded = new Map(
    spec.layers.map((l) => {
      const w = state.bestWeights.get(l.name);
      if (!w) throw new Error(`checkpoint has no weights for ${l.name}`);
      return [l.name, foldBatchNorm(l, w)] as const;
    }),
  );
  const onnxBytes = buildOnnxModel(spec, folded, {
    modelId: id,
    modelVersion: version,
    docString:
      `Mammogram denoising autoencoder (${spec.id}), trained on MIAS. ` +
      `Input/output: float32 [batch,1,H,W], H and W even, ${NORMALIZATION}`,
    metadata: { architecture: spec.id, normalization: NORMALIZATION, intended_use: INTENDED_USE },
  });
  mkdirSync(modelsDir, { recursive: true });
  const onnxPath = join(modelsDir, `${id}.onnx`);
  const tmp = `${onnxPath}.tmp-${process.pid}`;
  writeFileSync(tmp, onnxBytes);
  renameSync(tmp, onnxPath);
  return { onnxPath, onnxBytes, sha256: createHash('sha256').update(onnxBytes).digest('hex') };
}

export function ioContract(state: TrainingState): ModelCard['io'] {
  const spec = architecture(state.config.architecture);
  return {
    inputName: MODEL_INPUT_NAME,
    outputName: MODEL_OUTPUT_NAME,
    layout: 'NCHW',
    dtype: 'float32',
    sizeMultiple: 2,
    receptiveFieldRadius: receptiveFieldRadius(spec),
    inputRange: [0, 1],
    outputClipped: false,
    normalization: NORMALIZATION,
  };
}

export { MODEL_CARD_SCHEMA, ONNX_OPSET };
