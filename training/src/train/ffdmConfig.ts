import { FFDM_ARCHITECTURE, type FfdmArchitecture } from '../model/ffdmNetwork';
import { FFDM_SAMPLE_OPTIONS, type SampleOptions } from './ffdmCrops';

/** A digital-mammogram training run: network, samples, schedule. */
export interface FfdmTrainConfig {
  readonly preset: string;
  readonly architecture: FfdmArchitecture;
  readonly sample: SampleOptions;
  readonly batchSize: number;
  /** Samples are drawn fresh every step; an "epoch" is this many steps, then validation and a checkpoint. */
  readonly stepsPerEpoch: number;
  readonly maxEpochs: number;
  /** Adam learning rate from each epoch on (sorted by fromEpoch). */
  readonly learningRates: ReadonlyArray<{ readonly fromEpoch: number; readonly rate: number }>;
  readonly validationCrops: number;
  readonly seed: string;
}

/** The digital-mammogram model's run from scratch. */
const FFDM: FfdmTrainConfig = {
  preset: 'ffdm',
  architecture: FFDM_ARCHITECTURE,
  sample: FFDM_SAMPLE_OPTIONS,
  batchSize: 16,
  stepsPerEpoch: 200,
  maxEpochs: 24,
  learningRates: [
    { fromEpoch: 0, rate: 1e-3 },
    { fromEpoch: 12, rate: 3e-4 },
    { fromEpoch: 18, rate: 1e-4 },
  ],
  validationCrops: 128,
  seed: 'ffdm-2',
};

export const FFDM_PRESETS: Readonly<Record<string, FfdmTrainConfig>> = {
  ffdm: FFDM,
  // Fine-tuning from the ffdm run's best weights (--init-from): four times the speck weight, at the lower rates,
  // because ffdm kept 0.89 of speck contrast on the validation patient at epoch 7 and issue 13 asks for 0.90 and
  // a speck CNR no lower than the untouched image's.
  'ffdm-keep': {
    ...FFDM,
    preset: 'ffdm-keep',
    sample: { ...FFDM_SAMPLE_OPTIONS, speckLossWeight: 400 },
    maxEpochs: 12,
    learningRates: [
      { fromEpoch: 0, rate: 3e-4 },
      { fromEpoch: 6, rate: 1e-4 },
    ],
    seed: 'ffdm-keep-1',
  },
  // Fine-tuning from the ffdm-keep run's best weights (--init-from its checkpoint, ffdm-nlf 1.0.0's; git history, see
  // training/checkpoints/README.md): an eighth of ffdm-keep's speck weight, because the speck guard (speckGuard.ts)
  // now keeps bright specks in the graph and the network alone was below a 1-px Gaussian blur in PSNR at 25% dose on
  // the validation patient. A speck weight of 15 was tried alongside (3 epochs): the network alone's PSNR at 25%
  // within 0.05 dB of this one's, its speck contrast 0.03-0.05 lower.
  'ffdm-psnr': {
    ...FFDM,
    preset: 'ffdm-psnr',
    sample: { ...FFDM_SAMPLE_OPTIONS, speckLossWeight: 50 },
    maxEpochs: 8,
    learningRates: [
      { fromEpoch: 0, rate: 3e-4 },
      { fromEpoch: 4, rate: 1e-4 },
    ],
    seed: 'ffdm-psnr-1',
  },
  'ffdm-smoke': {
    preset: 'ffdm-smoke',
    architecture: { ...FFDM_ARCHITECTURE, width: 8, depth: 2 },
    sample: { ...FFDM_SAMPLE_OPTIONS, size: 32 },
    batchSize: 2,
    stepsPerEpoch: 3,
    maxEpochs: 2,
    learningRates: [{ fromEpoch: 0, rate: 1e-3 }],
    validationCrops: 4,
    seed: 'ffdm-smoke',
  },
};

export function learningRateAt(config: FfdmTrainConfig, epoch: number): number {
  let rate = config.learningRates[0]?.rate ?? 1e-3;
  for (const phase of config.learningRates) if (epoch >= phase.fromEpoch) rate = phase.rate;
  return rate;
}
