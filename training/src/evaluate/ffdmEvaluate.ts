import {
  computeIntensityMap,
  storedRange,
  type IntensityMap,
  estimateNoiseLevel,
  noiseSigmaAt,
  type NoiseLevelFunction,
  type StoredImage,
  type StoredPixelArray,
} from '@mammo-denoise/core';
import type { FfdmImage } from '../data/ffdm';
import { Random } from '../data/random';
import { addDoseNoise, localMean3x3 } from '../noise/dose';
import { drawSpeckCluster, renderSpecks, type Speck } from '../noise/specks';
import { gaussianFilter, median } from './filters';
import { createImage, type GrayImage } from './image';
import { scoreSpecks } from './speckMetrics';
import { vstNonLocalMeans } from './vstNonLocalMeans';

/**
 * Issue 13's measurement on real digital mammograms. For each image and dose
 * d (1, 0.5, 0.25), the whole image gets the extra noise of dose d (rounded
 * and clamped to its stored type, as a scanner would store it); the product's
 * intensity map and NLF are computed on that whole noisy image; specks are
 * inserted into tissue crops; and every method denoises a region around each
 * crop with the whole image's map and NLF, exactly as the engine would
 * denoise the whole image there (tiles equal the whole image). Scores are on
 * the crop, in oriented stored units (dense tissue bright).
 */
export const FFDM_DOSES = [1, 0.5, 0.25] as const;

export interface FfdmEvalOptions {
  readonly cropSize: number;
  readonly cropsPerImage: number;
  readonly clustersPerCrop: number;
  /** Context denoised around each crop (more than any method's reach). */
  readonly margin: number;
  readonly seed: string;
}

export const FFDM_EVAL_OPTIONS: FfdmEvalOptions = {
  cropSize: 512,
  cropsPerImage: 3,
  clustersPerCrop: 3,
  margin: 40,
  seed: 'ffdm-eval-1',
};

/** What a method is handed: a region of the noisy image (stored), and the whole noisy image's map and NLF. */
export interface RegionContext {
  readonly map: IntensityMap;
  readonly nlf: NoiseLevelFunction;
}

export interface FfdmMethod {
  readonly id: string;
  readonly label: string;
  /** Returns oriented values (dense tissue bright) of the denoised region. */
  denoise(region: StoredImage, context: RegionContext): Promise<Float32Array>;
}

export interface CropScore {
  readonly image: string;
  readonly patient: string;
  readonly dose: number;
  readonly method: string;
  readonly contrastKept: number;
  /** CNR over the untouched full-dose image's CNR. */
  readonly cnrRelative: number;
  readonly psnr: number;
  /** RMS change from the method's input over the mean estimated noise std (full dose only). */
  readonly changeOverNoise: number;
}

const orient =
  (map: IntensityMap) =>
  (v: number): number =>
    map.inverted ? -v : v;

/** The oriented values of a stored image, as float. */
export function orientedValues(image: StoredImage, map: IntensityMap): Float32Array {
  const o = orient(map);
  return Float32Array.from(image.pixels as ArrayLike<number>, (v) => o(v));
}

function cropOrigins(
  image: StoredImage,
  map: IntensityMap,
  options: FfdmEvalOptions,
  random: Random,
): Array<{ x: number; y: number }> {
  const { cropSize: s, margin } = options;
  const threshold = map.low + map.tissueThreshold * (map.high - map.low);
  const o = orient(map);
  const origins: Array<{ x: number; y: number }> = [];
  for (let attempt = 0; attempt < 4000 && origins.length < options.cropsPerImage; attempt += 1) {
    if (image.width < s + 2 * margin || image.height < s + 2 * margin) break;
    const x = margin + random.int(image.width - s - 2 * margin + 1);
    const y = margin + random.int(image.height - s - 2 * margin + 1);
    if (origins.some((p) => Math.abs(p.x - x) < s && Math.abs(p.y - y) < s)) continue;
    let tissue = 0,
      n = 0;
    for (let dy = 0; dy < s; dy += 8)
      for (let dx = 0; dx < s; dx += 8) {
        n += 1;
        if (o(image.pixels[(y + dy) * image.width + x + dx] as number) >= threshold) tissue += 1;
      }
    if (tissue >= 0.95 * n) origins.push({ x, y });
  }
  return origins;
}

