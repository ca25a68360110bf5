import {
  computeIntensityMap,
  toModel,
  type IntensityMap,
  estimateNoiseLevel,
  noiseLevelInModelSpace,
  noiseMap,
  noiseSigmaAt,
  scaleNoiseLevel,
  type NoiseLevelFunction,
} from '@mammo-denoise/core';
import { addDoseNoise, localMean3x3 } from '../noise/dose';
import { drawSpeckCluster, renderSpecks } from '../noise/specks';
import type { FfdmImage } from '../data/ffdm';
import type { Random } from '../data/random';

/**
 * Training and validation samples from real digital mammograms, in the
 * model's space (the engine's per-image intensity map and NLF, so the model
 * sees what the product will hand it):
 *   reference = as-acquired crop (+ specks, half the time),
 *   input     = reference + the extra noise of a dose fraction d,
 *   noise map = the NLF of the input (NLF / sqrt(d), +-10% jitter for the
 *               engine's estimation error), strength 1.
 */
export interface PreparedImage {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  /** Model-space pixels (dense tissue bright). */
  readonly values: Float32Array;
  readonly map: IntensityMap;
  /** NLF of the full-dose image in model space. */
  readonly nlf: NoiseLevelFunction;
}

export function prepareImage(image: FfdmImage): PreparedImage {
  const map = computeIntensityMap(image.image);
  const nlf = noiseLevelInModelSpace(estimateNoiseLevel(image.image, map), map);
  const { width, height, pixels } = image.image;
  const values = new Float32Array(width * height);
  for (let i = 0; i < values.length; i += 1) values[i] = toModel(map, pixels[i] as number);
  return { name: image.name, width, height, values, map, nlf };
}

export interface CropSample {
  /** size x size each. */
  readonly input: Float32Array;
  readonly noiseMap: Float32Array;
  readonly reference: Float32Array;
  /** 1 + SPECK_LOSS_WEIGHT x (speck profile / its peak): where specks are, errors count more. */
  readonly weight: Float32Array;
  readonly dose: number;
}

export interface SampleOptions {
  readonly size: number;
  readonly doseRange: readonly [number, number];
  readonly speckProbability: number;
  readonly speckLossWeight: number;
  /** Fraction of a crop's pixels that must be tissue. */
  readonly minTissue: number;
}

export const FFDM_SAMPLE_OPTIONS: SampleOptions = {
  size: 64,
  doseRange: [0.25, 0.9],
  speckProbability: 0.75,
  speckLossWeight: 100,
  minTissue: 0.95,
};

/** A crop origin whose (size + 2)² window is mostly tissue (rejection sampling; throws after many misses). */
function cropOrigin(image: PreparedImage, size: number, minTissue: number, random: Random): { x: number; y: number } {
  const s = size + 2;
  for (let attempt = 0; attempt < 2000; attempt += 1) {
    const x = random.int(image.width - s + 1);
    const y = random.int(image.height - s + 1);
    let tissue = 0;
    for (let dy = 0; dy < s; dy += 4)
      for (let dx = 0; dx < s; dx += 4)
        if ((image.values[(y + dy) * image.width + x + dx] as number) >= image.map.tissueThreshold) tissue += 1;
    if (tissue >= minTissue * Math.ceil(s / 4) ** 2) return { x, y };
  }
  throw new Error(`${image.name}: found no ${size}-px crop that is ${minTissue * 100}% tissue`);
}

/** Copies a (size+2)² window, flipped and rotated by `orientation` (0-7). */
function window(image: PreparedImage, x0: number, y0: number, s: number, orientation: number): Float32Array {
  const out = new Float32Array(s * s);
  for (let y = 0; y < s; y += 1) {
    for (let x = 0; x < s; x += 1) {
      let u = x,
        v = y;
      if (orientation & 1) u = s - 1 - u;
      if (orientation & 2) v = s - 1 - v;
      if (orientation & 4) [u, v] = [v, u];
      out[y * s + x] = image.values[(y0 + v) * image.width + x0 + u] as number;
    }
  }
  return out;
}

const inner = (values: Float32Array, s: number): Float32Array => {
  const size = s - 2;
  const out = new Float32Array(size * size);
  for (let y = 0; y < size; y += 1) out.set(values.subarray((y + 1) * s + 1, (y + 1) * s + 1 + size), y * size);
  return out;
};

export function drawSample(images: readonly PreparedImage[], options: SampleOptions, random: Random): CropSample {
  const image = images[random.int(images.length)] as PreparedImage;
  const s = options.size + 2;
  const origin = cropOrigin(image, options.size, options.minTissue, random);
  const base = window(image, origin.x, origin.y, s, random.int(8));
  const means = localMean3x3(base, s, s);
  const weightProfile = new Float32Array(s * s);
  if (random.uniform() < options.speckProbability) {
    const noiseAt = (x: number, y: number): number => noiseSigmaAt(image.nlf, means[y * s + x] as number);
    const specks = drawSpeckCluster(
      random,
      { x: s / 2, y: s / 2 },
      s / 2 - 4,
      { width: s, height: s, margin: 4 },
      noiseAt,
      2 + random.int(5),
    );
    const rendered = renderSpecks(specks, s, s);
    for (let i = 0; i < base.length; i += 1) base[i] = (base[i] as number) + (rendered[i] as number);
    const unit = renderSpecks(
      specks.map((sp) => ({ ...sp, amplitude: 1 })),
      s,
      s,
    );
    for (let i = 0; i < unit.length; i += 1) weightProfile[i] = Math.min(1, unit[i] as number);
  }
  const [dLo, dHi] = options.doseRange;
  const dose = dLo + (dHi - dLo) * random.uniform();
  const noisy = addDoseNoise(base.slice(), means, image.nlf, dose, random);
  const jitter = 0.9 + 0.2 * random.uniform();
  const map = noiseMap(noisy, options.size, options.size, scaleNoiseLevel(image.nlf, jitter / Math.sqrt(dose)));
  const weight = inner(weightProfile, s).map((w) => 1 + options.speckLossWeight * w);
  return { input: inner(noisy, s), noiseMap: map, reference: inner(base, s), weight, dose };
}
