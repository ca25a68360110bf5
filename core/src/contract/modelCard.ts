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
  /**
   * A second graph input, present only on noise-conditioned models: the
   * per-pixel noise std in model space, float32 [1, 1, H, W] like the image
   * (see noiseLevel.ts: strength x NLF(3x3 mean)). Absent: the graph takes the image alone.
   */
  readonly noiseMapInputName?: string;
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

/**
 * The default model per kind of image (see defaultModel.ts for the rule):
 * "film8bit" serves BitsStored ≤ 8 (film scans such as MIAS), "digital" more
 * than 8 bits stored (full-field digital mammograms). A missing key falls back
 * to the index's "default".
 */
export const IMAGE_KINDS = ['film8bit', 'digital'] as const;
export type ImageKind = (typeof IMAGE_KINDS)[number];
export type ModelDefaultsByKind = Readonly<Partial<Record<ImageKind, string>>>;

export interface ModelIndex {
  /** The default of old configurations, and of any kind "defaults" does not name. */
  readonly default: string;
  readonly defaults?: ModelDefaultsByKind;
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
  if (typeof v !== 'string' || v.length === 0)
    throw new ModelConfigError(`${where}: "${key}" must be a non-empty string`);
  return v;
};

export function parseModelIndex(json: unknown, source: string): ModelIndex {
  if (!isRecord(json)) throw new ModelConfigError(`${source}: model index must be a JSON object`);
  const models = json.models;
  if (!Array.isArray(models) || models.length === 0)
    throw new ModelConfigError(`${source}: "models" must be a non-empty list`);
  const entries = models.map((m, i): ModelIndexEntry => {
    if (!isRecord(m)) throw new ModelConfigError(`${source}: models[${i}] must be an object`);
    return {
      id: str(m, 'id', `${source} models[${i}]`),
      onnx: str(m, 'onnx', `${source} models[${i}]`),
      card: str(m, 'card', `${source} models[${i}]`),
    };
  });
  const def = str(json, 'default', source);
  const known = (id: string, what: string): void => {
    if (!entries.some((e) => e.id === id))
      throw new ModelConfigError(
        `${source}: ${what} "${id}" is not in "models" (${entries.map((e) => e.id).join(', ')})`,
      );
  };
  known(def, 'default model');
  if (json.defaults === undefined) return { default: def, models: entries };
  return { default: def, defaults: parseDefaultsByKind(json.defaults, source, known), models: entries };
}

function parseDefaultsByKind(
  json: unknown,
  source: string,
  known: (id: string, what: string) => void,
): ModelDefaultsByKind {
  if (!isRecord(json))
    throw new ModelConfigError(
      `${source}: "defaults" must be an object such as { "film8bit": "<id>", "digital": "<id>" }`,
    );
  const defaults: Partial<Record<ImageKind, string>> = {};
  for (const [kind, id] of Object.entries(json)) {
    // A misspelt kind would otherwise fall back to "default" without a word.
    if (!(IMAGE_KINDS as readonly string[]).includes(kind))
      throw new ModelConfigError(
        `${source}: "defaults" has an unknown kind of image "${kind}" (known: ${IMAGE_KINDS.join(', ')})`,
      );
    if (typeof id !== 'string' || id.length === 0)
      throw new ModelConfigError(`${source}: defaults.${kind} must be a model id`);
    known(id, `defaults.${kind}`);
    defaults[kind as ImageKind] = id;
  }
  return defaults;
}

export function parseModelCard(json: unknown, source: string): ModelCard {
  if (!isRecord(json)) throw new ModelConfigError(`${source}: model card must be a JSON object`);
  if (json.schema !== MODEL_CARD_SCHEMA)
    throw new ModelConfigError(
      `${source}: unknown model card schema ${JSON.stringify(json.schema)} (expected ${MODEL_CARD_SCHEMA})`,
    );
  const onnx = json.onnx;
  const io = json.io;
  if (!isRecord(onnx)) throw new ModelConfigError(`${source}: "onnx" must be an object`);
  if (!isRecord(io)) throw new ModelConfigError(`${source}: "io" must be an object`);
  const sha = str(onnx, 'sha256', `${source} onnx`);
  if (!/^[0-9a-f]{64}$/.test(sha)) throw new ModelConfigError(`${source}: onnx.sha256 must be 64 lowercase hex digits`);
  str(io, 'inputName', `${source} io`);
  str(io, 'outputName', `${source} io`);
  if (io.noiseMapInputName !== undefined && str(io, 'noiseMapInputName', `${source} io`) === io.inputName) {
    throw new ModelConfigError(
      `${source}: io.noiseMapInputName must differ from io.inputName ("${String(io.inputName)}")`,
    );
  }
  if (typeof io.sizeMultiple !== 'number' || typeof io.receptiveFieldRadius !== 'number') {
    throw new ModelConfigError(`${source}: io.sizeMultiple and io.receptiveFieldRadius must be numbers`);
  }
  str(json, 'id', source);
  str(json, 'version', source);
  return json as unknown as ModelCard;
}
