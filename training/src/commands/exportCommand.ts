import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { selectBackend } from '../backend/selectBackend';
import { repoRoot } from '../data/repoRoot';
import { architecture, type ArchitectureId } from '../model/architecture';
import { CLASSICAL_METHODS, evaluateMethods, type Method } from '../evaluate/evaluate';
import { OnnxDenoiser } from '../evaluate/onnxDenoiser';
import { psnrFloors } from '../evaluate/floors';
import { checkFloors, formatFloorChecks, formatTable } from '../evaluate/table';
import {
  checkParity,
  DOMAIN_GAP,
  INTENDED_USE,
  ioContract,
  MIAS_CITATION,
  MIAS_LICENCE,
  MODEL_CARD_SCHEMA,
  ONNX_OPSET,
  writeOnnx,
} from '../export/exportModel';
import { upsertModelIndex } from '../export/modelIndexFile';
import { loadCheckpoint, type ParentRun, type TrainingState } from '../train/checkpoint';
import { describeSchedule } from '../train/config';
import { LOSSES } from '../export/losses';
import { checkpointPath } from '../train/train';
import type { ModelCard } from '@mammo-denoise/core';
import { evaluationCrops } from './evaluationData';
import { evaluationProgress } from './progress';
import { renderCardMarkdown } from '../export/cardMarkdown';

export interface ExportCommandOptions {
  runDir: string;
  checkpoint?: string;
  id: string;
  version: string;
  default: boolean;
  data?: string;
  skipEvaluation: boolean;
  modelsDir?: string;
  evaluationLimit?: number;
}

/** What differs from the paper, stated plainly on each card. */
const RESIDUAL_DIFFERENCES = [
  'Adds a full-resolution skip (conv3 output added to the upsampled conv10 output) ' +
    'and a global residual (output = input + correction).',
  "Trained over the paper's ten conditions plus clean, sigma 5, " +
    '10 and 20 inputs, so light noise is left nearly untouched.',
  'Batch 16, Adam 1e-3 then 1e-4, 64x64 crops with fresh noise every epoch.',
];

const DIFFERENCES: Record<string, string[]> = {
  paper: [
    'Crops of 64x64 px (the paper does not state its crop size); ' +
      '3000 crops from flips/rotations and tissue crops, split 8:1:1 by patient.',
    'Epochs capped (see training.config.maxEpochs) to fit two CPU cores; early stopping as in the paper otherwise.',
    'Batch norm folded into the convolutions at export; ' +
      'the transposed convolution is layer 10 (the paper does not say which decoder layer upsamples).',
  ],
  residual: RESIDUAL_DIFFERENCES,
  'residual-impulse': [
    'The residual variant (full-resolution skip conv3 → conv10, global residual) behind an impulse switch: ' +
      'pixels at exactly 0 or 255 are replaced by their 3x3 median before the network, ' +
      'which corrects the switched image (a decision-based median front end; the paper has none).',
    ...RESIDUAL_DIFFERENCES.slice(1),
  ],
};

const IMPULSE_SWITCH_LIMITATION =
  'The impulse switch replaces every 8-bit pixel at exactly 0 or 255 with its 3x3 median before the network sees it, ' +
  'as a median filter would: an isolated saturated speck (a clipped calcification, the edge of a burned-in label) ' +
  'is lost. On the 302 clean MIAS images it changes about 0.017% as many pixels as there are tissue pixels ' +
  '(11,267 isolated 255s, all in mdb274 and mdb280, and 8,850 zeros whose 3x3 median is tissue, ' +
  'value 30 or more). On 12- to 16-bit images it never fires: no stored value maps to exactly 0 or 1.';

const MODEL_NAMES: Record<ArchitectureId, string> = {
  paper: 'MIAS denoising autoencoder, as in the paper',
  residual: 'MIAS denoising autoencoder, residual',
  'residual-impulse': 'MIAS denoising autoencoder, residual with impulse switch',
};

/**
 * One line per phase, oldest first (preset, epochs, schedule and
 * loss of each run in the chain), then what the losses mean.
 */