function region(
  image: { width: number; pixels: ArrayLike<number> },
  x: number,
  y: number,
  w: number,
  h: number,
): Float32Array {
  const out = new Float32Array(w * h);
  for (let r = 0; r < h; r += 1)
    for (let c = 0; c < w; c += 1) out[r * w + c] = image.pixels[(y + r) * image.width + x + c] as number;
  return out;
}

function toStoredRegion(like: StoredImage, values: Float32Array, w: number, h: number): StoredImage {
  const { min, max } = storedRange(like.bitsStored, like.signed);
  const Ctor = like.pixels.constructor as new (n: number) => StoredPixelArray;
  const pixels = new Ctor(values.length);
  for (let i = 0; i < values.length; i += 1) pixels[i] = Math.min(max, Math.max(min, Math.round(values[i] as number)));
  return { ...like, width: w, height: h, pixels };
}

const inner = (values: Float32Array, w: number, m: number, s: number): Float32Array => {
  const out = new Float32Array(s * s);
  for (let r = 0; r < s; r += 1) out.set(values.subarray((r + m) * w + m, (r + m) * w + m + s), r * s);
  return out;
};

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))))] as number;
}

/** The whole image with the extra noise of `dose` (unrounded, oriented), from the full-dose image's NLF. */
function dosedOriented(
  full: Float32Array,
  image: StoredImage,
  nlfOriented: NoiseLevelFunction,
  dose: number,
  random: Random,
): Float32Array {
  const noisy = full.slice();
  return addDoseNoise(noisy, localMean3x3(full, image.width, image.height), nlfOriented, dose, random);
}

