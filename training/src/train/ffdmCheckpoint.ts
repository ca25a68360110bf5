import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { RandomState } from '../data/random';
import type { FfdmLayerWeights, FfdmWeights } from '../model/ffdmNetwork';
import type { AdamState } from './adam';
import type { FfdmTrainConfig } from './ffdmConfig';

export interface FfdmEpochRecord {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly validationLoss: number;
  readonly learningRate: number;
  readonly seconds: number;
}

/** The run a fine-tuning run started from (its best weights), for the model card's lineage. */
export interface FfdmParentRun {
  readonly preset: string;
  readonly checkpointSha256: string;
  readonly epochs: number;
  readonly bestEpoch: number | null;
  readonly elapsedSeconds: number;
  readonly history: readonly FfdmEpochRecord[];
  /** The parent's own parent, if it was a fine-tuning run too. */
  readonly parent?: FfdmParentRun;
}

/** Everything needed to continue an FFDM run exactly where it stopped. */
export interface FfdmTrainingState {
  readonly config: FfdmTrainConfig;
  /** Set when the run started from another run's best weights (--init-from). */
  readonly parent?: FfdmParentRun;
  readonly epoch: number;
  /** Steps done in the epoch in progress, and their summed loss. */
  readonly stepInEpoch: number;
  readonly lossSumThisEpoch: number;
  readonly random: RandomState;
  readonly bestValidationLoss: number;
  readonly bestEpoch: number | null;
  readonly elapsedSeconds: number;
  readonly history: readonly FfdmEpochRecord[];
  readonly weights: FfdmWeights;
  readonly bestWeights: FfdmWeights;
  readonly adam: AdamState;
  readonly finished: boolean;
}

const MAGIC = 'MDFFDM1\n';

/** gzip( MAGIC | u32 header length | JSON header | float32 arrays in header order ). */
export function encodeFfdmCheckpoint(state: FfdmTrainingState): Buffer {
  const arrays: Float32Array[] = [];
  const ref = (a: Float32Array): number => arrays.push(a) - 1;
  const weights = (w: FfdmWeights) =>
    [...w].map(([name, l]) => ({ name, kernelShape: l.kernelShape, kernel: ref(l.kernel), bias: ref(l.bias) }));
  const header = {
    ...state,
    weights: weights(state.weights),
    bestWeights: weights(state.bestWeights),
    adam: {
      step: state.adam.step,
      moments: [...state.adam.moments].map(([name, m]) => ({ name, m: ref(m.m), v: ref(m.v) })),
    },
    arrays: arrays.map((a) => a.length),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  const body = arrays.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  return gzipSync(Buffer.concat([Buffer.from(MAGIC), length, json, ...body]));
}

export function decodeFfdmCheckpoint(bytes: Buffer, source: string): FfdmTrainingState {
  const raw = gunzipSync(bytes);
  if (raw.subarray(0, MAGIC.length).toString() !== MAGIC)
    throw new Error(`${source} is not an FFDM training checkpoint`);
  const headerLength = raw.readUInt32LE(MAGIC.length);
  const start = MAGIC.length + 4;
  const header = JSON.parse(raw.subarray(start, start + headerLength).toString('utf8'));
  const arrays: Float32Array[] = [];
  let offset = start + headerLength;
  for (const n of header.arrays as number[]) {
    arrays.push(new Float32Array(raw.buffer.slice(raw.byteOffset + offset, raw.byteOffset + offset + n * 4)));
    offset += n * 4;
  }
  type WeightRef = { name: string; kernelShape: FfdmLayerWeights['kernelShape']; kernel: number; bias: number };
  const weights = (list: WeightRef[]): FfdmWeights =>
    new Map(
      list.map((w) => [
        w.name,
        { kernelShape: w.kernelShape, kernel: arrays[w.kernel] as Float32Array, bias: arrays[w.bias] as Float32Array },
      ]),
    );
  const moments = new Map(
    (header.adam.moments as Array<{ name: string; m: number; v: number }>).map((m) => [
      m.name,
      { m: arrays[m.m] as Float32Array, v: arrays[m.v] as Float32Array },
    ]),
  );
  return {
    ...header,
    weights: weights(header.weights),
    bestWeights: weights(header.bestWeights),
    adam: { step: header.adam.step, moments },
  } as FfdmTrainingState;
}

/** Written to a temporary file and renamed, so an interrupted write never leaves a broken checkpoint. */
export function saveFfdmCheckpoint(path: string, state: FfdmTrainingState): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, encodeFfdmCheckpoint(state));
  renameSync(`${path}.tmp`, path);
}

export const loadFfdmCheckpoint = (path: string): FfdmTrainingState => decodeFfdmCheckpoint(readFileSync(path), path);
