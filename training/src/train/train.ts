import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '../backend/tf';
import { eightBitToModel, modelToEightBit } from '@mammo-denoise/core';
import { transformSquare, type Crop, type Dataset } from '../data/dataset';
import { Random } from '../data/random';
import { architecture, canFineTune } from '../model/architecture';
import {
  createNetwork,
  disposeNetwork,
  forward,
  initialWeights,
  readWeights,
  trainableVariables,
  updateMovingStatistics,
  type BatchStatistics,
  type Network,
} from '../model/network';
import { addNoise, conditionById } from '../noise/noise';
import { Adam } from './adam';
import { loadCheckpoint, saveCheckpoint, type EpochRecord, type ParentRun, type TrainingState } from './checkpoint';
import { learningRateFor, LOG_MSE_FLOOR, lossWeightingOf, NOISE_POWER_FLOOR, type TrainConfig } from './config';

export interface TrainProgress {
  readonly epoch: number;
  readonly maxEpochs: number;
  readonly step: number;
  readonly stepsPerEpoch: number;
  readonly loss: number;
  readonly validationPsnr: number | null;
  readonly learningRate: number;
}

export interface TrainOptions {
  /** Folder for checkpoint.bin and log.jsonl. */
  readonly runDir: string;
  /** Continue from runDir/checkpoint.bin (or `resumeFrom`) instead of starting over. */
  readonly resume: boolean;
  readonly resumeFrom?: string;
  /** Stop this invocation after this many steps (the run stays resumable). */
  readonly maxSteps?: number;
  /** Stop this invocation after this many minutes, at a checkpoint. */
  readonly maxMinutes?: number;
  readonly onProgress?: (progress: TrainProgress) => void;
  readonly onEpoch?: (record: EpochRecord) => void;
  /** A fresh run starts from this run's best weights (fine-tuning); recorded as the parent. */
  readonly initFrom?: { readonly state: TrainingState; readonly source: string; readonly sha256: string };
}

export const checkpointPath = (runDir: string): string => join(runDir, 'checkpoint.bin');

/**
 * A batch as network inputs (noisy) and targets (clean), both
 * in model space (eightBitToModel: /255), shape [N, S, S, 1].
 */
export interface Batch {
  readonly inputs: Float32Array;
  readonly targets: Float32Array;
  readonly size: number;
  readonly count: number;
}

/**
 * Per-sample loss weights for the noise-normalised loss: 1 / (input noise power + floor),
 * the input's MSE against the clean crop on the [0,1] scale. Needs no RNG, so runs reproduce.
 */
export function noiseNormalisedWeights(batch: Batch): Float32Array {
  const pixels = batch.size * batch.size;
  const weights = new Float32Array(batch.count);
  for (let i = 0; i < batch.count; i += 1) {
    let power = 0;
    for (let p = i * pixels; p < (i + 1) * pixels; p += 1)
      power += ((batch.inputs[p] as number) - (batch.targets[p] as number)) ** 2;
    weights[i] = 1 / (power / pixels + NOISE_POWER_FLOOR);
  }
  return weights;
}

/** The training objective on one batch: plain MSE, the mean of noise-normalised MSEs, or the mean log-MSE. */
function batchLoss(
  config: TrainConfig,
  output: tf.Tensor4D,
  target: tf.Tensor4D,
  weights: Float32Array | null,
): tf.Scalar {
  const weighting = lossWeightingOf(config);
  if (weighting === 'mse') return tf.mean(tf.squaredDifference(output, target)) as tf.Scalar;
  const perSample = tf.mean(tf.squaredDifference(output, target), [1, 2, 3]);
  if (weighting === 'log-mse') return tf.mean(tf.log(tf.add(perSample, LOG_MSE_FLOOR))) as tf.Scalar;
  if (weights === null) throw new Error('noise-normalised loss needs per-sample weights');
  return tf.mean(tf.mul(perSample, tf.tensor1d(weights))) as tf.Scalar;
}

/** Fresh flips and noise for each sample, drawn from `random` in a fixed order so runs reproduce. */
export function makeTrainingBatch(
  crops: readonly Crop[],
  cropSize: number,
  conditions: readonly string[],
  random: Random,
): Batch {
  const pixels = cropSize * cropSize;
  const inputs = new Float32Array(crops.length * pixels);
  const targets = new Float32Array(crops.length * pixels);
  crops.forEach((crop, i) => {
    const clean = transformSquare(crop.pixels, cropSize, random.int(8));
    const noisy = addNoise(clean, conditionById(conditions[random.int(conditions.length)] as string), random);
    for (let p = 0; p < pixels; p += 1) {
      inputs[i * pixels + p] = eightBitToModel(noisy[p] as number);
      targets[i * pixels + p] = eightBitToModel(clean[p] as number);
    }
  });
  return { inputs, targets, size: cropSize, count: crops.length };
}

