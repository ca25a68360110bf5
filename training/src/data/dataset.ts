import type { MiasImage } from './mias';
import { Random } from './random';
import { EIGHT_BIT_TISSUE_LEVEL } from '@mammo-denoise/core';

/**
 * The paper grows MIAS to 3000 samples with flips and crops of the
 * tissue-bearing parts, split 8:1:1. We split by patient (both breasts of a
 * patient go to the same split) so no test crop comes from a breast seen in
 * training.
 */
export interface DatasetOptions {
  /** Total crops over the three splits (paper: 3000). */
  readonly samples: number;
  /** Crop edge in pixels (even). */
  readonly cropSize: number;
  /** Fraction of a crop's pixels that must be tissue. */
  readonly minTissueFraction: number;
  readonly seed: string | number;
}

export const DEFAULT_DATASET_OPTIONS: DatasetOptions = {
  samples: 3000,
  // The paper gives no crop size. 64 px (12.8 mm at 200 µm) holds several
  // fibrous strands and specks, is larger than the network's receptive field
  // (~46 px) and the 21 px NLM search window, and keeps the paper's schedule
  // (batch 4, thousands of crops per epoch) within hours on two CPU cores.
  cropSize: 64,
  minTissueFraction: 0.95,
  seed: 'mias-split-1',
};

/**
 * Film background in MIAS is near 0; breast tissue starts well above this
 * 8-bit value (the model contract's, shared with the engine's tile skip).
 */
export const TISSUE_THRESHOLD = EIGHT_BIT_TISSUE_LEVEL;

export type SplitName = 'train' | 'validation' | 'test';
export const SPLIT_NAMES: readonly SplitName[] = ['train', 'validation', 'test'];

export interface Crop {
  readonly source: string;
  readonly x: number;
  readonly y: number;
  /** Dihedral transform 0..7: bit 0 flips left-right, bit 1 flips top-bottom, bit 2 transposes. */
  readonly transform: number;
  /** cropSize² 8-bit clean pixels, row-major. */
  readonly pixels: Uint8Array;
}

export interface Dataset {
  readonly options: DatasetOptions;
  readonly patients: Readonly<Record<SplitName, readonly number[]>>;
  readonly splits: Readonly<Record<SplitName, readonly Crop[]>>;
}

/** Assigns patients to train/validation/test in 8:1:1, seeded. */
export function splitPatients(patients: readonly number[], seed: string | number): Record<SplitName, number[]> {
  const order = Random.derive(seed, 'patients').shuffle([...new Set(patients)].sort((a, b) => a - b));
  const nValidation = Math.max(1, Math.round(order.length * 0.1));
  const nTest = Math.max(1, Math.round(order.length * 0.1));
  if (order.length < 3) throw new Error(`need images of at least 3 patients to split 8:1:1, got ${order.length}`);
  return {
    validation: order.slice(0, nValidation).sort((a, b) => a - b),
    test: order.slice(nValidation, nValidation + nTest).sort((a, b) => a - b),
    train: order.slice(nValidation + nTest).sort((a, b) => a - b),
  };
}

/** Top-left corners (on a 4 px grid) of crops whose tissue fraction is high enough. */
export function tissueCropOrigins(
  image: MiasImage,
  cropSize: number,
  minTissueFraction: number,
): Array<[number, number]> {
  const { width, height, pixels } = image.image;
  const scale = image.image.maxValue / 255;
  // Summed-area table of the tissue mask makes every crop's count O(1).
  const sat = new Uint32Array((width + 1) * (height + 1));
  for (let y = 0; y < height; y += 1) {
    let row = 0;
    for (let x = 0; x < width; x += 1) {
      row += (pixels[y * width + x] as number) >= TISSUE_THRESHOLD * scale ? 1 : 0;
      sat[(y + 1) * (width + 1) + x + 1] = (sat[y * (width + 1) + x + 1] as number) + row;
    }
  }
  const need = minTissueFraction * cropSize * cropSize;
  const origins: Array<[number, number]> = [];
  for (let y = 0; y + cropSize <= height; y += 4) {
    for (let x = 0; x + cropSize <= width; x += 4) {
      const w1 = width + 1;
      const count =
        (sat[(y + cropSize) * w1 + x + cropSize] as number) -
        (sat[y * w1 + x + cropSize] as number) -
        (sat[(y + cropSize) * w1 + x] as number) +
        (sat[y * w1 + x] as number);
      if (count >= need) origins.push([x, y]);
    }
  }
  return origins;
}

/** Where output pixel (x, y) of a dihedral transform of a size×size square reads from. */
function dihedralSource(x: number, y: number, size: number, transform: number): [number, number] {
  let sx = transform & 4 ? y : x;
  let sy = transform & 4 ? x : y;
  if (transform & 1) sx = size - 1 - sx;
  if (transform & 2) sy = size - 1 - sy;
  return [sx, sy];
}

/** Copies a square crop applying one of the 8 dihedral transforms. */
export function cutCrop(image: MiasImage, x0: number, y0: number, size: number, transform: number): Uint8Array {
  const { width, pixels, maxValue } = image.image;
  const out = new Uint8Array(size * size);
  const scale = 255 / maxValue;
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const [sx, sy] = dihedralSource(x, y, size, transform);
      const v = pixels[(y0 + sy) * width + x0 + sx] as number;
      out[y * size + x] = maxValue === 255 ? v : Math.round(v * scale);
    }
  }
  return out;
}

/** Applies one of the 8 dihedral transforms (see Crop.transform) to a square image; returns a new array. */
export function transformSquare(pixels: Uint8Array, size: number, transform: number): Uint8Array {
  const out = new Uint8Array(size * size);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const [sx, sy] = dihedralSource(x, y, size, transform);
      out[y * size + x] = pixels[sy * size + sx] as number;
    }
  }
  return out;
}

/** Builds the seeded, patient-split crop dataset. */
export function buildDataset(images: readonly MiasImage[], options: DatasetOptions = DEFAULT_DATASET_OPTIONS): Dataset {
  if (options.cropSize % 2 !== 0)
    throw new Error(`crop size must be even (the network halves and doubles it), got ${options.cropSize}`);
  const patients = splitPatients(
    images.map((i) => i.patient),
    options.seed,
  );
  const counts: Record<SplitName, number> = {
    validation: Math.round(options.samples * 0.1),
    test: Math.round(options.samples * 0.1),
    train: 0,
  };
  counts.train = options.samples - counts.validation - counts.test;

  const splits = {} as Record<SplitName, Crop[]>;
  for (const split of SPLIT_NAMES) {
    const random = Random.derive(options.seed, `crops/${split}`);
    const members = new Set(patients[split]);
    const pool = images
      .filter((i) => members.has(i.patient))
      .map((image) => ({ image, origins: tissueCropOrigins(image, options.cropSize, options.minTissueFraction) }))
      .filter((p) => p.origins.length > 0);
    if (pool.length === 0) throw new Error(`no ${split} image has a ${options.cropSize} px crop with enough tissue`);
    const crops: Crop[] = [];
    for (let i = 0; i < counts[split]; i += 1) {
      // Round-robin over images so every breast contributes about equally.
      const { image, origins } = pool[i % pool.length] as (typeof pool)[number];
      const [x, y] = origins[random.int(origins.length)] as [number, number];
      const transform = random.int(8);
      crops.push({ source: image.name, x, y, transform, pixels: cutCrop(image, x, y, options.cropSize, transform) });
    }
    splits[split] = random.shuffle(crops);
  }
  return { options, patients, splits };
}
