import { MODEL_CARD_SCHEMA, type ModelCard } from '@mammo-denoise/core';
import { FFDM_SPLIT } from '../data/ffdm';
import { classicalFfdmMethods } from '../evaluate/ffdmEvaluate';
import type { FfdmEvaluation, FfdmRow } from '../evaluate/ffdmTable';
import { FFDM_INTENDED_USE } from './ffdmContract';
import { NOISE_INPUT_SCALE } from '../model/ffdmNetwork';
import { SPECK_GUARD } from '../model/speckGuard';
import type { FfdmParentRun, FfdmTrainingState } from '../train/ffdmCheckpoint';
import { ONNX_OPSET } from './onnxModel';

const DOSE_MODEL =
  'Reduced dose simulated as issue 13 defines it: zero-mean white Gaussian noise ' +
  'of variance (1/d - 1) x NLF(3x3 local mean)^2 added to the as-acquired image, ' +
  'NLF estimated from that image. It ignores the spatial correlation of real noise after processing, ' +
  'the non-linearity of the processing (noise is added after it), and electronic noise that does not scale with dose.';

export const FFDM_LIMITATIONS: readonly string[] = [
  'Trained on 10 For Presentation images of 4 patients (public RSNA and fo-dicom test images); ' +
    'tested on 5 images of 2 other patients. Few patients and scanners: treat the figures as indicative.',
  DOSE_MODEL,
  'The NLF is measured with a high-pass (Immerkaer) kernel; ' +
    'on vendors whose processing smooths noise (GE SIGMOID images here: 0.1-0.2% of the breast range) ' +
    'it sees less noise than is there, and the model then changes the image little.',
  'Specks are synthetic Gaussians; real calcifications have other shapes and a different context. ' +
    'Not validated on lesions, masses or architectural distortion.',
  'Research use only; not for primary diagnosis.',
];