/** Fixed validation samples: crop i gets condition i mod n and its own noise stream. */
export function makeValidationBatch(crops: readonly Crop[], config: TrainConfig): Batch {
  const n = Math.min(config.validationSamples, crops.length);
  const chosen = crops.slice(0, n);
  const pixels = config.cropSize * config.cropSize;
  const inputs = new Float32Array(n * pixels);
  const targets = new Float32Array(n * pixels);
  chosen.forEach((crop, i) => {
    const condition = conditionById(config.conditions[i % config.conditions.length] as string);
    const noisy = addNoise(crop.pixels, condition, Random.derive(config.seed, `validation/${i}`));
    for (let p = 0; p < pixels; p += 1) {
      inputs[i * pixels + p] = eightBitToModel(noisy[p] as number);
      targets[i * pixels + p] = eightBitToModel(crop.pixels[p] as number);
    }
  });
  return { inputs, targets, size: config.cropSize, count: n };
}

const toTensor = (values: Float32Array, count: number, size: number): tf.Tensor4D =>
  tf.tensor4d(values, [count, size, size, 1]);

export interface ValidationResult {
  readonly loss: number;
  readonly normalisedLoss: number;
  readonly logMseLoss: number;
  readonly psnr: number;
}

/**
 * Validation MSE on the [0,1] scale, the log-MSE loss, the noise-normalised loss (mean of per-sample MSE x weight),
 * and mean PSNR after rounding to 8 bits (as a stored image would be).
 */
export function validate(network: Network, batch: Batch, chunk = 16): ValidationResult {
  const pixels = batch.size * batch.size;
  const weights = noiseNormalisedWeights(batch);
  let squared = 0;
  let normalised = 0;
  let logMse = 0;
  let psnrSum = 0;
  for (let start = 0; start < batch.count; start += chunk) {
    const count = Math.min(chunk, batch.count - start);
    const output = tf.tidy(() =>
      forward(
        network,
        toTensor(batch.inputs.subarray(start * pixels, (start + count) * pixels), count, batch.size),
        false,
      ),
    );
    const values = output.dataSync();
    output.dispose();
    for (let i = 0; i < count; i += 1) {
      let mse8 = 0;
      let sampleSquared = 0;
      for (let p = 0; p < pixels; p += 1) {
        const target = batch.targets[(start + i) * pixels + p] as number;
        const out = values[i * pixels + p] as number;
        sampleSquared += (out - target) ** 2;
        mse8 += (modelToEightBit(out) - modelToEightBit(target)) ** 2;
      }
      squared += sampleSquared;
      normalised += (sampleSquared / pixels) * (weights[start + i] as number);
      logMse += Math.log(sampleSquared / pixels + LOG_MSE_FLOOR);
      mse8 /= pixels;
      // Identical 8-bit images: cap at 100 dB so one perfect crop cannot make the mean infinite.
      psnrSum += mse8 === 0 ? 100 : 10 * Math.log10((255 * 255) / mse8);
    }
  }
  return {
    loss: squared / (batch.count * pixels),
    normalisedLoss: normalised / batch.count,
    logMseLoss: logMse / batch.count,
    psnr: psnrSum / batch.count,
  };
}

/** The validation figure early stopping and best-weight selection use: the training objective. */
function validationObjective(config: TrainConfig, result: ValidationResult): number {
  const weighting = lossWeightingOf(config);
  return weighting === 'mse' ? result.loss : weighting === 'log-mse' ? result.logMseLoss : result.normalisedLoss;
}

function freshState(config: TrainConfig, dataset: Dataset, init: TrainOptions['initFrom']): TrainingState {
  const random = Random.derive(config.seed, 'training');
  const weights = init
    ? init.state.bestWeights
    : initialWeights(architecture(config.architecture), Random.derive(config.seed, 'init'));
  return {
    config,
    epoch: 0,
    epochOrder: random.shuffle(dataset.splits.train.map((_, i) => i)),
    cursor: 0,
    lossSumThisEpoch: 0,
    stepsThisEpoch: 0,
    random: random.state(),
    bestValidationLoss: Number.POSITIVE_INFINITY,
    epochsWithoutImprovement: 0,
    stopped: 'running',
    elapsedSeconds: 0,
    history: [],
    weights,
    bestWeights: weights,
    adam: { step: 0, moments: new Map() },
    ...(init ? { parent: parentOf(init) } : {}),
  };
}

