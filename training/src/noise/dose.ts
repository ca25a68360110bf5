import { noiseSigmaAt, type NoiseLevelFunction } from '@mammo-denoise/core';
import type { Random } from '../data/random';
import { reflectIndex } from '../data/reflect';

/**
 * A reduced-dose version of a processed digital mammogram, as issue 13
 * defines it: quantum noise variance grows as 1/dose, so an image acquired at
 * a fraction d of the dose carries extra zero-mean noise of variance
 * (1/d - 1) x NLF(local mean)^2 on top of what the full-dose image has.
 *
 * What this ignores (stated in the model card): the scanner's noise is
 * spatially correlated after processing and its processing is non-linear
 * (the added noise is white and added after processing), and electronic
 * noise does not scale with dose.
 */

/** 3x3 mean of every pixel, reflect borders: the "local mean" the NLF is a function of. */
export function localMean3x3(values: Float32Array, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      let sum = 0;
      for (let dy = -1; dy <= 1; dy += 1) {
        const row = reflectIndex(y + dy, height) * width;
        for (let dx = -1; dx <= 1; dx += 1) sum += values[row + reflectIndex(x + dx, width)] as number;
      }
      out[y * width + x] = sum / 9;
    }
  }
  return out;
}

/**
 * Adds the noise of dose fraction `dose` (0 < dose <= 1) to `values` (model or
 * oriented stored units; `nlf` in the same units), in place, and returns it.
 * `localMeans` comes from the full-dose image (localMean3x3).
 */
export function addDoseNoise(
  values: Float32Array,
  localMeans: Float32Array,
  nlf: NoiseLevelFunction,
  dose: number,
  random: Random,
): Float32Array {
  if (!(dose > 0 && dose <= 1)) throw new RangeError(`dose must be in (0, 1], got ${dose}`);
  const scale = Math.sqrt(1 / dose - 1);
  if (scale === 0) return values;
  for (let i = 0; i < values.length; i += 1)
    values[i] = (values[i] as number) + scale * noiseSigmaAt(nlf, localMeans[i] as number) * random.normal();
  return values;
}
