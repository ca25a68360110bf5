import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModelIndex, type ModelIndex } from '@mammo-denoise/core';

/** Adds or replaces a model in models/index.json; the first model ever added (or `makeDefault`) becomes the default. */
export function upsertModelIndex(modelsDir: string, id: string, makeDefault: boolean): ModelIndex {
  const path = join(modelsDir, 'index.json');
  const current = existsSync(path) ? parseModelIndex(JSON.parse(readFileSync(path, 'utf8')), path) : null;
  const entry = { id, onnx: `${id}.onnx`, card: `${id}.json` };
  const others = (current?.models ?? []).filter((m) => m.id !== id);
  const defaultId = makeDefault || !current ? id : current.default;
  // The default model comes first: the viewer lists models in this order.
  const models = [...others, entry].sort((a, b) => (a.id === defaultId ? -1 : b.id === defaultId ? 1 : 0));
  // Keep the per-kind defaults (film8bit, digital) another export may have set.
  const index: ModelIndex = current?.defaults
    ? { default: defaultId, defaults: current.defaults, models }
    : { default: defaultId, models };
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(index, null, 2)}\n`);
  renameSync(tmp, path);
  return index;
}