function parentOf(init: NonNullable<TrainOptions['initFrom']>): ParentRun {
  const { state } = init;
  const best = state.history.reduce<EpochRecord | null>(
    (b, r) => (b === null || r.validationLoss < b.validationLoss ? r : b),
    null,
  );
  return {
    checkpoint: init.source,
    sha256: init.sha256,
    preset: state.config.preset,
    architecture: state.config.architecture,
    epochs: state.epoch,
    bestEpoch: best?.epoch ?? null,
    stopped: state.stopped,
    elapsedSeconds: state.elapsedSeconds,
    config: state.config,
    history: state.history,
    parent: state.parent ?? null,
  };
}

function sameRun(a: TrainConfig, b: TrainConfig): string | null {
  const keys: Array<keyof TrainConfig> = [
    'preset',
    'architecture',
    'batchSize',
    'cropSize',
    'samples',
    'seed',
    'datasetSeed',
    'learningRate',
    'decayedLearningRate',
    'decayAfterEpochs',
    'lossWeighting',
  ];
  const value = (c: TrainConfig, k: keyof TrainConfig): string =>
    JSON.stringify(k === 'lossWeighting' ? lossWeightingOf(c) : c[k]);
  const diff = keys.filter((k) => value(a, k) !== value(b, k));
  return diff.length === 0
    ? null
    : diff.map((k) => `${k}: checkpoint ${JSON.stringify(a[k])}, now ${JSON.stringify(b[k])}`).join('; ');
}

/**
 * Trains (or continues training) until early stop, the epoch cap, or this
 * invocation's step/time budget. Checkpoints every epoch and every
 * `checkpointEveryMinutes`, atomically, with everything a resume needs.
 */
