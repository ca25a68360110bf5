import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { RandomState } from '../data/random';
import type { LayerWeights, ModelWeights } from '../model/weights';
import type { AdamState } from './adam';
import type { TrainConfig } from './config';

/** One finished epoch's figures, as logged. */
export interface EpochRecord {
  readonly epoch: number;
  readonly trainLoss: number;
  /** The run's objective on validation: MSE, or the noise-normalised loss (see config.lossWeighting). */
  readonly validationLoss: number;
  /** Plain validation MSE on the [0,1] scale (logged by runs newer than the first checkpoints). */
  readonly validationMse?: number;
  readonly validationPsnr: number;
  readonly learningRate: number;
  readonly seconds: number;
}

/** The run a fine-tune started from (its best weights), for the model card's provenance. */
export interface ParentRun {
  readonly checkpoint: string;
  readonly sha256: string;
  readonly preset: string;
  readonly architecture: string;
  readonly epochs: number;
  readonly bestEpoch: number | null;
  readonly stopped: TrainingState['stopped'];
  readonly elapsedSeconds: number;
  readonly config: TrainConfig;
  readonly history: readonly EpochRecord[];
  readonly parent: ParentRun | null;
}

/** Everything needed to continue a run exactly where it stopped. */
export interface TrainingState {
  readonly config: TrainConfig;
  /** Epochs fully done. */
  readonly epoch: number;
  /** Order of training crops for the epoch in progress, and how many of them are done. */
  readonly epochOrder: readonly number[];
  readonly cursor: number;
  readonly lossSumThisEpoch: number;
  readonly stepsThisEpoch: number;
  readonly random: RandomState;
  readonly bestValidationLoss: number;
  readonly epochsWithoutImprovement: number;
  readonly stopped: 'running' | 'early-stop' | 'max-epochs';
  readonly elapsedSeconds: number;
  readonly history: readonly EpochRecord[];
  readonly weights: ModelWeights;
  readonly bestWeights: ModelWeights;
  readonly adam: AdamState;
  readonly parent?: ParentRun;
}

const MAGIC = 'MDCKPT1\n';

/**
 * Layout: gzip( MAGIC | u32 header length | JSON header | float32 arrays ).
 * The header holds every scalar and, for each array, its name and length;
 * arrays follow in header order. Binary keeps a checkpoint a few MB.
 */
export function encodeCheckpoint(state: TrainingState): Buffer {
  const arrays: Float32Array[] = [];
  const arrayRef = (a: Float32Array): number => arrays.push(a) - 1;
  const weightsRef = (weights: ModelWeights) =>
    [...weights].map(([name, w]) => ({
      name,
      kernelShape: w.kernelShape,
      kernel: arrayRef(w.kernel),
      bias: w.bias ? arrayRef(w.bias) : null,
      batchNorm: w.batchNorm
        ? {
            gamma: arrayRef(w.batchNorm.gamma),
            beta: arrayRef(w.batchNorm.beta),
            movingMean: arrayRef(w.batchNorm.movingMean),
            movingVariance: arrayRef(w.batchNorm.movingVariance),
          }
        : null,
    }));
  const header = {
    ...state,
    weights: weightsRef(state.weights),
    bestWeights: weightsRef(state.bestWeights),
    adam: {
      step: state.adam.step,
      moments: [...state.adam.moments].map(([name, mv]) => ({ name, m: arrayRef(mv.m), v: arrayRef(mv.v) })),
    },
    // JSON has no Infinity.
    bestValidationLoss: Number.isFinite(state.bestValidationLoss) ? state.bestValidationLoss : null,
    arrayLengths: [] as number[],
  };
  header.arrayLengths = arrays.map((a) => a.length);
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  const body = Buffer.concat([
    Buffer.from(MAGIC),
    length,
    json,
    ...arrays.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)),
  ]);
  return gzipSync(body, { level: 6 });
}

interface WeightsRef {
  name: string;
  kernelShape: [number, number, number, number];
  kernel: number;
  bias: number | null;
  batchNorm: { gamma: number; beta: number; movingMean: number; movingVariance: number } | null;
}

export function decodeCheckpoint(bytes: Buffer, source: string): TrainingState {
  let body: Buffer;
  try {
    body = gunzipSync(bytes);
  } catch {
    throw new Error(`${source}: not a training checkpoint (not gzip data)`);
  }
  if (body.subarray(0, MAGIC.length).toString() !== MAGIC)
    throw new Error(`${source}: not a training checkpoint (bad magic)`);
  const headerLength = body.readUInt32LE(MAGIC.length);
  const headerStart = MAGIC.length + 4;
  const header = JSON.parse(body.subarray(headerStart, headerStart + headerLength).toString('utf8')) as Record<
    string,
    unknown
  > & {
    arrayLengths: number[];
    weights: WeightsRef[];
    bestWeights: WeightsRef[];
    adam: { step: number; moments: Array<{ name: string; m: number; v: number }> };
    bestValidationLoss: number | null;
  };
  const arrays: Float32Array[] = [];
  let offset = headerStart + headerLength;
  for (const n of header.arrayLengths) {
    // Copy out: the body buffer's offsets are not 4-byte aligned.
    arrays.push(new Float32Array(body.buffer.slice(body.byteOffset + offset, body.byteOffset + offset + 4 * n)));
    offset += 4 * n;
  }
  if (offset !== body.length) throw new Error(`${source}: checkpoint is truncated or corrupt`);
  const at = (i: number): Float32Array => arrays[i] as Float32Array;
  const weights = (refs: WeightsRef[]): ModelWeights =>
    new Map(
      refs.map((r): [string, LayerWeights] => [
        r.name,
        {
          kernelShape: r.kernelShape,
          kernel: at(r.kernel),
          bias: r.bias === null ? null : at(r.bias),
          batchNorm: r.batchNorm
            ? {
                gamma: at(r.batchNorm.gamma),
                beta: at(r.batchNorm.beta),
                movingMean: at(r.batchNorm.movingMean),
                movingVariance: at(r.batchNorm.movingVariance),
              }
            : null,
        },
      ]),
    );
  const { arrayLengths: _lengths, ...rest } = header;
  return {
    ...(rest as unknown as TrainingState),
    bestValidationLoss: header.bestValidationLoss ?? Number.POSITIVE_INFINITY,
    weights: weights(header.weights),
    bestWeights: weights(header.bestWeights),
    adam: {
      step: header.adam.step,
      moments: new Map(header.adam.moments.map((e) => [e.name, { m: at(e.m), v: at(e.v) }])),
    },
  };
}

/** Writes atomically: a crash mid-write leaves the previous checkpoint intact. */
export function saveCheckpoint(path: string, state: TrainingState): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, encodeCheckpoint(state));
  renameSync(tmp, path);
}

export function loadCheckpoint(path: string): TrainingState {
  return decodeCheckpoint(readFileSync(path), path);
}