function trainingPhases(state: TrainingState): string[] {
  const chain: Array<{ preset: string; epochs: number; bestEpoch: number | null; config: TrainingState['config'] }> =
    [];
  for (let p: ParentRun | null | undefined = state.parent; p; p = p.parent)
    chain.unshift({ preset: p.preset, epochs: p.epochs, bestEpoch: p.bestEpoch, config: p.config });
  if (chain.length === 0) return [];
  const shipped = state.history.find((r) => r.validationLoss === state.bestValidationLoss)?.epoch ?? null;
  const phases = [
    ...chain,
    { preset: state.config.preset, epochs: state.epoch, bestEpoch: shipped, config: state.config },
  ];
  const best = (epoch: number | null, last: boolean): string =>
    epoch
      ? ` (its best, epoch ${epoch}, ${last ? 'is the exported model' : 'seeds the next phase'})`
      : last
        ? ' (no epoch beat its starting weights, which are exported)'
        : '';
  const losses = [...new Set(phases.map((phase) => phase.config.lossWeighting ?? 'mse'))];
  return phases
    .map(
      (phase, i) =>
        `Phase ${i + 1}: preset ${phase.preset}, ` +
        `${phase.epochs} epochs${best(phase.bestEpoch, i === phases.length - 1)}, batch ${phase.config.batchSize}, ` +
        `${describeSchedule({ ...phase.config, maxEpochs: phase.epochs })}${i > 0 ? ' (fresh moments)' : ''}, ` +
        `${LOSSES[phase.config.lossWeighting ?? 'mse'].name}.`,
    )
    .concat(
      `Losses: ${losses.map((l) => LOSSES[l].meaning).join('; ')}.`,
      "Early stopping and best-epoch selection in each phase use that phase's loss on the validation split; " +
        'a fine-tune keeps its starting weights unless it beats them.',
    );
}

/** Seconds of training behind a checkpoint, its parent runs included. */
function totalTrainingSeconds(state: TrainingState): number {
  let total = state.elapsedSeconds;
  for (let p: ParentRun | null | undefined = state.parent; p; p = p.parent) total += p.elapsedSeconds;
  return total;
}