export async function trainModel(config: TrainConfig, dataset: Dataset, options: TrainOptions): Promise<TrainingState> {
  mkdirSync(options.runDir, { recursive: true });
  const ckpt = options.resumeFrom ?? checkpointPath(options.runDir);
  let state: TrainingState;
  if (options.resume && existsSync(ckpt)) {
    const loaded = loadCheckpoint(ckpt);
    const mismatch = sameRun(loaded.config, config);
    if (mismatch)
      throw new Error(
        `cannot resume ${ckpt}: it belongs to a different run (${mismatch}). Use another --run-dir or drop --resume.`,
      );
    // Caps and patience may be raised on resume; everything that shapes the trajectory may not.
    state = {
      ...loaded,
      config,
      stopped: loaded.stopped === 'max-epochs' && loaded.epoch < config.maxEpochs ? 'running' : loaded.stopped,
    };
  } else {
    if (options.resume && options.resumeFrom) throw new Error(`cannot resume: ${options.resumeFrom} does not exist`);
    if (config.requiresInit && !options.initFrom)
      throw new Error(
        `preset ${config.preset} fine-tunes another run: give --init-from <checkpoint> (e.g. a finished patches run)`,
      );
    if (
      options.initFrom &&
      !canFineTune(architecture(options.initFrom.state.config.architecture), architecture(config.architecture))
    ) {
      throw new Error(
        `--init-from ${options.initFrom.source} holds a ${options.initFrom.state.config.architecture} network, ` +
          `which is not the ${config.architecture} network that ` +
          `preset ${config.preset} trains (only the impulse switch may differ)`,
      );
    }
    state = freshState(config, dataset, options.initFrom);
  }
  if (state.stopped !== 'running') return state;

  const logFile = join(options.runDir, 'log.jsonl');
  const log = (record: object): void =>
    appendFileSync(logFile, `${JSON.stringify({ time: new Date().toISOString(), ...record })}\n`);
  const network = createNetwork(architecture(config.architecture), state.weights);
  const variables = trainableVariables(network);
  const adam = new Adam(variables, state.adam.step > 0 ? state.adam : undefined);
  const random = Random.fromState(state.random);
  const train = dataset.splits.train;
  const validation = makeValidationBatch(dataset.splits.validation, config);
  const stepsPerEpoch = Math.floor(train.length / config.batchSize);
  if (stepsPerEpoch === 0) throw new Error(`batch size ${config.batchSize} exceeds the ${train.length} training crops`);

  let {
    epoch,
    epochOrder,
    cursor,
    lossSumThisEpoch,
    stepsThisEpoch,
    bestValidationLoss,
    epochsWithoutImprovement,
    elapsedSeconds,
    bestWeights,
  } = state;
  if (!Number.isFinite(bestValidationLoss) && state.parent) {
    // A fine-tune must beat its starting point, or it ships the starting weights unchanged.
    const baseline = validate(network, validation);
    bestValidationLoss = validationObjective(config, baseline);
    log({
      event: 'baseline',
      validationLoss: bestValidationLoss,
      validationMse: baseline.loss,
      validationPsnr: baseline.psnr,
    });
  }
  let history = [...state.history];
  let stopped: TrainingState['stopped'] = 'running';
  const invocationStart = Date.now();
  let segmentStart = Date.now();
  let lastCheckpoint = Date.now();
  let stepsThisInvocation = 0;
  let lastPsnr: number | null = history.at(-1)?.validationPsnr ?? null;
  log({ event: 'start', resumed: state.epoch > 0 || state.cursor > 0, epoch, cursor, backend: tf.getBackend() });

  const snapshot = (): TrainingState => {
    elapsedSeconds += (Date.now() - segmentStart) / 1000;
    segmentStart = Date.now();
    return {
      config,
      epoch,
      epochOrder,
      cursor,
      lossSumThisEpoch,
      stepsThisEpoch,
      random: random.state(),
      bestValidationLoss,
      epochsWithoutImprovement,
      stopped,
      elapsedSeconds,
      history,
      weights: readWeights(network),
      bestWeights,
      adam: adam.state(),
      ...(state.parent ? { parent: state.parent } : {}),
    };
  };
  const checkpoint = (): TrainingState => {
    const s = snapshot();
    saveCheckpoint(checkpointPath(options.runDir), s);
    lastCheckpoint = Date.now();
    return s;
  };

  try {
    for (;;) {
      const learningRate = learningRateFor(config, epoch);
      while (cursor + config.batchSize <= stepsPerEpoch * config.batchSize) {
        const crops = epochOrder.slice(cursor, cursor + config.batchSize).map((i) => train[i] as Crop);
        const batch = makeTrainingBatch(crops, config.cropSize, config.conditions, random);
        const weights = lossWeightingOf(config) === 'noise-normalised' ? noiseNormalisedWeights(batch) : null;
        const statistics: BatchStatistics = new Map();
        const loss = tf.tidy(() => {
          const x = toTensor(batch.inputs, batch.count, batch.size);
          const y = toTensor(batch.targets, batch.count, batch.size);
          const { value, grads } = tf.variableGrads(
            () => batchLoss(config, forward(network, x, true, statistics), y, weights),
            variables,
          );
          adam.apply(grads, learningRate);
          return value;
        });
        updateMovingStatistics(network, statistics);
        const lossValue = (await loss.data())[0] as number;
        loss.dispose();
        if (!Number.isFinite(lossValue))
          throw new Error(`training diverged: loss is ${lossValue} at epoch ${epoch + 1}, step ${stepsThisEpoch + 1}`);
        cursor += config.batchSize;
        lossSumThisEpoch += lossValue;
        stepsThisEpoch += 1;
        stepsThisInvocation += 1;
        options.onProgress?.({
          epoch: epoch + 1,
          maxEpochs: config.maxEpochs,
          step: stepsThisEpoch,
          stepsPerEpoch,
          loss: lossSumThisEpoch / stepsThisEpoch,
          validationPsnr: lastPsnr,
          learningRate,
        });
        if (stepsThisEpoch % 25 === 0) log({ event: 'step', epoch: epoch + 1, step: stepsThisEpoch, loss: lossValue });
        const outOfTime =
          options.maxMinutes !== undefined && Date.now() - invocationStart > options.maxMinutes * 60_000;
        if ((options.maxSteps !== undefined && stepsThisInvocation >= options.maxSteps) || outOfTime) {
          const s = checkpoint();
          log({
            event: 'pause',
            epoch: epoch + 1,
            step: stepsThisEpoch,
            reason: outOfTime ? 'time budget' : 'step budget',
          });
          return s;
        }
        if (Date.now() - lastCheckpoint > config.checkpointEveryMinutes * 60_000) checkpoint();
      }

      const validated = validate(network, validation);
      const validationLoss = validationObjective(config, validated);
      const psnr = validated.psnr;
      lastPsnr = psnr;
      const record: EpochRecord = {
        epoch: epoch + 1,
        trainLoss: lossSumThisEpoch / Math.max(1, stepsThisEpoch),
        validationLoss,
        validationMse: validated.loss,
        validationPsnr: psnr,
        learningRate,
        seconds: elapsedSeconds + (Date.now() - segmentStart) / 1000,
      };
      history = [...history, record];
      if (validationLoss < bestValidationLoss) {
        bestValidationLoss = validationLoss;
        epochsWithoutImprovement = 0;
        bestWeights = readWeights(network);
      } else {
        epochsWithoutImprovement += 1;
      }
      epoch += 1;
      epochOrder = random.shuffle(train.map((_, i) => i));
      cursor = 0;
      lossSumThisEpoch = 0;
      stepsThisEpoch = 0;
      if (epochsWithoutImprovement >= config.patience) stopped = 'early-stop';
      else if (epoch >= config.maxEpochs) stopped = 'max-epochs';
      log({ event: 'epoch', ...record, best: bestValidationLoss, epochsWithoutImprovement, stopped });
      options.onEpoch?.(record);
      const s = checkpoint();
      if (stopped !== 'running') return s;
    }
  } finally {
    adam.dispose();
    disposeNetwork(network);
  }
}
