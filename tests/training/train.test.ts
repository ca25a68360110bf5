// A run stopped and resumed must equal one that ran straight: weights, Adam
// state, learning-rate phase, patience, RNG and data cursor all come back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDataset } from '../../training/src/data/dataset';
import { readMias } from '../../training/src/data/mias';
import { describeSchedule, PRESETS, type TrainConfig } from '../../training/src/train/config';
import { loadCheckpoint, type TrainingState } from '../../training/src/train/checkpoint';
import { checkpointPath, trainModel } from '../../training/src/train/train';
import { writeSyntheticMiasFolder } from '../fixtures/syntheticMias';
import { tf, useBackend } from './helpers';

await useBackend('wasm');
const dataDir = mkdtempSync(join(tmpdir(), 'train-data-'));
writeSyntheticMiasFolder(dataDir, 10, 48);
const images = await readMias(dataDir);
const config: TrainConfig = {
  ...PRESETS.smoke,
  samples: 24,
  cropSize: 16,
  batchSize: 4,
  maxEpochs: 3,
  decayAfterEpochs: 1,
};
const dataset = buildDataset(images, {
  samples: config.samples,
  cropSize: config.cropSize,
  minTissueFraction: 0.95,
  seed: config.seed,
});
const runDir = (): string => mkdtempSync(join(tmpdir(), 'run-'));

/** Every field a resume must restore, with arrays hashed so a mismatch prints a short diff. */
function comparable(state: TrainingState): unknown {
  const hash = (arrays: Array<Float32Array | null | undefined>): string => {
    const h = createHash('sha256');
    for (const a of arrays) h.update(a ? Buffer.from(a.buffer, a.byteOffset, a.byteLength) : Buffer.from('-'));
    return h.digest('hex').slice(0, 16);
  };
  const weights = (m: TrainingState['weights']) =>
    [...m].map(([name, w]) => {
      const batchNorm = [w.batchNorm?.gamma, w.batchNorm?.beta, w.batchNorm?.movingMean, w.batchNorm?.movingVariance];
      return `${name}:${w.kernelShape.join('x')}:${hash([w.kernel, w.bias, ...batchNorm])}`;
    });
  return {
    epoch: state.epoch,
    cursor: state.cursor,
    order: state.epochOrder.join(','),
    random: state.random,
    stopped: state.stopped,
    best: state.bestValidationLoss,
    patience: state.epochsWithoutImprovement,
    history: state.history.map(({ seconds: _s, ...rest }) => rest),
    weights: weights(state.weights),
    bestWeights: weights(state.bestWeights),
    adam: {
      step: state.adam.step,
      moments: [...state.adam.moments].map(([name, mv]) => `${name}:${hash([mv.m, mv.v])}`),
    },
  };
}

test(
  'a run paused twice (mid-epoch and across the learning-rate switch) ' + 'and resumed equals one that ran straight',
  async () => {
    const straightDir = runDir();
    const straight = await trainModel(config, dataset, { runDir: straightDir, resume: false });
    assert.equal(straight.stopped, 'max-epochs');
    assert.equal(straight.epoch, 3);
    assert.equal(straight.history.length, 3);
    assert.deepEqual(
      straight.history.map((h) => h.learningRate),
      [config.learningRate, config.decayedLearningRate, config.decayedLearningRate],
    );

    const dir = runDir();
    const first = await trainModel(config, dataset, { runDir: dir, resume: false, maxSteps: 2 });
    assert.equal(first.stopped, 'running');
    assert.equal(first.cursor, 8);
    const second = await trainModel(config, dataset, { runDir: dir, resume: true, maxSteps: 4 });
    assert.equal(second.epoch, 1, 'crossed an epoch boundary and the learning-rate switch');
    const resumed = await trainModel(config, dataset, { runDir: dir, resume: true });
    assert.deepEqual(comparable(resumed), comparable(straight));
    assert.deepEqual(comparable(loadCheckpoint(checkpointPath(dir))), comparable(straight));
    const log = readFileSync(join(dir, 'log.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string });
    assert.deepEqual(log.filter((l) => l.event === 'start').length, 3);
    assert.deepEqual(log.filter((l) => l.event === 'epoch').length, 3);
  },
);

test('a finished run resumed does nothing; a different run refuses to resume from it', async () => {
  const dir = runDir();
  const done = await trainModel({ ...config, maxEpochs: 1 }, dataset, { runDir: dir, resume: false });
  const before = tf.memory().numTensors;
  const again = await trainModel({ ...config, maxEpochs: 1 }, dataset, { runDir: dir, resume: true });
  assert.deepEqual(comparable(again), comparable(done));
  assert.equal(tf.memory().numTensors, before);
  await assert.rejects(
    trainModel({ ...config, batchSize: 2 }, dataset, { runDir: dir, resume: true }),
    /different run \(batchSize: checkpoint 4, now 2\)/,
  );
});

test('training leaks no tensors and lowers the loss on tiny data', async () => {
  const before = tf.memory().numTensors;
  const state = await trainModel({ ...config, maxEpochs: 3 }, dataset, { runDir: runDir(), resume: false });
  assert.equal(tf.memory().numTensors, before);
  const [first, , last] = state.history;
  assert.ok(last!.trainLoss < first!.trainLoss, `train loss ${first!.trainLoss} -> ${last!.trainLoss}`);
});

test('a schedule is described as it runs: a decay beyond the epoch cap never happens', () => {
  assert.equal(describeSchedule(PRESETS.paper), 'Adam 0.01, then 0.0001 after epoch 3');
  assert.equal(describeSchedule({ ...PRESETS.patches, maxEpochs: 10 }), 'Adam 0.001 throughout');
  assert.equal(describeSchedule(PRESETS['finetune-impulse-sigma5']), 'Adam 0.0001 throughout');
  assert.equal(
    describeSchedule(PRESETS['finetune-impulse-anneal-sigma5x12']),
    'Adam 0.00003, then 0.00001 after epoch 3',
  );
});