export async function runExportCommand(opts: ExportCommandOptions): Promise<void> {
  const backend = await selectBackend('auto');
  console.log(backend.report.join('\n'));
  const ckptPath = resolve(opts.checkpoint ?? checkpointPath(opts.runDir));
  const state = loadCheckpoint(ckptPath);
  if (state.stopped === 'running')
    console.warn(
      `warning: ${ckptPath} is from an unfinished run (epoch ${state.epoch}); exporting its best weights so far`,
    );
  const modelsDir = resolve(opts.modelsDir ?? join(repoRoot(), 'models'));
  const { onnxPath, onnxBytes, sha256 } = writeOnnx(state, modelsDir, opts.id, opts.version);
  console.log(`wrote ${onnxPath} (${(onnxBytes.length / 1024).toFixed(0)} KiB, sha256 ${sha256})`);

  const evaluated = await evaluationCrops('test', opts.data, state.config);
  const { dataset } = evaluated;
  const crops = opts.evaluationLimit ? evaluated.crops.slice(0, opts.evaluationLimit) : evaluated.crops;
  const description = `${evaluated.description}${opts.evaluationLimit ? ` (first ${crops.length} used)` : ''}`;
  const parity = await checkParity(state, onnxBytes, crops);
  console.log(
    `parity TF.js vs onnxruntime-node: max |diff| ${parity.maxAbsDifference.toExponential(2)} on ${parity.inputs}`,
  );
  if (parity.maxAbsDifference > 1e-4)
    throw new Error(
      `export parity failed: max abs difference ${parity.maxAbsDifference} > 1e-4; ` +
        `${onnxPath} is not listed in models/index.json`,
    );

  let evaluation: ModelCard['evaluation'] = { skipped: true };
  let evaluationMarkdown = '_Evaluation skipped (--skip-evaluation); this card is not for shipping._';
  if (!opts.skipEvaluation) {
    const denoiser = await OnnxDenoiser.load(onnxBytes);
    const method: Method = {
      id: opts.id,
      label: opts.id,
      run: (noisy, _clean, count, size) => denoiser.denoise8bit(noisy, count, size),
    };
    const progress = evaluationProgress();
    const table = await evaluateMethods(crops, [...CLASSICAL_METHODS, method], { onProgress: progress.onProgress });
    progress.stop();
    await denoiser.release();
    const floors = psnrFloors(state.config.architecture);
    const checks = checkFloors(
      table,
      opts.id,
      floors,
      CLASSICAL_METHODS.map((m) => m.id),
    );
    evaluationMarkdown =
      `${description}\n\n${formatTable(table)}\n\n` + `Floors (training issue):\n\n${formatFloorChecks(checks)}`;
    console.log(evaluationMarkdown);
    evaluation = { data: description, table, floors: checks, seconds: table.seconds };
  }

  const history = state.history;
  const card: ModelCard = {
    schema: MODEL_CARD_SCHEMA,
    id: opts.id,
    version: opts.version,
    name: MODEL_NAMES[state.config.architecture],
    onnx: { file: `${opts.id}.onnx`, sha256, bytes: onnxBytes.length, opset: ONNX_OPSET },
    io: ioContract(state),
    architecture: {
      ...architecture(state.config.architecture),
      batchNormFolded: true,
      parameters: [...state.bestWeights.values()].reduce(
        (n, w) => n + w.kernel.length + (w.bias?.length ?? 0) + (w.batchNorm ? 2 * w.batchNorm.gamma.length : 0),
        0,
      ),
    },
    training: {
      data:
        'MIAS MiniMammographic Database (mini-MIAS), 1024x1024 8-bit PGM, ' +
        '200 µm; 20 images of 10 patients withheld from this copy',
      split: dataset
        ? {
            patients: dataset.patients,
            crops: {
              train: dataset.splits.train.length,
              validation: dataset.splits.validation.length,
              test: dataset.splits.test.length,
            },
          }
        : null,
      preset: state.config.preset,
      config: state.config,
      backend: backend.name,
      epochs: state.epoch,
      stopped: state.stopped,
      bestValidationLoss: state.bestValidationLoss,
      wallTimeSeconds: Math.round(state.elapsedSeconds),
      totalWallTimeSecondsWithParents: Math.round(totalTrainingSeconds(state)),
      lossWeighting: state.config.lossWeighting ?? 'mse',
      parent: state.parent ?? null,
      secondsPerEpoch: history.length > 0 ? Math.round((history.at(-1)?.seconds ?? 0) / history.length) : null,
      history,
      // A chained run lists its phases' schedules instead of the single-run schedule line.
      differencesFromPaper: state.parent
        ? [...(DIFFERENCES[state.config.architecture] ?? []).slice(0, 2), ...trainingPhases(state)]
        : (DIFFERENCES[state.config.architecture] ?? []),
    },
    evaluation: { ...evaluation, parity },
    intendedUse: INTENDED_USE,
    limitations: [
      DOMAIN_GAP,
      'Blind: one model for all noise levels; no noise level is given at inference.',
      'Output is not clipped by the graph; the viewer rounds and clamps to the stored type.',
      ...(architecture(state.config.architecture).impulseSwitch ? [IMPULSE_SWITCH_LIMITATION] : []),
    ],
    licence: MIAS_LICENCE,
    citation: MIAS_CITATION,
  };
  writeFileSync(join(modelsDir, `${opts.id}.json`), `${JSON.stringify(card, null, 2)}\n`);
  writeFileSync(join(modelsDir, `${opts.id}.md`), renderCardMarkdown(card, evaluationMarkdown));
  if (!opts.skipEvaluation) {
    const index = upsertModelIndex(modelsDir, opts.id, opts.default);
    console.log(`models/index.json: default ${index.default}; models ${index.models.map((m) => m.id).join(', ')}`);
  } else {
    console.log('not added to models/index.json: a model without its evaluation is not shipped');
  }
}