export function buildFfdmCard(
  state: FfdmTrainingState,
  e: {
    id: string;
    version: string;
    sha256: string;
    bytes: number;
    io: ModelCard['io'];
    parity: number;
    test: FfdmEvaluation;
  },
): ModelCard {
  const c = state.config;
  return {
    schema: MODEL_CARD_SCHEMA,
    id: e.id,
    version: e.version,
    name: 'Digital-mammogram denoiser (noise-map conditioned, half-resolution CNN)',
    onnx: { file: `${e.id}.onnx`, sha256: e.sha256, bytes: e.bytes, opset: ONNX_OPSET },
    io: e.io,
    architecture: {
      id: c.architecture.id,
      width: c.architecture.width,
      depth: c.architecture.depth,
      noiseInputScale: NOISE_INPUT_SCALE,
      speckGuard: SPECK_GUARD,
      description:
        `concat(image, ${NOISE_INPUT_SCALE} x noise map) → 2x2 stride-2 conv (${c.architecture.width}) + ReLU → ` +
        `${c.architecture.depth} x [3x3 conv (${c.architecture.width}) + ReLU] at half ` +
        'resolution → 2x2 stride-2 transposed conv (1) → + image; then the speck guard: ' +
        `where the input's DoG (Gaussian ${SPECK_GUARD.innerSigma} px minus ${SPECK_GUARD.outerSigma} px) ` +
        `over the noise map's std exceeds ${SPECK_GUARD.threshold} (sigmoid, softness ${SPECK_GUARD.softness}, ` +
        `spread by a ${SPECK_GUARD.spread}x${SPECK_GUARD.spread} max-pool), the output takes the input's ` +
        'pixels (bright speck-sized blobs above the noise are kept as acquired). No batch norm. About ' +
        `${Math.round((c.architecture.depth * 9 * c.architecture.width ** 2) / 4 / 1000)}k multiply-adds per pixel.`,
      receptiveFieldRadius: e.io.receptiveFieldRadius,
    },
    training: {
      preset: c.preset,
      data: 'ffdm-train.tar (16 real FFDM For Presentation images, 7 patients), split by patient',
      split: FFDM_SPLIT,
      samples:
        `${c.sample.size}-px crops (>= ${c.sample.minTissue * 100}% tissue, random flips/rotations), ` +
        `drawn fresh each step; dose d uniform in [${c.sample.doseRange.join(', ')}]; specks (2-6, sigma 0.7-1.5 px, ` +
        `peak 2-8x local noise std) in ${c.sample.speckProbability * 100}% of crops, in input and reference alike`,
      loss:
        'the blend d x input + (1 - d) x output against the as-acquired crop (so the output learns the clean image; ' +
        'Noisier2Noise with a known ratio), squared error weighted ' +
        `1 + ${c.sample.speckLossWeight} x speck profile, divided by the crop's mean noise variance`,
      optimizer:
        `Adam, batch ${c.batchSize}, ` +
        `${c.learningRates.map((p) => `${p.rate} from epoch ${p.fromEpoch + 1}`).join(', ')}; ` +
        `${c.stepsPerEpoch} steps an epoch`,
      epochs: state.epoch,
      bestEpoch: state.bestEpoch,
      finished: state.finished,
      wallTimeSeconds: Math.round(state.elapsedSeconds),
      secondsPerEpoch: state.epoch > 0 ? Math.round(state.elapsedSeconds / state.epoch) : null,
      backend: "TensorFlow.js WASM (one thread, the project's gradient kernels)",
      history: state.history,
      // Fine-tuning runs name the run they started from (its checkpoint's sha256 and its epochs), back to the first.
      parent: state.parent ?? null,
    },
    evaluation: {
      parity: {
        maxAbsDifference: e.parity,
        inputs: 'two random model-space images with random noise maps (64x64, 96x160)',
      },
      protocol:
        'Test patients only. Whole image at dose d (noise added, rounded and clamped to the stored type); ' +
        "the engine's intensity map and NLF computed on that whole noisy image; 3 tissue crops of 512 px " +
        'per image with 3 speck clusters each; every method denoises the region around each crop as the ' +
        'engine does the whole image. Speck contrast kept: matched filter (Gaussian 1.1 px minus 9x9 mean) ' +
        "at each speck in (with - without specks) over the inserted specks' response. CNR: that amplitude " +
        'over the std of the matched-filter response of the output without specks over the breast, relative ' +
        'to the untouched full-dose image. PSNR against the as-acquired crop, peak = its 0.5-99.5% breast range.',
      images: e.test.images,
      seconds: Math.round(e.test.seconds),
      rows: e.test.rows,
      perPatient: e.test.patientRows,
    },
    intendedUse: FFDM_INTENDED_USE,
    limitations: FFDM_LIMITATIONS,
    licence:
      'Trained on RSNA Screening Mammography Breast Cancer Detection images (research use, ' +
      'RSNA terms) and fo-dicom test data (MS-PL).',
    citation:
      'K. Zhang, W. Zuo, L. Zhang, "FFDNet: Toward a Fast and Flexible Solution for CNN-Based Image Denoising", IEEE ' +
      'TIP 27(9), 2018 (architecture idea); N. Moran et al., "Noisier2Noise", CVPR 2020 (training with noisy targets).',
  };
}

/** The classical filters the evaluation runs (the untouched input is a baseline, not a filter). */
const classicalFilterIds = (): string[] =>
  classicalFfdmMethods()
    .map((m) => m.id)
    .filter((id) => id !== 'noisy');

/**
 * Issue 13's floors on the test patients, each stated as met or not, from the card's rows (all patients, and each
 * patient for the two speck floors): speck contrast kept >= 0.90 at every dose; speck CNR >= the untouched image's
 * at the same dose; PSNR at 25% dose >= the noisy input's + 1.5 dB and the best classical filter's + 0.5 dB.
 */
