import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseModelCard, parseModelIndex } from '@mammo-denoise/core';
import { repoRoot } from '../data/repoRoot';
import { CLASSICAL_METHODS, evaluateMethods, type Method } from '../evaluate/evaluate';
import { psnrFloors } from '../evaluate/floors';
import { isArchitectureId, type ArchitectureId } from '../model/architecture';
import { OnnxDenoiser } from '../evaluate/onnxDenoiser';
import { checkFloors, formatFloorChecks, formatTable } from '../evaluate/table';
import { evaluationCrops } from './evaluationData';
import { PRESETS } from '../train/config';
import { evaluationProgress } from './progress';

export interface EvaluateCommandOptions {
  data?: string;
  model?: string[];
  onnx?: string[];
  split: string;
  limit?: number;
  crop?: number;
  out?: string;
}

interface ModelToEvaluate {
  id: string;
  path: string;
  architecture: ArchitectureId | null;
}

/** Models from models/index.json (sha256 checked against each card), or explicit .onnx files. */
function modelsToEvaluate(opts: EvaluateCommandOptions): ModelToEvaluate[] {
  if (opts.onnx) return opts.onnx.map((path) => ({ id: basename(path, '.onnx'), path, architecture: null }));
  const modelsDir = join(repoRoot(), 'models');
  const indexPath = join(modelsDir, 'index.json');
  if (!existsSync(indexPath)) {
    if (opts.model)
      throw new Error(
        `${indexPath} does not exist, so --model ${opts.model.join(' ')} cannot be found; train and export first`,
      );
    console.warn(`no ${indexPath}: evaluating the classical filters only`);
    return [];
  }
  const index = parseModelIndex(JSON.parse(readFileSync(indexPath, 'utf8')), indexPath);
  const wanted = opts.model ?? index.models.map((m) => m.id);
  return wanted.map((id) => {
    const entry = index.models.find((m) => m.id === id);
    if (!entry)
      throw new Error(`model "${id}" is not in ${indexPath} (has ${index.models.map((m) => m.id).join(', ')})`);
    const card = parseModelCard(JSON.parse(readFileSync(join(modelsDir, entry.card), 'utf8')), entry.card);
    const path = join(modelsDir, entry.onnx);
    const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
    if (sha !== card.onnx.sha256)
      throw new Error(`${path}: sha256 ${sha} does not match its card (${card.onnx.sha256}); re-export the model`);
    const arch = (card.architecture as { id?: string }).id;
    return { id, path, architecture: isArchitectureId(arch) ? arch : null };
  });
}

export async function runEvaluateCommand(opts: EvaluateCommandOptions): Promise<void> {
  const models = modelsToEvaluate(opts);
  const { crops, description } = await evaluationCrops(
    opts.split,
    opts.data,
    opts.crop ? { ...PRESETS.patches, cropSize: opts.crop } : PRESETS.patches,
  );
  const used = opts.limit ? crops.slice(0, opts.limit) : crops;
  console.log(`${description}${opts.limit ? ` (first ${used.length} used)` : ''}`);
  const denoisers = await Promise.all(models.map((m) => OnnxDenoiser.load(m.path)));
  const modelMethods: Method[] = models.map((m, i) => ({
    id: m.id,
    label: m.id,
    run: (noisy, _clean, count, size) => (denoisers[i] as OnnxDenoiser).denoise8bit(noisy, count, size),
  }));
  const progress = evaluationProgress();
  const table = await evaluateMethods(used, [...CLASSICAL_METHODS, ...modelMethods], {
    onProgress: progress.onProgress,
  });
  progress.stop();
  await Promise.all(denoisers.map((d) => d.release()));
  console.log(formatTable(table));
  const checks = models.flatMap((m) =>
    m.architecture
      ? [
          {
            id: m.id,
            checks: checkFloors(
              table,
              m.id,
              psnrFloors(m.architecture),
              CLASSICAL_METHODS.map((c) => c.id),
            ),
          },
        ]
      : [],
  );
  for (const c of checks) console.log(`\nFloors for ${c.id}:\n\n${formatFloorChecks(c.checks)}`);
  console.log(`\nevaluated in ${table.seconds.toFixed(0)} s`);
  if (opts.out) {
    writeFileSync(opts.out, `${JSON.stringify({ data: description, table, floors: checks }, null, 2)}\n`);
    console.log(`wrote ${opts.out}`);
  }
}
