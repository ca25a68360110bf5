import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { decodeCheckpoint } from '../train/checkpoint';
import { buildDataset, DEFAULT_DATASET_OPTIONS } from '../data/dataset';
import { readMias } from '../data/mias';
import { describeSchedule, PRESETS, type PresetName, type TrainConfig } from '../train/config';
import { checkpointPath, trainModel } from '../train/train';
import { progressBar } from './progress';

export interface TrainCommandOptions {
  preset: PresetName;
  data?: string;
  runDir: string;
  resume: boolean;
  resumeFrom?: string;
  initFrom?: string;
  maxEpochs?: number;
  maxSteps?: number;
  maxMinutes?: number;
  samples?: number;
  crop?: number;
}

const formatSeconds = (s: number): string =>
  s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 60 ? `${Math.round(s / 60)} min` : `${Math.round(s)} s`;

export async function runTrainCommand(opts: TrainCommandOptions): Promise<void> {
  const base = PRESETS[opts.preset];
  const config: TrainConfig = {
    ...base,
    maxEpochs: opts.maxEpochs ?? base.maxEpochs,
    samples: opts.samples ?? base.samples,
    cropSize: opts.crop ?? base.cropSize,
  };
  const images = await readMias(opts.data);
  console.log(`MIAS: ${images.length} images of ${new Set(images.map((i) => i.patient)).size} patients`);
  const dataset = buildDataset(images, {
    ...DEFAULT_DATASET_OPTIONS,
    samples: config.samples,
    cropSize: config.cropSize,
    seed: config.datasetSeed,
  });
  const { train, validation, test } = dataset.splits;
  console.log(
    `dataset: ${train.length}/${validation.length}/${test.length} crops ` +
      `of ${config.cropSize} px (train/validation/test), split by patient`,
  );
  console.log(
    `preset ${config.preset}: ${config.architecture} network, batch ${config.batchSize}, ` +
      `${describeSchedule(config)}, ${config.conditions.length} noise conditions, up to ${config.maxEpochs} epochs`,
  );
  console.log(`run folder: ${opts.runDir}`);

  let initFrom;
  if (opts.initFrom) {
    const bytes = readFileSync(opts.initFrom);
    const parent = decodeCheckpoint(bytes, opts.initFrom);
    initFrom = {
      state: parent,
      source: opts.initFrom.split(/[\\/]/).pop() ?? opts.initFrom,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    };
    console.log(
      `starting from the best weights of ${opts.initFrom} (preset ${parent.config.preset}, ` +
        `${parent.epoch} epochs, ${parent.stopped})`,
    );
  }

  const bar = progressBar(
    'epoch {epoch}/{maxEpochs} |{bar}| {value}/{total} steps | ' +
      'loss {loss} | val PSNR {psnr} | lr {lr} | ETA {eta_formatted}',
  );
  let barEpoch = -1;
  const state = await trainModel(config, dataset, {
    runDir: opts.runDir,
    resume: opts.resume || opts.resumeFrom !== undefined,
    resumeFrom: opts.resumeFrom,
    maxSteps: opts.maxSteps,
    maxMinutes: opts.maxMinutes,
    initFrom,
    onProgress: (p) => {
      const payload = {
        epoch: p.epoch,
        maxEpochs: p.maxEpochs,
        loss: p.loss.toExponential(3),
        psnr: p.validationPsnr === null ? '-' : `${p.validationPsnr.toFixed(2)} dB`,
        lr: p.learningRate,
      };
      if (p.epoch !== barEpoch) {
        if (barEpoch !== -1) bar.stop();
        bar.start(p.stepsPerEpoch, p.step, payload);
        barEpoch = p.epoch;
      } else {
        bar.update(p.step, payload);
      }
    },
    onEpoch: (r) => {
      bar.stop();
      barEpoch = -1;
      console.log(
        `epoch ${r.epoch}: train loss ${r.trainLoss.toExponential(3)}, ` +
          `validation loss ${r.validationLoss.toExponential(3)}, ` +
          `validation PSNR ${r.validationPsnr.toFixed(2)} dB (total ${formatSeconds(r.seconds)})`,
      );
    },
  });
  bar.stop();
  const done =
    state.stopped === 'running'
      ? 'paused (resume with --resume)'
      : state.stopped === 'early-stop'
        ? `stopped early after ${state.epoch} epochs`
        : `reached the ${state.epoch}-epoch cap`;
  console.log(
    `${done}; ${formatSeconds(state.elapsedSeconds)} of training so far; checkpoint ${checkpointPath(opts.runDir)}`,
  );
}
