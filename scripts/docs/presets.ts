/**
 * npm run docs:presets: writes the presets tables of docs/training.md from the
 * training configuration (between the presets:begin/end markers), so the doc
 * cannot drift from the code; tests/scripts/docs/presets.test.ts checks it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  describeSchedule,
  lossWeightingOf,
  PRESET_NAMES,
  PRESETS,
  type TrainConfig,
} from '../../training/src/train/config';
import { FFDM_PRESETS, type FfdmTrainConfig } from '../../training/src/train/ffdmConfig';

export const DOC_PATH = resolve(fileURLToPath(new URL('../..', import.meta.url)), 'docs', 'training.md');
const BEGIN = '<!-- presets:begin -->';
const END = '<!-- presets:end -->';

/**
 * "14 conditions; gaussian-5 x6, gaussian-10 x3": each id once, and how much more often the repeated ones are drawn.
 */
function describeConditions(ids: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  const weighted = [...counts].filter(([, n]) => n > 1).map(([id, n]) => `${id} x${n}`);
  return `${counts.size} conditions${weighted.length ? `; ${weighted.join(', ')}` : ''}`;
}

function mias(config: TrainConfig): string {
  const cells = [
    `\`${config.preset}\``,
    `${config.architecture}${config.requiresInit ? ", from `--init-from`'s best weights" : ''}`,
    String(config.batchSize),
    `${config.cropSize} px, ${config.samples} crops`,
    `${describeSchedule(config)}${config.requiresInit ? ', fresh moments' : ''}`,
    lossWeightingOf(config),
    describeConditions(config.conditions),
    `early stop after ${config.patience} flat epochs, capped at ${config.maxEpochs}`,
  ];
  return `| ${cells.join(' | ')} |`;
}

function ffdm(config: FfdmTrainConfig): string {
  const { architecture: a, sample: s } = config;
  const rates = config.learningRates
    .map((r) => (r.fromEpoch === 0 ? `Adam ${r.rate}` : `${r.rate} from epoch ${r.fromEpoch}`))
    .join(', ');
  const cells = [
    `\`${config.preset}\``,
    `${a.id} (width ${a.width}, depth ${a.depth})`,
    String(config.batchSize),
    `${s.size} px, >= ${s.minTissue * 100}% tissue; dose ${s.doseRange.join('-')}; ` +
      `specks in ${s.speckProbability * 100}% (loss weight ${s.speckLossWeight})`,
    rates,
    `${config.stepsPerEpoch} steps per epoch, ${config.maxEpochs} epochs; ${config.validationCrops} validation crops`,
  ];
  return `| ${cells.join(' | ')} |`;
}

/** The text between the markers. */
export function presetsTables(): string {
  return [
    'Film (MIAS) presets: `npm run train -- --preset <name>`.',
    '',
    '| preset | network | batch | crops | learning rate | loss | ' +
      'noise (drawn per sample; xN: N times as often) | epochs |',
    '|---|---|---|---|---|---|---|---|',
    ...PRESET_NAMES.map((name) => mias(PRESETS[name])),
    '',
    'Digital-mammogram presets (noise-map conditioned, on the FFDM data): ' +
      '`npx tsx training/src/cli.ts train-ffdm --preset <name>`.',
    '',
    '| preset | network | batch | samples | learning rate | length |',
    '|---|---|---|---|---|---|',
    ...Object.values(FFDM_PRESETS).map(ffdm),
  ].join('\n');
}

/** The doc with its tables replaced, formatted as `prettier --write` leaves it (so `npm run lint` accepts it). */
export async function withPresetsTables(doc: string): Promise<string> {
  const begin = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`${DOC_PATH} has no ${BEGIN} ... ${END} block`);
  const replaced = `${doc.slice(0, begin + BEGIN.length)}\n${presetsTables()}\n${doc.slice(end)}`;
  return format(replaced, { ...(await resolveConfig(DOC_PATH)), filepath: DOC_PATH });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(DOC_PATH, await withPresetsTables(readFileSync(DOC_PATH, 'utf8')));
  console.log(`wrote the presets tables of ${DOC_PATH}`);
}
