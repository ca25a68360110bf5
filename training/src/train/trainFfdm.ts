import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '../backend/tf';
import { drawSample, type CropSample, type PreparedImage } from './ffdmCrops';
import { Random } from '../data/random';
import {
  createFfdmNetwork,
  disposeFfdmNetwork,
  ffdmForward,
  ffdmVariables,
  initialFfdmWeights,
  readFfdmWeights,
  type FfdmNetwork,
} from '../model/ffdmNetwork';
import { Adam } from './adam';
import { learningRateAt, type FfdmTrainConfig } from './ffdmConfig';
import { loadFfdmCheckpoint, saveFfdmCheckpoint, type FfdmEpochRecord, type FfdmTrainingState } from './ffdmCheckpoint';

/**
 * Trains the digital-mammogram network on (reduced-dose, as-acquired) pairs.
 *
 * The as-acquired reference is itself noisy. For Gaussian noise, the best
 * estimate of the reference from an input of dose d is the blend
 *   d x input + (1 - d) x clean estimate
 * (the reference keeps the fraction d of the input's noise variance). So the
 * loss scores that blend of the network's output, with d known per sample,
 * and the network itself learns the clean estimate, independent of d
 * (the correction of Noisier2Noise, Moran et al. CVPR 2020, with a known
 * noise ratio). At inference the network's output is used as it is.
 *
 * The loss is the speck-weighted squared error over each crop divided by the
 * crop's mean noise variance, so quiet and noisy crops count alike.
 */
export const checkpointFile = (runDir: string): string => join(runDir, 'checkpoint.bin');

export interface FfdmProgress {
  readonly epoch: number;
  readonly stepInEpoch: number;
  readonly stepsPerEpoch: number;
  readonly loss: number;
}

export interface FfdmTrainOptions {
  readonly runDir: string;
  readonly resume: boolean;
  /** Start a fresh run (this config, new optimiser) from another run's best weights. */
  readonly initFrom?: { readonly state: FfdmTrainingState; readonly sha256: string };
  readonly maxMinutes?: number;
  readonly checkpointEveryMinutes?: number;
  readonly onProgress?: (p: FfdmProgress) => void;
  readonly onEpoch?: (r: FfdmEpochRecord) => void;
}

function batchTensors(samples: readonly CropSample[], size: number) {
  const n = samples.length;
  const pack = (pick: (s: CropSample) => Float32Array): tf.Tensor4D => {
    const data = new Float32Array(n * size * size);
    samples.forEach((s, i) => data.set(pick(s), i * size * size));
    return tf.tensor4d(data, [n, size, size, 1]);
  };
  return {
    input: pack((s) => s.input),
    noiseMap: pack((s) => s.noiseMap),
    reference: pack((s) => s.reference),
    weight: pack((s) => s.weight),
    dose: tf.tensor4d(Float32Array.from(samples.map((s) => s.dose)), [n, 1, 1, 1]),
  };
}

/** Mean over crops of sum(w (blend - reference)^2) / sum(w) / mean(noise map^2). */
function batchLoss(network: FfdmNetwork, b: ReturnType<typeof batchTensors>): tf.Scalar {
  const clean = ffdmForward(network, b.input, b.noiseMap);
  const blend = tf.add(tf.mul(b.dose, b.input), tf.mul(tf.sub(1, b.dose), clean));
  const error = tf.sum(tf.mul(b.weight, tf.square(tf.sub(blend, b.reference))), [1, 2, 3]);
  const perCrop = tf.div(tf.div(error, tf.sum(b.weight, [1, 2, 3])), tf.mean(tf.square(b.noiseMap), [1, 2, 3]));
  return tf.mean(perCrop) as tf.Scalar;
}

function disposeBatch(b: ReturnType<typeof batchTensors>): void {
  for (const t of Object.values(b)) t.dispose();
}

function validationLoss(network: FfdmNetwork, samples: readonly CropSample[], size: number): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i += 16) {
    const batch = batchTensors(samples.slice(i, i + 16), size);
    const loss = tf.tidy(() => batchLoss(network, batch));
    sum += (loss.dataSync()[0] as number) * Math.min(16, samples.length - i);
    loss.dispose();
    disposeBatch(batch);
  }
  return sum / samples.length;
}

function freshState(config: FfdmTrainConfig, initFrom?: FfdmTrainOptions['initFrom']): FfdmTrainingState {
  const weights = initFrom
    ? initFrom.state.bestWeights
    : initialFfdmWeights(config.architecture, Random.derive(config.seed, 'weights'));
  const parent = initFrom && {
    preset: initFrom.state.config.preset,
    checkpointSha256: initFrom.sha256,
    epochs: initFrom.state.epoch,
    bestEpoch: initFrom.state.bestEpoch,
    elapsedSeconds: initFrom.state.elapsedSeconds,
    history: initFrom.state.history,
    ...(initFrom.state.parent ? { parent: initFrom.state.parent } : {}),
  };
  return {
    config,
    ...(parent ? { parent } : {}),
    epoch: 0,
    stepInEpoch: 0,
    lossSumThisEpoch: 0,
    random: Random.derive(config.seed, 'samples').state(),
    bestValidationLoss: Infinity,
    bestEpoch: null,
    elapsedSeconds: 0,
    history: [],
    weights,
    bestWeights: weights,
    adam: { step: 0, moments: new Map() },
    finished: false,
  };
}

