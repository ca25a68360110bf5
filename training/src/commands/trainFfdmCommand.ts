import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { decodeFfdmCheckpoint, type FfdmTrainingState } from '../train/ffdmCheckpoint';
import { readFfdm, splitOf } from '../data/ffdm';
import { prepareImage } from '../train/ffdmCrops';
import { FFDM_PRESETS } from '../train/ffdmConfig';
import { checkpointFile, trainFfdm } from '../train/trainFfdm';
import { progressBar } from './progress';

export interface TrainFfdmCommandOptions {
  readonly preset: string;
  readonly ffdmData?: string;
  readonly runDir: string;
  readonly resume: boolean;
  /** A checkpoint whose best weights start this (fresh) run. */
  readonly initFrom?: string;
  readonly maxEpochs?: number;
  readonly maxMinutes?: number;
}

function parentCheckpoint(path: string): { state: FfdmTrainingState; sha256: string } {
  if (!existsSync(path)) throw new Error(`--init-from: no checkpoint at ${path}`);
  const bytes = readFileSync(path);
  return { state: decodeFfdmCheckpoint(bytes, path), sha256: createHash('sha256').update(bytes).digest('hex') };
}

export async function runTrainFfdmCommand(opts: TrainFfdmCommandOptions): Promise<void> {
  const preset = FFDM_PRESETS[opts.preset];
  if (!preset) throw new Error(`unknown preset ${opts.preset} (${Object.keys(FFDM_PRESETS).join(', ')})`);
  const config = { ...preset, maxEpochs: opts.maxEpochs ?? preset.maxEpochs };
  const images = await readFfdm(opts.ffdmData);
  const train = images.filter((i) => splitOf(i.patient) === 'train');
  const validation = images.filter((i) => splitOf(i.patient) === 'validation');
  if (train.length === 0 || validation.length === 0)
    throw new Error(
      'need training and validation patients; ' +
        `found ${train.length} training and ${validation.length} validation images`,
    );
  console.log(
    `digital mammograms: ${train.length} training images (${new Set(train.map((i) => i.patient)).size} patients), ` +
      `${validation.length} validation; test patients are not read for training`,
  );
  const prepared = train.map(prepareImage);
  const preparedValidation = validation.map(prepareImage);
  for (const p of [...prepared, ...preparedValidation]) {
    const mid = p.nlf.sigmas[Math.floor(p.nlf.sigmas.length / 2)] ?? 0;
    console.log(
      `  ${p.name}: ${p.width}x${p.height}, NLF ${p.nlf.sigmas.length} bins, ` +
        `mid-range sigma ${(mid * 100).toFixed(2)}% of the breast range`,
    );
  }
  console.log(
    `preset ${config.preset}: ${config.architecture.id} width ${config.architecture.width} ` +
      `depth ${config.architecture.depth}, batch ${config.batchSize} of ${config.sample.size} px, ` +
      `${config.stepsPerEpoch} steps an epoch, up to ${config.maxEpochs} epochs`,
  );
  const bar = progressBar('epoch {epoch} |{bar}| {value}/{total} steps | loss {loss} | ETA {eta_formatted}');
  let barEpoch = -1;
  const initFrom = opts.initFrom === undefined ? undefined : parentCheckpoint(opts.initFrom);
  if (initFrom)
    console.log(
      `starting from ${opts.initFrom} (preset ${initFrom.state.config.preset}, ` +
        `best epoch ${initFrom.state.bestEpoch ?? '-'} of ${initFrom.state.epoch}), with a fresh optimiser`,
    );
  const state = await trainFfdm(config, prepared, preparedValidation, {
    runDir: opts.runDir,
    resume: opts.resume,
    initFrom,
    maxMinutes: opts.maxMinutes,
    onProgress: (p) => {
      const payload = { epoch: p.epoch, loss: p.loss.toFixed(4) };
      if (p.epoch !== barEpoch) {
        if (barEpoch !== -1) bar.stop();
        bar.start(p.stepsPerEpoch, p.stepInEpoch, payload);
        barEpoch = p.epoch;
      } else bar.update(p.stepInEpoch, payload);
    },
    onEpoch: (r) => {
      bar.stop();
      barEpoch = -1;
      console.log(
        `epoch ${r.epoch}: train loss ${r.trainLoss.toFixed(4)}, validation loss ${r.validationLoss.toFixed(4)}, ` +
          `lr ${r.learningRate} (${(r.seconds / 60).toFixed(1)} min in all)`,
      );
    },
  });
  bar.stop();
  console.log(
    `${state.finished ? 'finished' : 'paused (continue with --resume)'} after ${state.epoch} epochs, ` +
      `best epoch ${state.bestEpoch ?? '-'}; checkpoint ${checkpointFile(opts.runDir)}`,
  );
}