export async function evaluateFfdm(
  images: readonly FfdmImage[],
  methods: readonly FfdmMethod[],
  options: FfdmEvalOptions = FFDM_EVAL_OPTIONS,
  log: (line: string) => void = () => {},
): Promise<CropScore[]> {
  const scores: CropScore[] = [];
  for (const item of images) {
    const image = item.image;
    const fullMap = computeIntensityMap(image);
    const o = orient(fullMap);
    const fullNlf = estimateNoiseLevel(image, fullMap);
    const full = orientedValues(image, fullMap);
    const origins = cropOrigins(image, fullMap, options, Random.derive(options.seed, `${item.name}/crops`));
    if (origins.length === 0) {
      log(`${item.name}: no ${options.cropSize}-px tissue crop, skipped`);
      continue;
    }
    const { cropSize: s, margin: m } = options;
    const w = s + 2 * m;
    const threshold = fullMap.low + fullMap.tissueThreshold * (fullMap.high - fullMap.low);
    // Specks per crop (in crop coordinates), and the untouched full-dose reference per crop.
    const crops = origins.map((origin, k) => {
      const random = Random.derive(options.seed, `${item.name}/specks/${k}`);
      const reference = region({ width: image.width, pixels: full }, origin.x, origin.y, s, s);
      const means = localMean3x3(reference, s, s);
      const noiseAt = (x: number, y: number): number => noiseSigmaAt(fullNlf, means[y * s + x] as number);
      const specks: Speck[] = [];
      for (let c = 0; c < options.clustersPerCrop; c += 1) {
        const centre = { x: 24 + random.int(s - 48), y: 24 + random.int(s - 48) };
        specks.push(
          ...drawSpeckCluster(random, centre, 60, { width: s, height: s, margin: 12 }, noiseAt).filter(
            (p) => !specks.some((q) => Math.hypot(p.x - q.x, p.y - q.y) < 8),
          ),
        );
      }
      const inserted = renderSpecks(specks, s, s);
      const mask = Uint8Array.from(reference, (v) => (v >= threshold ? 1 : 0));
      const breast = [...reference].filter((_, i) => mask[i]);
      const peak = percentile(breast, 0.995) - percentile(breast, 0.005);
      const refScore = scoreSpecks(
        specks,
        createImage(s, s, inserted),
        createImage(
          s,
          s,
          reference.map((v, i) => v + (inserted[i] as number)),
        ),
        createImage(s, s, reference),
        mask,
      );
      return {
        origin,
        specks,
        inserted,
        mask,
        reference,
        peak,
        referenceCnr: refScore.cnr,
        meanNoise: breast.length
          ? [...means].filter((_, i) => mask[i]).reduce((a, v) => a + noiseSigmaAt(fullNlf, v), 0) / breast.length
          : 0,
      };
    });
    for (const dose of FFDM_DOSES) {
      const noisyOriented =
        dose === 1
          ? full
          : dosedOriented(full, image, fullNlf, dose, Random.derive(options.seed, `${item.name}/dose/${dose}`));
      // The noisy image as stored (rounded, clamped), and the product's map and NLF of it.
      const noisyStored = toStoredRegion(image, noisyOriented.map(o), image.width, image.height);
      const map = computeIntensityMap(noisyStored);
      const nlf = estimateNoiseLevel(noisyStored, map);
      const context = { map, nlf };
      for (const [k, crop] of crops.entries()) {
        const x0 = crop.origin.x - m,
          y0 = crop.origin.y - m;
        const without = toStoredRegion(
          image,
          region({ width: image.width, pixels: noisyOriented }, x0, y0, w, w).map(o),
          w,
          w,
        );
        const withValues = region({ width: image.width, pixels: noisyOriented }, x0, y0, w, w);
        for (let r = 0; r < s; r += 1)
          for (let c = 0; c < s; c += 1) withValues[(r + m) * w + c + m] += crop.inserted[r * s + c] as number;
        const withSpecks = toStoredRegion(image, withValues.map(o), w, w);
        const inputCrop = inner(orientedValues(without, map), w, m, s);
        for (const method of methods) {
          const outWithout = inner(await method.denoise(without, context), w, m, s);
          const outWith = inner(await method.denoise(withSpecks, context), w, m, s);
          const sp = scoreSpecks(
            crop.specks,
            createImage(s, s, crop.inserted),
            createImage(s, s, outWith),
            createImage(s, s, outWithout),
            crop.mask,
          );
          let se = 0,
            change = 0,
            n = 0;
          for (let i = 0; i < s * s; i += 1) {
            if (!crop.mask[i]) continue;
            se += ((outWithout[i] as number) - (crop.reference[i] as number)) ** 2;
            change += ((outWithout[i] as number) - (inputCrop[i] as number)) ** 2;
            n += 1;
          }
          const mse = se / Math.max(1, n);
          scores.push({
            image: item.name,
            patient: item.patient,
            dose,
            method: method.id,
            contrastKept: sp.contrastKept,
            cnrRelative: sp.cnr / crop.referenceCnr,
            psnr: mse > 0 ? 10 * Math.log10((crop.peak * crop.peak) / mse) : Infinity,
            changeOverNoise: Math.sqrt(change / Math.max(1, n)) / Math.max(1e-9, crop.meanNoise),
          });
        }
        log(
          `${item.name} dose ${dose * 100}% crop ${k + 1}/${crops.length}: ` +
            `${methods.map((mm) => mm.id).join(', ')} done`,
        );
      }
    }
  }
  return scores;
}

/** Classical baselines: each filters the oriented region (the NLM one given the NLF of the noisy image). */
export function classicalFfdmMethods(): FfdmMethod[] {
  const oriented =
    (f: (g: GrayImage, ctx: RegionContext) => GrayImage): FfdmMethod['denoise'] =>
    async (region, ctx) =>
      f(createImage(region.width, region.height, orientedValues(region, ctx.map)), ctx).data;
  return [
    { id: 'noisy', label: 'noisy input (untouched)', denoise: oriented((g) => g) },
    { id: 'gaussian-1', label: 'Gaussian blur, 1 px', denoise: oriented((g) => gaussianFilter(g, 1)) },
    { id: 'median-3', label: 'median 3x3', denoise: oriented((g) => median(g, 3)) },
    {
      id: 'vst-nlm',
      label: 'NLM after a VST, given the NLF',
      denoise: oriented((g, ctx) => vstNonLocalMeans(g, ctx.nlf)),
    },
  ];
}
