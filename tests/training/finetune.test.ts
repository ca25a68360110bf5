// The default model is a patches run fine-tuned with the noise-normalised loss.
// Guards: a fine-tune starts from its parent's best weights (not fresh ones), must
// beat them on validation or keep them, records where it came from, resumes
// exactly, and weights a clean crop by 1/floor and a noisy one by 1/(noise power + floor).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDataset } from '../../training/src/data/dataset';
import { readMias } from '../../training/src/data/mias';
import { NOISE_POWER_FLOOR, PRESETS, type TrainConfig } from '../../training/src/train/config';
import { loadCheckpoint } from '../../training/src/train/checkpoint';
import { checkpointPath, noiseNormalisedWeights, trainModel } from '../../training/src/train/train';
import { writeSyntheticMiasFolder } from '../fixtures/syntheticMias';
import { maxAbsDiff, useBackend } from './helpers';

await useBackend('wasm');
const dataDir = mkdtempSync(join(tmpdir(), 'finetune-data-'));
writeSyntheticMiasFolder(dataDir, 10, 48);
const images = await readMias(dataDir);
const parentConfig: TrainConfig = { ...PRESETS.smoke, samples: 24, cropSize: 16, batchSize: 4, maxEpochs: 2 };
const fineConfig: TrainConfig = {
  ...PRESETS.finetune,
  samples: 24,
  cropSize: 16,
  batchSize: 4,
  maxEpochs: 2,
  validationSamples: 4,
};
const dataset = buildDataset(images, {
  samples: 24,
  cropSize: 16,
  minTissueFraction: 0.95,
  seed: parentConfig.datasetSeed,
});
const runDir = (): string => mkdtempSync(join(tmpdir(), 'finetune-run-'));

test('noise-normalised weights: a clean crop weighs 1/floor, a noisy one 1/(its noise power + floor)', () => {
  const size = 4;
  const targets = new Float32Array(2 * size * size).fill(0.5);
  const inputs = targets.slice();
  for (let p = size * size; p < 2 * size * size; p += 1) inputs[p] = 0.5 + (p % 2 === 0 ? 0.1 : -0.1);
  const weights = noiseNormalisedWeights({ inputs, targets, size, count: 2 });
  const relative = (got: number, want: number): number => Math.abs(got - want) / want;
  assert.ok(relative(weights[0] as number, 1 / NOISE_POWER_FLOOR) < 1e-5, `clean: ${weights[0]}`);
  assert.ok(relative(weights[1] as number, 1 / (0.01 + NOISE_POWER_FLOOR)) < 1e-5, `noisy: ${weights[1]}`);
});

test("a fine-tune starts from the parent's best weights, records the parent, and resumes exactly", async () => {
  const parentDir = runDir();
  const parent = await trainModel(parentConfig, dataset, { runDir: parentDir, resume: false });
  const initFrom = { state: parent, source: 'parent.bin', sha256: 'f'.repeat(64) };
  await assert.rejects(trainModel(fineConfig, dataset, { runDir: runDir(), resume: false }), /--init-from/);

  const zeroSteps = await trainModel(fineConfig, dataset, { runDir: runDir(), resume: false, initFrom, maxSteps: 1 });
  assert.equal(zeroSteps.parent?.checkpoint, 'parent.bin');
  assert.equal(zeroSteps.parent?.preset, 'smoke');
  assert.equal(zeroSteps.parent?.epochs, parent.epoch);
  assert.ok(Number.isFinite(zeroSteps.bestValidationLoss), 'baseline validation of the parent weights sets the bar');
  assert.deepEqual([...zeroSteps.bestWeights.keys()], [...parent.bestWeights.keys()]);
  for (const [name, w] of parent.bestWeights)
    assert.equal(maxAbsDiff(zeroSteps.bestWeights.get(name)!.kernel, w.kernel), 0, `${name} starts from the parent`);

  const straight = await trainModel(fineConfig, dataset, { runDir: runDir(), resume: false, initFrom });
  const dir = runDir();
  await trainModel(fineConfig, dataset, { runDir: dir, resume: false, initFrom, maxSteps: 3 });
  const resumed = await trainModel(fineConfig, dataset, { runDir: dir, resume: true });
  assert.equal(resumed.epoch, 2);
  assert.equal(resumed.bestValidationLoss, straight.bestValidationLoss);
  for (const [name, w] of straight.weights)
    assert.equal(maxAbsDiff(resumed.weights.get(name)!.kernel, w.kernel), 0, `${name} equal after resume`);
  assert.equal(loadCheckpoint(checkpointPath(dir)).parent?.sha256, 'f'.repeat(64));
  assert.ok(resumed.history.every((h) => h.validationMse !== undefined && h.validationMse > 0));
});

test(
  'a log-MSE fine-tune chains onto a noise-normalised one: ' +
    'both parents recorded, its objective is the mean log-MSE',
  async () => {
    const grand = await trainModel(parentConfig, dataset, { runDir: runDir(), resume: false });
    const parent = await trainModel(fineConfig, dataset, {
      runDir: runDir(),
      resume: false,
      initFrom: { state: grand, source: 'grand.bin', sha256: 'a'.repeat(64) },
    });
    const psnrConfig: TrainConfig = {
      ...PRESETS['finetune-psnr'],
      samples: 24,
      cropSize: 16,
      batchSize: 4,
      maxEpochs: 1,
      validationSamples: 4,
    };
    const child = await trainModel(psnrConfig, dataset, {
      runDir: runDir(),
      resume: false,
      initFrom: { state: parent, source: 'parent.bin', sha256: 'b'.repeat(64) },
    });
    assert.equal(child.parent?.preset, 'finetune');
    assert.equal(child.parent?.parent?.preset, 'smoke');
    assert.equal(child.parent?.parent?.checkpoint, 'grand.bin');
    const [record] = child.history;
    // log(MSE + floor) of errors far below 1 on the [0,1] scale is negative; MSE itself is positive.
    assert.ok(
      record!.validationLoss < 0 && record!.validationMse! > 0,
      `objective ${record!.validationLoss}, MSE ${record!.validationMse}`,
    );
    assert.ok(
      Math.abs(record!.validationLoss - Math.log(record!.validationMse!)) < 5,
      'the objective is on the log-MSE scale',
    );
  },
);

test('a residual run continues behind the impulse switch; a paper run cannot become a residual one', async () => {
  const residual = await trainModel(parentConfig, dataset, { runDir: runDir(), resume: false });
  const impulseConfig: TrainConfig = {
    ...PRESETS['finetune-impulse'],
    samples: 24,
    cropSize: 16,
    batchSize: 4,
    maxEpochs: 1,
    validationSamples: 4,
  };
  const child = await trainModel(impulseConfig, dataset, {
    runDir: runDir(),
    resume: false,
    initFrom: { state: residual, source: 'residual.bin', sha256: 'c'.repeat(64) },
  });
  assert.equal(child.parent?.architecture, 'residual');
  assert.equal(child.config.architecture, 'residual-impulse');
  assert.equal(child.epoch, 1);
  const paper = await trainModel({ ...parentConfig, architecture: 'paper', maxEpochs: 1 }, dataset, {
    runDir: runDir(),
    resume: false,
  });
  await assert.rejects(
    trainModel(impulseConfig, dataset, {
      runDir: runDir(),
      resume: false,
      initFrom: { state: paper, source: 'paper.bin', sha256: 'd'.repeat(64) },
    }),
    /paper\.bin holds a paper network, which is not the residual-impulse network that preset finetune-impulse trains/,
  );
});
