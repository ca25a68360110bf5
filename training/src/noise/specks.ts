import type { Random } from '../data/random';

/**
 * Microcalcification-like specks (issue 13): 2-D Gaussians of sigma 0.7-1.5
 * px whose peak is 2-8x the local noise std, bright in the MONOCHROME2 sense
 * (dense = bright, as the model space is oriented), in clusters of 5-10
 * within about 10 mm. Inserted into both the input and the reference, so a
 * model is scored (and trained) on keeping them.
 */
export interface Speck {
  readonly x: number;
  readonly y: number;
  readonly sigma: number;
  /** Peak height, in the image's units. */
  readonly amplitude: number;
}

export const SPECK_SIGMA_RANGE: readonly [number, number] = [0.7, 1.5];
export const SPECK_PEAK_TO_NOISE_RANGE: readonly [number, number] = [2, 8];
export const SPECKS_PER_CLUSTER: readonly [number, number] = [5, 10];
/** Specks further apart than this (in units of the larger sigma) barely overlap. */
const MIN_SEPARATION_SIGMAS = 4;
/** Each speck is drawn out to this many sigmas. */
const SPECK_TRUNCATE = 4;

const uniform = (random: Random, [lo, hi]: readonly [number, number]): number => lo + (hi - lo) * random.uniform();

/**
 * A cluster of specks around (cx, cy) within `radius` pixels, each inside
 * [margin, size - margin) and well apart from the others; `noiseAt(x, y)`
 * gives the local noise std the peak is scaled to. Tries a bounded number of
 * places, so a crowded region may get fewer specks.
 */
export function drawSpeckCluster(
  random: Random,
  centre: { x: number; y: number },
  radius: number,
  bounds: { width: number; height: number; margin: number },
  noiseAt: (x: number, y: number) => number,
  count = Math.floor(uniform(random, [SPECKS_PER_CLUSTER[0], SPECKS_PER_CLUSTER[1] + 1])),
): Speck[] {
  const specks: Speck[] = [];
  for (let attempt = 0; attempt < count * 20 && specks.length < count; attempt += 1) {
    const angle = 2 * Math.PI * random.uniform();
    const r = radius * Math.sqrt(random.uniform());
    const x = Math.round(centre.x + r * Math.cos(angle));
    const y = Math.round(centre.y + r * Math.sin(angle));
    if (
      x < bounds.margin ||
      y < bounds.margin ||
      x >= bounds.width - bounds.margin ||
      y >= bounds.height - bounds.margin
    )
      continue;
    const sigma = uniform(random, SPECK_SIGMA_RANGE);
    if (specks.some((s) => Math.hypot(s.x - x, s.y - y) < MIN_SEPARATION_SIGMAS * Math.max(s.sigma, sigma))) continue;
    specks.push({ x, y, sigma, amplitude: uniform(random, SPECK_PEAK_TO_NOISE_RANGE) * noiseAt(x, y) });
  }
  return specks;
}

/** The specks as an image (sum of Gaussians, each cut at 4 sigma), to add to an image of the same size. */
export function renderSpecks(specks: readonly Speck[], width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  for (const s of specks) {
    const r = Math.ceil(SPECK_TRUNCATE * s.sigma);
    for (let y = Math.max(0, s.y - r); y <= Math.min(height - 1, s.y + r); y += 1) {
      for (let x = Math.max(0, s.x - r); x <= Math.min(width - 1, s.x + r); x += 1) {
        const d2 = (x - s.x) ** 2 + (y - s.y) ** 2;
        out[y * width + x] += s.amplitude * Math.exp(-d2 / (2 * s.sigma * s.sigma));
      }
    }
  }
  return out;
}
