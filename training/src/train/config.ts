import type { ArchitectureId } from '../model/architecture';
import { LIGHT_CONDITIONS, PAPER_CONDITIONS } from '../noise/noise';

export type PresetName =
  | 'paper'
  | 'patches'
  | 'finetune'
  | 'finetune-psnr'
  | 'finetune-impulse'
  | 'finetune-impulse-light'
  | 'finetune-impulse-sigma5'
  | 'finetune-impulse-anneal-sigma5x12'
  | 'smoke';
export const PRESET_NAMES: readonly PresetName[] = [
  'paper',
  'patches',
  'finetune',
  'finetune-psnr',
  'finetune-impulse',
  'finetune-impulse-light',
  'finetune-impulse-sigma5',
  'finetune-impulse-anneal-sigma5x12',
  'smoke',
];

/**
 * mse: the paper's loss. noise-normalised: each sample's MSE divided by its input's
 * noise power (plus a floor), so a clean crop's residual error weighs as much as a
 * sigma-70 crop's; plain MSE lets heavy noise dominate and smooths clean input.
 * log-mse: the mean over crops of log(MSE + floor), i.e. minus the mean per-crop PSNR up
 * to a constant: the figure the evaluation reports, so each crop's gradient is scaled by
 * 1/its own error and no condition is starved once the others are good.
 */
export type LossWeighting = 'mse' | 'noise-normalised' | 'log-mse';

export interface TrainConfig {
  readonly preset: PresetName;
  readonly architecture: ArchitectureId;
  /**
   * Noise condition ids drawn uniformly per training sample (blind
   * model); an id listed k times is drawn k times as often.
   */
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
  /**
   * Seed of the patient split and crops: shared by every preset so all models are tested on the same unseen patients.
   */
  readonly datasetSeed: string;
  readonly checkpointEveryMinutes: number;
  /** Absent in checkpoints written before it existed: those are 'mse'. */
  readonly lossWeighting?: LossWeighting;
  /** The run starts from another run's best weights (train --init-from); fresh Adam state. */
  readonly requiresInit?: boolean;
}

/** The MIAS split every shipped model uses. */
export const DATASET_SEED = 'mias-split-1';

const paperIds = PAPER_CONDITIONS.map((c) => c.id);
const allIds = [...paperIds, ...LIGHT_CONDITIONS.map((c) => c.id)];
/** All 14, with sigma 5, 10 and 20 listed three times each. */
const lightNoiseWeightedIds = [...allIds, ...['gaussian-5', 'gaussian-10', 'gaussian-20'].flatMap((id) => [id, id])];
/** All 14, with sigma 5 listed six times and sigma 10 and 20 three times each. */
const sigma5WeightedIds = [...lightNoiseWeightedIds, ...Array<string>(3).fill('gaussian-5')];
/** As sigma5WeightedIds, with sigma 5 listed twelve times. */
const sigma5x12WeightedIds = [...sigma5WeightedIds, ...Array<string>(6).fill('gaussian-5')];

/** Adam's step size: `learningRate` for the first `decayAfterEpochs` epochs, then `decayedLearningRate`. */
type Schedule = Pick<TrainConfig, 'learningRate' | 'decayedLearningRate' | 'decayAfterEpochs'>;
/** The learning rate of the fine-tunes that end the default model's training: lower steps once the mix is settled. */
const ANNEAL: Schedule = { learningRate: 3e-5, decayedLearningRate: 1e-5, decayAfterEpochs: 3 };

/**
 * A fine-tune: from another run's best weights (--init-from), batch 16, Adam
 * 1e-4 throughout unless a schedule is given, early stop after 3 flat epochs.
 */
function fineTune(
  preset: PresetName,
  architecture: ArchitectureId,
  conditions: readonly string[],
  lossWeighting: LossWeighting,
  maxEpochs = 12,
  schedule?: Schedule,
): TrainConfig {
  return {
    preset,
    architecture,
    conditions,
    batchSize: 16,
    cropSize: 64,
    samples: 3000,
    learningRate: 1e-4,
    decayedLearningRate: 1e-4,
    decayAfterEpochs: maxEpochs,
    ...schedule,
    patience: 3,
    maxEpochs,
    validationSamples: 300,
    seed: `${preset}-1`,
    datasetSeed: DATASET_SEED,
    checkpointEveryMinutes: 3,
    lossWeighting,
    requiresInit: true,
  };
}

