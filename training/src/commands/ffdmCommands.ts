import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  MODEL_INPUT_NAME,
  MODEL_OUTPUT_NAME,
  parseModelCard,
  parseModelIndex,
  type ModelCard,
} from '@mammo-denoise/core';
import { readFfdm, splitOf, type FfdmSplit } from '../data/ffdm';
import { Random } from '../data/random';
import { SPECK_GUARD, speckGuardRadius } from '../model/speckGuard';
import { ffdmReceptiveFieldRadius } from '../model/ffdmNetwork';
import { loadFfdmCheckpoint, type FfdmTrainingState } from '../train/ffdmCheckpoint';
import { classicalFfdmMethods, evaluateFfdm, FFDM_EVAL_OPTIONS, type FfdmMethod } from '../evaluate/ffdmEvaluate';
import { modelMethod } from '../evaluate/ffdmModelMethod';
import { ffdmMarkdown, summarise, type FfdmEvaluation } from '../evaluate/ffdmTable';
import { FFDM_INTENDED_USE, FFDM_NOISE_MAP_INPUT, FFDM_NORMALIZATION } from '../export/ffdmContract';
import { buildFfdmCard, ffdmCardMarkdown } from '../export/ffdmCard';
import { buildFfdmOnnx } from '../export/ffdmOnnx';
import { ffdmParity } from '../export/ffdmParity';

import { repoRoot } from '../data/repoRoot';

const modelsDirDefault = (): string => join(repoRoot(), 'models');

/** Max |TF.js − onnxruntime-node| over random model-space images and noise maps (64x64, 96x160). */
async function parity(state: FfdmTrainingState, onnxBytes: Uint8Array): Promise<number> {
  const random = Random.fromSeed('ffdm-parity');
  const samples = (
    [
      [64, 64],
      [96, 160],
    ] as const
  ).map(([height, width]) => ({
    height,
    width,
    image: Float32Array.from({ length: height * width }, () => 0.2 + 0.6 * random.uniform()),
    noise: Float32Array.from({ length: height * width }, () => 0.002 + 0.03 * random.uniform()),
  }));
  return (await ffdmParity(state.config.architecture, state.bestWeights, onnxBytes, samples, SPECK_GUARD))
    .maxDifference;
}

export function ffdmIo(state: FfdmTrainingState): ModelCard['io'] {
  return {
    inputName: MODEL_INPUT_NAME,
    noiseMapInputName: FFDM_NOISE_MAP_INPUT,
    outputName: MODEL_OUTPUT_NAME,
    layout: 'NCHW',
    dtype: 'float32',
    sizeMultiple: 2,
    receptiveFieldRadius: Math.max(ffdmReceptiveFieldRadius(state.config.architecture), speckGuardRadius(SPECK_GUARD)),
    inputRange: [0, 1],
    outputClipped: false,
    normalization: FFDM_NORMALIZATION,
  };
}

/**
 * The methods of the FFDM table: classical baselines, then every
 * model in models/ (and an extra .onnx + io being exported).
 */
async function ffdmMethods(
  modelsDir: string,
  extra?: { id: string; onnx: Uint8Array; io: ModelCard['io'] },
): Promise<Array<FfdmMethod & { release?: () => Promise<void> }>> {
  const methods: Array<FfdmMethod & { release?: () => Promise<void> }> = classicalFfdmMethods();
  const indexPath = join(modelsDir, 'index.json');
  const index = parseModelIndex(JSON.parse(readFileSync(indexPath, 'utf8')), indexPath);
  for (const entry of index.models) {
    if (entry.id === extra?.id) continue;
    const card = parseModelCard(JSON.parse(readFileSync(join(modelsDir, entry.card), 'utf8')), entry.card);
    methods.push(
      await modelMethod(
        entry.id,
        `${entry.id} ${card.version}`,
        new Uint8Array(readFileSync(join(modelsDir, entry.onnx))),
        card.io,
      ),
    );
  }
  if (extra) methods.push(await modelMethod(extra.id, `${extra.id} (this export)`, extra.onnx, extra.io));
  return methods;
}

export async function runFfdmEvaluation(opts: {
  ffdmData?: string;
  split: FfdmSplit | 'all';
  modelsDir?: string;
  extra?: { id: string; onnx: Uint8Array; io: ModelCard['io'] };
  log?: (l: string) => void;
}): Promise<FfdmEvaluation> {
  const started = Date.now();
  const images = (await readFfdm(opts.ffdmData)).filter(
    (i) => opts.split === 'all' || splitOf(i.patient) === opts.split,
  );
  if (images.length === 0) throw new Error(`no digital mammograms in the ${opts.split} split`);
  const methods = await ffdmMethods(opts.modelsDir ?? modelsDirDefault(), opts.extra);
  const scores = await evaluateFfdm(images, methods, FFDM_EVAL_OPTIONS, opts.log);
  for (const m of methods) await m.release?.();
  const ids = methods.map((m) => m.id);
  const labels = Object.fromEntries(methods.map((m) => [m.id, m.label]));
  const rows = summarise(scores, ids, false);
  const patientRows = summarise(scores, ids, true);
  const markdown = `${ffdmMarkdown(rows, labels)}\n\nPer patient:\n\n${ffdmMarkdown(patientRows, labels)}`;
  return {
    split: opts.split,
    images: images.map((i) => i.name),
    rows,
    patientRows,
    markdown,
    seconds: (Date.now() - started) / 1000,
  };
}

