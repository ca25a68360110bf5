import type { ModelCard } from '@mammo-denoise/core';
import { describeSchedule } from '../train/config';
import { LOSSES } from './losses';

const hours = (s: number): string => (s >= 3600 ? `${(s / 3600).toFixed(2)} h` : `${(s / 60).toFixed(1)} min`);

/** "a, b ×3, c": each condition once, with how many times it is listed (drawn that many times as often). */
function conditionWeights(conditions: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const c of conditions) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts].map(([c, n]) => (n > 1 ? `${c} ×${n}` : c)).join(', ');
}

/** How a run ended, in words: a run exported before it stopped is 'running' in its checkpoint. */
const STOPPED: Record<string, string> = {
  'early-stop': 'early stop',
  'max-epochs': 'epoch cap',
  running: 'not early-stopped; the run went no further',
};

/** The short human-readable card, models/<id>.md. */
export function renderCardMarkdown(card: ModelCard, evaluationMarkdown: string): string {
  const t = card.training as {
    preset: string;
    backend: string;
    epochs: number;
    stopped: string;
    wallTimeSeconds: number;
    secondsPerEpoch: number | null;
    differencesFromPaper: string[];
    lossWeighting?: string;
    totalWallTimeSecondsWithParents?: number;
    parent?: {
      preset: string;
      epochs: number;
      bestEpoch: number | null;
      stopped: string;
      elapsedSeconds: number;
      checkpoint: string;
      sha256: string;
      config: { learningRate: number; batchSize: number };
    } | null;
    config: {
      batchSize: number;
      cropSize: number;
      learningRate: number;
      decayedLearningRate: number;
      decayAfterEpochs: number;
      maxEpochs: number;
      conditions: string[];
    };
  };
  const loss = `${LOSSES[t.lossWeighting ?? 'mse']?.name ?? t.lossWeighting} loss`;
  const parentLine = t.parent
    ? `\n- Started from the best weights (epoch ${t.parent.bestEpoch ?? '?'}) of a \`${t.parent.preset}\` run ` +
      `(${t.parent.epochs} epochs, ${STOPPED[t.parent.stopped] ?? t.parent.stopped}, ` +
      `${hours(t.parent.elapsedSeconds)}; checkpoint \`${t.parent.checkpoint}\` ` +
      `sha256 \`${t.parent.sha256.slice(0, 16)}…\`); every phase, below. ` +
      `All phases together: ${hours(t.totalWallTimeSecondsWithParents ?? t.wallTimeSeconds)}.`
    : '';
  const filesLine =
    `- \`${card.onnx.file}\`: ${(card.onnx.bytes / 1024).toFixed(0)} KiB, ONNX opset ${card.onnx.opset}, ` +
    `sha256 \`${card.onnx.sha256}\``;
  const inputLine =
    `- Input \`${card.io.inputName}\`, output \`${card.io.outputName}\`: float32 [batch, 1, H, W], ` +
    `H and W multiples of ${card.io.sizeMultiple}; values in [0, 1]; output not clipped.`;
  const perEpoch = t.secondsPerEpoch ? `, ${hours(t.secondsPerEpoch)} per epoch` : '';
  const presetLine =
    `- Preset \`${t.preset}\` on the \`${t.backend}\` backend: ${t.epochs} epochs ` +
    `(${STOPPED[t.stopped] ?? t.stopped}), ${hours(t.wallTimeSeconds)} in all${perEpoch}.${parentLine}`;
  const batchLine =
    `- Batch ${t.config.batchSize}, ${t.config.cropSize}x${t.config.cropSize} crops, ` +
    `${describeSchedule({ ...t.config, maxEpochs: t.epochs })}, ${loss}.`;
  const parity = (card.evaluation as { parity?: { maxAbsDifference: number } }).parity;
  return `# ${card.name} (\`${card.id}\` ${card.version})

${card.intendedUse}

## Files and contract
${filesLine}
${inputLine}
- Normalisation: ${card.io.normalization}
- Receptive field: ${card.io.receptiveFieldRadius} px per side (tiles need at least this halo).
- TF.js vs onnxruntime parity at export: max |diff| ${parity ? parity.maxAbsDifference.toExponential(2) : 'n/a'}.

## Training
${presetLine}
${batchLine}
- Noise, drawn per sample (blind): ${conditionWeights(t.config.conditions)}.
${t.differencesFromPaper.map((d) => `- ${d}`).join('\n')}

## Evaluation
${evaluationMarkdown}

## Limitations
${card.limitations.map((l) => `- ${l}`).join('\n')}

## Licence and citation
${card.licence}

${card.citation}
`;
}