function assertSameArchitecture(parent: FfdmTrainConfig['architecture'], child: FfdmTrainConfig['architecture']): void {
  if (JSON.stringify(parent) !== JSON.stringify(child))
    throw new Error(
      `--init-from: the checkpoint's network (${JSON.stringify(parent)}) ` +
        `is not this preset's (${JSON.stringify(child)})`,
    );
}

export async function trainFfdm(
  config: FfdmTrainConfig,
  train: readonly PreparedImage[],
  validation: readonly PreparedImage[],
  options: FfdmTrainOptions,
): Promise<FfdmTrainingState> {
  mkdirSync(options.runDir, { recursive: true });
  const path = checkpointFile(options.runDir);
  if (options.resume && options.initFrom)
    throw new Error('--resume continues this run; --init-from starts a new one: give one of them');
  if (options.initFrom) assertSameArchitecture(options.initFrom.state.config.architecture, config.architecture);
  if (!options.resume && existsSync(path))
    throw new Error(`${path} exists: continue it with --resume, or choose another --run-dir (nothing was overwritten)`);
  let state = options.resume && existsSync(path) ? loadFfdmCheckpoint(path) : freshState(config, options.initFrom);
  if (options.resume && !existsSync(path)) throw new Error(`--resume: no checkpoint at ${path}`);
  if (state.config.preset !== config.preset)
    throw new Error(`the checkpoint in ${options.runDir} is of preset ${state.config.preset}, not ${config.preset}`);
  const cfg = { ...state.config, maxEpochs: config.maxEpochs };
  // A raised epoch cap continues a finished run.
  state = { ...state, finished: state.epoch >= cfg.maxEpochs };
  const size = cfg.sample.size;
  const validationSamples = Array.from({ length: cfg.validationCrops }, (_, i) =>
    drawSample(validation, cfg.sample, Random.derive(cfg.seed, `validation-${i}`)),
  );
  const random = Random.fromState(state.random);
  const network = createFfdmNetwork(cfg.architecture, state.weights);
  const variables = ffdmVariables(network);
  const adam = new Adam(variables, state.adam.step > 0 ? state.adam : undefined);
  const started = Date.now();
  const startElapsed = state.elapsedSeconds;
  let lastCheckpoint = Date.now();
  const elapsed = (): number => startElapsed + (Date.now() - started) / 1000;
  const snapshot = (patch: Partial<FfdmTrainingState> = {}): FfdmTrainingState => ({
    ...state,
    config: cfg,
    random: random.state(),
    weights: readFfdmWeights(network),
    adam: adam.state(),
    elapsedSeconds: elapsed(),
    ...patch,
  });
  const log = (record: object): void =>
    appendFileSync(join(options.runDir, 'log.jsonl'), `${JSON.stringify(record)}\n`);
  try {
    while (state.epoch < cfg.maxEpochs && !state.finished) {
      const rate = learningRateAt(cfg, state.epoch);
      let { stepInEpoch, lossSumThisEpoch } = state;
      while (stepInEpoch < cfg.stepsPerEpoch) {
        const batch = batchTensors(
          Array.from({ length: cfg.batchSize }, () => drawSample(train, cfg.sample, random)),
          size,
        );
        const { value, grads } = tf.variableGrads(() => batchLoss(network, batch), variables);
        adam.apply(grads, rate);
        const loss = value.dataSync()[0] as number;
        value.dispose();
        for (const g of Object.values(grads)) g.dispose();
        disposeBatch(batch);
        if (!Number.isFinite(loss))
          throw new Error(`training diverged at epoch ${state.epoch + 1}, step ${stepInEpoch + 1} (loss ${loss})`);
        stepInEpoch += 1;
        lossSumThisEpoch += loss;
        options.onProgress?.({
          epoch: state.epoch + 1,
          stepInEpoch,
          stepsPerEpoch: cfg.stepsPerEpoch,
          loss: lossSumThisEpoch / stepInEpoch,
        });
        state = { ...state, stepInEpoch, lossSumThisEpoch };
        const minutes = (Date.now() - started) / 60000;
        if (options.maxMinutes !== undefined && minutes >= options.maxMinutes) {
          state = snapshot();
          saveFfdmCheckpoint(path, state);
          return state;
        }
        if ((Date.now() - lastCheckpoint) / 60000 >= (options.checkpointEveryMinutes ?? 3)) {
          state = snapshot();
          saveFfdmCheckpoint(path, state);
          lastCheckpoint = Date.now();
        }
      }
      const validation = validationLoss(network, validationSamples, size);
      const record: FfdmEpochRecord = {
        epoch: state.epoch + 1,
        trainLoss: lossSumThisEpoch / cfg.stepsPerEpoch,
        validationLoss: validation,
        learningRate: rate,
        seconds: elapsed(),
      };
      const improved = validation < state.bestValidationLoss;
      const weights = readFfdmWeights(network);
      state = snapshot({
        epoch: state.epoch + 1,
        stepInEpoch: 0,
        lossSumThisEpoch: 0,
        history: [...state.history, record],
        weights,
        bestValidationLoss: improved ? validation : state.bestValidationLoss,
        bestEpoch: improved ? state.epoch + 1 : state.bestEpoch,
        bestWeights: improved ? weights : state.bestWeights,
        finished: state.epoch + 1 >= cfg.maxEpochs,
      });
      saveFfdmCheckpoint(path, state);
      lastCheckpoint = Date.now();
      log(record);
      options.onEpoch?.(record);
    }
    return state;
  } finally {
    adam.dispose();
    disposeFfdmNetwork(network);
  }
}
