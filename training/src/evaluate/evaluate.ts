import type { Crop } from '../data/dataset';
import { Random } from '../data/random';
import { addNoise, EVALUATION_CONDITIONS, type NoiseCondition } from '../noise/noise';
import { adaptiveMedian, DEFAULT_GAUSSIAN_SIGMA, gaussianFilter, median, nonLocalMeans } from './filters';
import { createImage, type GrayImage } from './image';
import { psnr, ssim } from './metrics';

/** A method under evaluation: maps a batch of noisy 8-bit crops to restored 8-bit crops. */
export interface Method {
  readonly id: string;
  readonly label: string;
  run(
    noisy: Uint8Array,
    clean: Uint8Array,
    count: number,
    size: number,
    condition: NoiseCondition,
  ): Promise<Uint8Array>;
}

export interface Score {
  readonly psnr: number;
  readonly ssim: number;
}

export interface EvaluationTable {
  readonly conditions: readonly NoiseCondition[];
  readonly methods: ReadonlyArray<{ id: string; label: string }>;
  /** scores[conditionId][methodId] */
  readonly scores: Readonly<Record<string, Readonly<Record<string, Score>>>>;
  readonly crops: number;
  readonly cropSize: number;
  readonly seconds: number;
}

/** Per-crop PSNR is capped here: an exact 8-bit reproduction has infinite PSNR, which would swamp a mean. */
export const PSNR_CAP = 100;

const toImage = (pixels: Uint8Array, size: number): GrayImage => createImage(size, size, Float32Array.from(pixels));

/** Runs a filter crop by crop (it may look at the clean crop, as NLM does for the true σ) and stores 8-bit results. */
function perCrop(filter: (image: GrayImage, noisy: Uint8Array, clean: Uint8Array) => GrayImage): Method['run'] {
  return async (noisy, clean, count, size) => {
    const pixels = size * size;
    const out = new Uint8Array(count * pixels);
    for (let i = 0; i < count; i += 1) {
      const n = noisy.subarray(i * pixels, (i + 1) * pixels);
      const result = filter(toImage(n, size), n, clean.subarray(i * pixels, (i + 1) * pixels));
      for (let p = 0; p < pixels; p += 1)
        out[i * pixels + p] = Math.min(255, Math.max(0, Math.round(result.data[p] as number)));
    }
    return out;
  };
}

/** Noise std of this realisation (noisy − clean): the "true sigma" handed to non-local means. */
function trueSigma(noisy: Uint8Array, clean: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < noisy.length; i += 1) sum += ((noisy[i] as number) - (clean[i] as number)) ** 2;
  return Math.sqrt(sum / noisy.length);
}

export const CLASSICAL_METHODS: readonly Method[] = [
  { id: 'noisy', label: 'noisy input', run: async (noisy) => noisy },
  { id: 'median3', label: 'median 3x3', run: perCrop((im) => median(im, 3)) },
  { id: 'median5', label: 'median 5x5', run: perCrop((im) => median(im, 5)) },
  { id: 'adaptiveMedian', label: 'adaptive median (≤7x7)', run: perCrop((im) => adaptiveMedian(im, 7)) },
  {
    id: 'gaussian',
    label: `Gaussian σ=${DEFAULT_GAUSSIAN_SIGMA}`,
    run: perCrop((im) => gaussianFilter(im, DEFAULT_GAUSSIAN_SIGMA)),
  },
  {
    id: 'nlm',
    label: 'non-local means (true σ)',
    run: perCrop((image, noisy, clean) => {
      const sigma = trueSigma(noisy, clean);
      return sigma === 0 ? image : nonLocalMeans(image, sigma);
    }),
  },
];

/** The fixed noisy version of crop i under a condition: the same for every method and every run. */
export function testNoise(
  crops: readonly Crop[],
  condition: NoiseCondition,
  seed: string,
): { noisy: Uint8Array; clean: Uint8Array } {
  const pixels = crops[0]?.pixels.length ?? 0;
  const clean = new Uint8Array(crops.length * pixels);
  const noisy = new Uint8Array(crops.length * pixels);
  crops.forEach((crop, i) => {
    clean.set(crop.pixels, i * pixels);
    noisy.set(addNoise(crop.pixels, condition, Random.derive(seed, `test/${condition.id}/${i}`)), i * pixels);
  });
  return { noisy, clean };
}

/** PSNR (MAX 255) and SSIM of every method under every condition, averaged over crops. */
export async function evaluateMethods(
  crops: readonly Crop[],
  methods: readonly Method[],
  options: {
    conditions?: readonly NoiseCondition[];
    seed?: string;
    onProgress?: (done: number, total: number, what: string) => void;
  } = {},
): Promise<EvaluationTable> {
  const started = Date.now();
  const conditions = options.conditions ?? EVALUATION_CONDITIONS;
  const size = Math.round(Math.sqrt(crops[0]?.pixels.length ?? 0));
  if (crops.length === 0) throw new Error('no crops to evaluate');
  const pixels = size * size;
  const scores: Record<string, Record<string, Score>> = {};
  let done = 0;
  for (const condition of conditions) {
    const { noisy, clean } = testNoise(crops, condition, options.seed ?? 'evaluation-1');
    scores[condition.id] = {};
    for (const method of methods) {
      options.onProgress?.(done, conditions.length * methods.length, `${condition.id} / ${method.id}`);
      const restored = await method.run(noisy, clean, crops.length, size, condition);
      let psnrSum = 0;
      let ssimSum = 0;
      for (let i = 0; i < crops.length; i += 1) {
        const reference = toImage(clean.subarray(i * pixels, (i + 1) * pixels), size);
        const test = toImage(restored.subarray(i * pixels, (i + 1) * pixels), size);
        psnrSum += Math.min(PSNR_CAP, psnr(reference, test));
        ssimSum += ssim(reference, test);
      }
      (scores[condition.id] as Record<string, Score>)[method.id] = {
        psnr: psnrSum / crops.length,
        ssim: ssimSum / crops.length,
      };
      done += 1;
    }
  }
  return {
    conditions,
    methods: methods.map(({ id, label }) => ({ id, label })),
    scores,
    crops: crops.length,
    cropSize: size,
    seconds: (Date.now() - started) / 1000,
  };
}