export async function runFfdmEvaluateCommand(opts: { ffdmData?: string; split: string; out?: string }): Promise<void> {
  const split = opts.split as FfdmSplit | 'all';
  const result = await runFfdmEvaluation({ ffdmData: opts.ffdmData, split, log: (l) => console.error(l) });
  console.log(
    `digital mammograms, ${split} split (${result.images.length} images), ` +
      `${FFDM_EVAL_OPTIONS.cropsPerImage} tissue crops of ${FFDM_EVAL_OPTIONS.cropSize} px each, ` +
      `specks in ${FFDM_EVAL_OPTIONS.clustersPerCrop} clusters per crop:\n`,
  );
  console.log(result.markdown);
  console.log(`\n(${result.seconds.toFixed(0)} s)`);
  if (opts.out) writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);
}

const write = (path: string, data: string | Uint8Array): void => {
  writeFileSync(`${path}.tmp-${process.pid}`, data);
  renameSync(`${path}.tmp-${process.pid}`, path);
};

/**
 * Sets defaults.digital in models/index.json (adding the model), leaving "default" and the film default as they are.
 */
function upsertDigitalDefault(modelsDir: string, id: string, makeDefault: boolean): void {
  const path = join(modelsDir, 'index.json');
  const index = parseModelIndex(JSON.parse(readFileSync(path, 'utf8')), path);
  const models = [...index.models.filter((m) => m.id !== id), { id, onnx: `${id}.onnx`, card: `${id}.json` }];
  const defaults = {
    film8bit: index.defaults?.film8bit ?? index.default,
    ...(index.defaults ?? {}),
    ...(makeDefault ? { digital: id } : {}),
  };
  write(path, `${JSON.stringify({ default: index.default, defaults, models }, null, 2)}\n`);
}

export async function runFfdmExportCommand(opts: {
  runDir: string;
  id: string;
  version: string;
  default: boolean;
  ffdmData?: string;
  modelsDir?: string;
}): Promise<void> {
  const modelsDir = opts.modelsDir ?? modelsDirDefault();
  const checkpoint = join(opts.runDir, 'checkpoint.bin');
  if (!existsSync(checkpoint)) throw new Error(`no checkpoint at ${checkpoint}`);
  const state = loadFfdmCheckpoint(checkpoint);
  const arch = state.config.architecture;
  const io = ffdmIo(state);
  const onnxBytes = buildFfdmOnnx(
    arch,
    state.bestWeights,
    {
      modelId: opts.id,
      modelVersion: opts.version,
      docString:
        `Digital-mammogram denoiser (${arch.id}, noise-map conditioned). Inputs: ` +
        `${MODEL_INPUT_NAME} and ${FFDM_NOISE_MAP_INPUT}, float32 [batch,1,H,W], H and W even. ${FFDM_NORMALIZATION}`,
      metadata: {
        architecture: arch.id,
        normalization: FFDM_NORMALIZATION,
        intended_use: FFDM_INTENDED_USE,
        speck_guard: JSON.stringify(SPECK_GUARD),
      },
    },
    SPECK_GUARD,
  );
  const maxDifference = await parity(state, onnxBytes);
  console.log(`TF.js vs onnxruntime-node: max |difference| ${maxDifference.toExponential(2)}`);
  if (maxDifference > 1e-4) throw new Error(`export parity failed: ${maxDifference} > 1e-4; nothing written`);
  console.log('evaluating on the test patients (whole-image protocol, 3 doses)...');
  const test = await runFfdmEvaluation({
    ffdmData: opts.ffdmData,
    split: 'test',
    modelsDir,
    extra: { id: opts.id, onnx: onnxBytes, io },
    log: (l) => console.error(l),
  });
  console.log(test.markdown);
  mkdirSync(modelsDir, { recursive: true });
  const sha256 = createHash('sha256').update(onnxBytes).digest('hex');
  const card = buildFfdmCard(state, {
    id: opts.id,
    version: opts.version,
    sha256,
    bytes: onnxBytes.length,
    io,
    parity: maxDifference,
    test,
  });
  write(join(modelsDir, `${opts.id}.onnx`), onnxBytes);
  write(join(modelsDir, `${opts.id}.json`), `${JSON.stringify(card, null, 2)}\n`);
  write(join(modelsDir, `${opts.id}.md`), ffdmCardMarkdown(card, test));
  upsertDigitalDefault(modelsDir, opts.id, opts.default);
  console.log(
    `wrote ${opts.id}.onnx (${onnxBytes.length} bytes, sha256 ${sha256}), ` +
      `its card and index entry${opts.default ? ' (default for digital mammograms)' : ''}`,
  );
}
