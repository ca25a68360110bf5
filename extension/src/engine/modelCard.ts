/**
 * The model card and model index: the contract between the training workspace
 * (which writes them next to each .onnx in models/) and the engine (which
 * reads them to load, verify and drive a model). One schema, checked on both sides.
 */

export const MODEL_CARD_SCHEMA = 'mammo-denoise/model-card@1';

/** How stored pixels become model input: the model sees [0, 1] with dense tissue bright, as 8-bit film / 255. */
export interface IoContract {
  readonly inputName: string;
  readonly outputName: string;
  /** "[batch, 1, height, width]" float32. */
  readonly layout: 'NCHW';
  readonly dtype: 'float32';
  /** Height and width must be multiples of this (the network pools once). */
  readonly sizeMultiple: number;
  /** Pixels of context each output pixel depends on, per side (tiles need at least this much halo). */
  readonly receptiveFieldRadius: number;
  readonly inputRange: readonly [number, number];
  /** Whether the graph clips its output to inputRange. */
  readonly outputClipped: boolean;
  readonly normalization: string;
}

export interface ModelCard {
  readonly schema: typeof MODEL_CARD_SCHEMA;
  readonly id: string;
  readonly version: string;
  readonly name: string;
  readonly onnx: { readonly file: string; readonly sha256: string; readonly bytes: number; readonly opset: number };
  readonly io: IoContract;
  readonly architecture: Readonly<Record<string, unknown>>;
  readonly training: Readonly<Record<string, unknown>>;
  readonly evaluation: Readonly<Record<string, unknown>>;
  readonly intendedUse: string;
  readonly limitations: readonly string[];
  readonly licence: string;
  readonly citation: string;
}

export interface ModelIndexEntry {
  readonly id: string;
  readonly onnx: string;
  readonly card: string;
}

export interface ModelIndex {
  readonly default: string;
  readonly models: readonly ModelIndexEntry[];
}

export class ModelConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelConfigError';
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (o: Record<string, unknown>, key: string, where: string): string => {
  const v = o[key];
  if (typeof v !== 'string' || v.length === 0) throw new ModelConfigError(`${where}: "${key}" must be a non-empty string`);
  return v;
};

export function parseModelIndex(json: unknown, source: string): ModelIndex {
  if (!isRecord(json)) throw new ModelConfigError(`${source}: model index must be a JSON object`);
  const models = json.models;
  if (!Array.isArray(models) || models.length === 0) throw new ModelConfigError(`${source}: "models" must be a non-empty list`);
  const entries = models.map((m, i): ModelIndexEntry => {
    if (!isRecord(m)) throw new ModelConfigError(`${source}: models[${i}] must be an object`);
    return { id: str(m, 'id', `${source} models[${i}]`), onnx: str(m, 'onnx', `${source} models[${i}]`), card: str(m, 'card', `${source} models[${i}]`) };
  });
  const def = str(json, 'default', source);
  if (!entries.some((e) => e.id === def)) throw new ModelConfigError(`${source}: default model "${def}" is not in "models" (${entries.map((e) => e.id).join(', ')})`);
  return { default: def, models: entries };
}

export function parseModelCard(json: unknown, source: string): ModelCard {
  if (!isRecord(json)) throw new ModelConfigError(`${source}: model card must be a JSON object`);
  if (json.schema !== MODEL_CARD_SCHEMA) throw new ModelConfigError(`${source}: unknown model card schema ${JSON.stringify(json.schema)} (expected ${MODEL_CARD_SCHEMA})`);
  const onnx = json.onnx;
  const io = json.io;
  if (!isRecord(onnx)) throw new ModelConfigError(`${source}: "onnx" must be an object`);
  if (!isRecord(io)) throw new ModelConfigError(`${source}: "io" must be an object`);
  const sha = str(onnx, 'sha256', `${source} onnx`);
  if (!/^[0-9a-f]{64}$/.test(sha)) throw new ModelConfigError(`${source}: onnx.sha256 must be 64 lowercase hex digits`);
  str(io, 'inputName', `${source} io`);
  str(io, 'outputName', `${source} io`);
  if (typeof io.sizeMultiple !== 'number' || typeof io.receptiveFieldRadius !== 'number') {
    throw new ModelConfigError(`${source}: io.sizeMultiple and io.receptiveFieldRadius must be numbers`);
  }
  str(json, 'id', source);
  str(json, 'version', source);
  return json as unknown as ModelCard;
}