/**
 * paper: the paper's schedule (batch 4, Adam lr 0.01, then 1e-4 after 3 epochs,
 * early stop after 5 flat epochs) on 64 px crops, capped in epochs.
 * patches: the default model: residual variant, batch 16, lr 1e-3 then 1e-4,
 * over the paper's conditions plus clean and sigma 5/10/20 inputs.
 * finetune-psnr: continues a finetune run's best weights at lr 1e-4 with the log-mse loss.
 * finetune: continues a patches run's best weights (--init-from) at lr 1e-4 with the
 * noise-normalised loss, so clean, lightly noisy and salt-and-pepper input is left
 * nearly untouched while heavy noise is still removed.
 * finetune-impulse: continues a residual run's best weights behind the impulse switch
 * (architecture residual-impulse), lr 1e-4, log-mse: the network adapts to input whose
 * 0/255 pixels were already replaced by their 3x3 median.
 * finetune-impulse-light: continues finetune-impulse with sigma 5/10/20 drawn three times as
 * often. Behind the switch salt-and-pepper input is nearly clean, so five of the fourteen
 * conditions pull toward the identity, and light Gaussian noise (which wants a slight blur)
 * lost about 1.2 dB in finetune-impulse.
 * finetune-impulse-sigma5: continues finetune-impulse-light with sigma 5 drawn twice as often
 * again: its SSIM is the last figure below a classical filter's (a sigma-1 Gaussian blur).
 * finetune-impulse-anneal-sigma5x12: continues finetune-impulse-sigma5 with sigma 5 drawn twice as often
 * again (the trade is against clean input, which has about 10 dB to spare over its floor), at Adam 3e-5,
 * then 1e-5 after 3 epochs: at 1e-4 the validation loss moved by about as much between epochs as the gap left.
 * smoke: a few steps on tiny data, for tests and a quick end-to-end check.
 */
export const PRESETS: Readonly<Record<PresetName, TrainConfig>> = {
  paper: {
    preset: 'paper',
    architecture: 'paper',
    conditions: paperIds,
    batchSize: 4,
    cropSize: 64,
    samples: 3000,
    learningRate: 0.01,
    decayedLearningRate: 1e-4,
    decayAfterEpochs: 3,
    patience: 5,
    maxEpochs: 12,
    validationSamples: 300,
    seed: 'paper-1',
    datasetSeed: DATASET_SEED,
    checkpointEveryMinutes: 3,
  },
  patches: {
    preset: 'patches',
    architecture: 'residual',
    conditions: allIds,
    batchSize: 16,
    cropSize: 64,
    samples: 3000,
    learningRate: 1e-3,
    decayedLearningRate: 1e-4,
    decayAfterEpochs: 24,
    patience: 5,
    maxEpochs: 36,
    validationSamples: 300,
    seed: 'patches-1',
    datasetSeed: DATASET_SEED,
    checkpointEveryMinutes: 3,
  },
  finetune: fineTune('finetune', 'residual', allIds, 'noise-normalised'),
  'finetune-psnr': fineTune('finetune-psnr', 'residual', allIds, 'log-mse', 8),
  'finetune-impulse': fineTune('finetune-impulse', 'residual-impulse', allIds, 'log-mse'),
  'finetune-impulse-light': fineTune('finetune-impulse-light', 'residual-impulse', lightNoiseWeightedIds, 'log-mse'),
  'finetune-impulse-sigma5': fineTune('finetune-impulse-sigma5', 'residual-impulse', sigma5WeightedIds, 'log-mse'),
  'finetune-impulse-anneal-sigma5x12': fineTune(
    'finetune-impulse-anneal-sigma5x12',
    'residual-impulse',
    sigma5x12WeightedIds,
    'log-mse',
    8,
    ANNEAL,
  ),
  smoke: {
    preset: 'smoke',
    architecture: 'residual',
    conditions: allIds,
    batchSize: 2,
    cropSize: 16,
    samples: 40,
    learningRate: 1e-3,
    decayedLearningRate: 1e-4,
    decayAfterEpochs: 1,
    patience: 5,
    maxEpochs: 2,
    validationSamples: 4,
    seed: 'smoke-1',
    datasetSeed: DATASET_SEED,
    checkpointEveryMinutes: 3,
  },
};

/**
 * Added to each sample's noise power (on the [0,1] scale): sigma
 * 2 in 8-bit units, so a clean crop's weight stays finite.
 */
export const NOISE_POWER_FLOOR = (2 / 255) ** 2;

/**
 * Added to each crop's MSE (on the [0,1] scale) under log-mse:
 * half a grey level, below which 8-bit rounding hides any error.
 */
export const LOG_MSE_FLOOR = (0.5 / 255) ** 2;

export const lossWeightingOf = (config: TrainConfig): LossWeighting => config.lossWeighting ?? 'mse';

export function learningRateFor(config: TrainConfig, epochIndex: number): number {
  return epochIndex < config.decayAfterEpochs ? config.learningRate : config.decayedLearningRate;
}

type ScheduleFields = Schedule & Pick<TrainConfig, 'maxEpochs'>;

/** "Adam 0.01, then 0.0001 after epoch 3", or "Adam 0.0001 throughout" when the rate never changes within the run. */
export function describeSchedule(config: ScheduleFields): string {
  const decays = config.decayedLearningRate !== config.learningRate && config.decayAfterEpochs < config.maxEpochs;
  return decays
    ? `Adam ${config.learningRate}, then ${config.decayedLearningRate} after epoch ${config.decayAfterEpochs}`
    : `Adam ${config.learningRate} throughout`;
}