export function ffdmFloorLines(modelId: string, rows: readonly FfdmRow[], patientRows: readonly FfdmRow[]): string[] {
  const verdict = (ok: boolean): string => (ok ? 'met' : '**not met**');
  const find = (set: readonly FfdmRow[], patient: string | null, dose: number, method: string): FfdmRow | undefined =>
    set.find((r) => r.patient === patient && r.dose === dose && r.method === method);
  const doses = [...new Set(rows.map((r) => r.dose))].sort((a, b) => b - a);
  const pct = (d: number): string => `${d * 100}%`;
  const lines: string[] = [];
  type Group = [string | null, readonly FfdmRow[]];
  const patients = [...new Set(patientRows.map((r) => r.patient))];
  const groups: Group[] = [[null, rows], ...patients.map((p): Group => [p, patientRows])];
  for (const [patient, set] of groups) {
    const who = patient ?? 'all test patients';
    const model = doses.map((d) => find(set, patient, d, modelId));
    const noisy = doses.map((d) => find(set, patient, d, 'noisy'));
    if (model.some((r) => !r) || noisy.some((r) => !r)) continue;
    const contrast = model.map((r) => r!.contrastKept);
    lines.push(
      `- Speck contrast kept >= 0.90 at ${doses.map(pct).join('/')} dose (${who}): ` +
        `${contrast.map((c) => c.toFixed(3)).join('/')}, ${verdict(contrast.every((c) => c >= 0.9))}.`,
    );
    const cnrOk = model.every((r, i) => r!.cnrRelative >= noisy[i]!.cnrRelative);
    lines.push(
      `- Speck CNR >= the untouched image's at the same dose (${who}): ` +
        `${model.map((r) => r!.cnrRelative.toFixed(3)).join('/')} against ` +
        `${noisy.map((r) => r!.cnrRelative.toFixed(3)).join('/')}, ${verdict(cnrOk)}.`,
    );
  }
  const m25 = find(rows, null, 0.25, modelId);
  const n25 = find(rows, null, 0.25, 'noisy');
  const classical = classicalFilterIds()
    .map((id) => find(rows, null, 0.25, id))
    .filter((r) => r !== undefined);
  if (m25 && n25 && classical.length > 0) {
    const best = classical.reduce((a, b) => (b.psnr > a.psnr ? b : a));
    lines.push(
      `- PSNR at 25% dose >= the noisy input's + 1.5 dB (${(n25.psnr + 1.5).toFixed(2)}): ` +
        `${m25.psnr.toFixed(2)} dB, ${verdict(m25.psnr >= n25.psnr + 1.5)}.`,
      `- PSNR at 25% dose >= the best classical filter's (${best.method}, ${best.psnr.toFixed(2)} dB) + 0.5 dB ` +
        `(${(best.psnr + 0.5).toFixed(2)}): ${m25.psnr.toFixed(2)} dB, ${verdict(m25.psnr >= best.psnr + 0.5)}.`,
    );
  }
  return lines;
}

/** ", started from the best weights (epoch 12) of preset `ffdm` (12 epochs, 31 min, checkpoint sha256 …)". */
function lineage(parent: FfdmParentRun | null | undefined): string {
  if (!parent) return '';
  return (
    `, started from the best weights (epoch ${parent.bestEpoch ?? '-'}) of a run of preset ` +
    `\`${parent.preset}\` (${parent.epochs} epochs, ${(parent.elapsedSeconds / 60).toFixed(0)} min, ` +
    `checkpoint sha256 \`${parent.checkpointSha256.slice(0, 16)}…\`${lineage(parent.parent)})`
  );
}

export function ffdmCardMarkdown(card: ModelCard, test: FfdmEvaluation): string {
  const t = card.training as {
    preset: string;
    epochs: number;
    bestEpoch: number | null;
    wallTimeSeconds: number;
    samples: string;
    loss: string;
    optimizer: string;
    parent: FfdmParentRun | null;
  };
  const a = card.architecture as { description: string };
  const onnxLine =
    `- ONNX: \`${card.onnx.file}\`, ${card.onnx.bytes} bytes, sha256 \`${card.onnx.sha256}\`, ` +
    `opset ${card.onnx.opset}; inputs \`${card.io.inputName}\` and \`${card.io.noiseMapInputName}\`, ` +
    `output \`${card.io.outputName}\`, receptive field ${card.io.receptiveFieldRadius} px per side.`;
  const trainingLine =
    `- Training: preset \`${t.preset}\`, ${t.epochs} epochs (best by validation loss: ${t.bestEpoch ?? '-'}), ` +
    `${(t.wallTimeSeconds / 60).toFixed(0)} min${lineage(t.parent)}. ${t.samples}. Loss: ${t.loss}. ${t.optimizer}.`;
  return `# ${card.name} (\`${card.id}\` ${card.version})

${card.intendedUse}

${onnxLine}
- Intensity contract: ${card.io.normalization}
- Architecture: ${a.description}
${trainingLine}

## Measured on the test patients (${test.images.length} images: ${test.images.join(', ')})

${test.markdown}

## Issue 13's floors on the test patients

${ffdmFloorLines(card.id, test.rows, test.patientRows).join('\n')}

## Limitations

${card.limitations.map((l) => `- ${l}`).join('\n')}

Licence: ${card.licence}

Citation: ${card.citation}
`;
}
