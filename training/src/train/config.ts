import type { ArchitectureId } from '../model/architecture';
import { LIGHT_CONDITIONS, PAPER_CONDITIONS } from '../noise/noise';

export type PresetName = 'paper' | 'patches' | 'smoke';
export const PRESET_NAMES: readonly PresetName[] = ['paper', 'patches', 'smoke'];

export interface TrainConfig {
  readonly preset: PresetName;
  readonly architecture: ArchitectureId;
  /** Noise condition ids drawn uniformly per training sample (blind model). */
  readonly conditions: readonly string[];
  readonly batchSize: number;
  readonly cropSize: number;
  /** Total crops of the dataset (split 8:1:1). */
  readonly samples: number;
  readonly learningRate: number;
  /** Learning rate from epoch `decayAfterEpochs` + 1 on. */
  readonly decayedLearningRate: number;
  readonly decayAfterEpochs: number;
  /** Stop after this many epochs without a lower validation loss. */
  readonly patience: number;
  readonly maxEpochs: number;
  /** Validation crops used per epoch (each with one fixed noise condition). */
  readonly validationSamples: number;
  /** Seed of the noise, initial weights and batch order. */
  readonly seed: string;
  /** Seed of the patient split and crops: shared by every preset so all models are tested on the same unseen patients. */
  readonly datasetSeed: string;
  readonly checkpointEveryMinutes: number;
}

/** The MIAS split every shipped model uses. */
export const DATASET_SEED = 'mias-split-1';

const paperIds = PAPER_CONDITIONS.map((c) => c.id);
const allIds = [...paperIds, ...LIGHT_CONDITIONS.map((c) => c.id)];

/**
 * paper: the paper's schedule (batch 4, Adam lr 0.01, then 1e-4 after 3 epochs,
 * early stop after 5 flat epochs) on 64 px crops, capped in epochs.
 * patches: the default model: residual variant, batch 16, lr 1e-3 then 1e-4,
 * over the paper's conditions plus clean and sigma 5/10/20 inputs.
 * smoke: a few steps on tiny data, for tests and a quick end-to-end check.
 */
export const PRESETS: Readonly<Record<PresetName, TrainConfig>> = {
  paper: {
    preset: 'paper', architecture: 'paper', conditions: paperIds, batchSize: 4, cropSize: 64, samples: 3000,
    learningRate: 0.01, decayedLearningRate: 1e-4, decayAfterEpochs: 3, patience: 5, maxEpochs: 12,
    validationSamples: 300, seed: 'paper-1', datasetSeed: DATASET_SEED, checkpointEveryMinutes: 3,
  },
  patches: {
    preset: 'patches', architecture: 'residual', conditions: allIds, batchSize: 16, cropSize: 64, samples: 3000,
    learningRate: 1e-3, decayedLearningRate: 1e-4, decayAfterEpochs: 24, patience: 5, maxEpochs: 36,
    validationSamples: 300, seed: 'patches-1', datasetSeed: DATASET_SEED, checkpointEveryMinutes: 3,
  },
  smoke: {
    preset: 'smoke', architecture: 'residual', conditions: allIds, batchSize: 2, cropSize: 16, samples: 40,
    learningRate: 1e-3, decayedLearningRate: 1e-4, decayAfterEpochs: 1, patience: 5, maxEpochs: 2,
    validationSamples: 4, seed: 'smoke-1', datasetSeed: DATASET_SEED, checkpointEveryMinutes: 3,
  },
};

export function learningRateFor(config: TrainConfig, epochIndex: number): number {
  return epochIndex < config.decayAfterEpochs ? config.learningRate : config.decayedLearningRate;
}
