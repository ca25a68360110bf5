import { noiseSigmaAt, type NoiseLevelFunction } from '@mammo-denoise/core';
import { createImage, type GrayImage } from './image';
import { nonLocalMeans } from './nonLocalMeans';

/**
 * Non-local means for signal-dependent noise, given the noise level
 * function: a variance-stabilising transform f(v) = integral of 1/NLF(u) du
 * (the generalised Anscombe transform for an arbitrary NLF) makes the noise
 * std about 1 everywhere, NLM runs with sigma 1, and f's inverse (a table,
 * linearly interpolated) maps back. The classical baseline "given the NLF"
 * of issue 13. Values and NLF are in the same (oriented) units.
 */
const TABLE_STEPS = 8192;

export function vstNonLocalMeans(image: GrayImage, nlf: NoiseLevelFunction): GrayImage {
  let lo = Infinity,
    hi = -Infinity;
  for (const v of image.data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi > lo)) return createImage(image.width, image.height, new Float32Array(image.data));
  const step = (hi - lo) / TABLE_STEPS;
  // f at lo + k step, trapezoid rule; a floor on sigma keeps f finite where the NLF is ~0.
  const floor = Math.max(1e-6, 0.05 * Math.max(...nlf.sigmas, 1e-6));
  const f = new Float64Array(TABLE_STEPS + 1);
  const inv = (u: number): number => 1 / Math.max(floor, noiseSigmaAt(nlf, u));
  for (let k = 1; k <= TABLE_STEPS; k += 1)
    f[k] = (f[k - 1] as number) + (step * (inv(lo + (k - 1) * step) + inv(lo + k * step))) / 2;
  const forward = (v: number): number => {
    const t = Math.min(TABLE_STEPS, Math.max(0, (v - lo) / step));
    const k = Math.min(TABLE_STEPS - 1, Math.floor(t));
    return (f[k] as number) + (t - k) * ((f[k + 1] as number) - (f[k] as number));
  };
  const inverse = (y: number): number => {
    // f is increasing: binary search for the bracketing table cell.
    let a = 0,
      b = TABLE_STEPS;
    if (y <= (f[0] as number)) return lo;
    if (y >= (f[b] as number)) return hi;
    while (b - a > 1) {
      const m = (a + b) >> 1;
      if ((f[m] as number) <= y) a = m;
      else b = m;
    }
    const t = (y - (f[a] as number)) / ((f[b] as number) - (f[a] as number));
    return lo + (a + t) * step;
  };
  const stabilised = createImage(image.width, image.height, image.data.map(forward));
  const filtered = nonLocalMeans(stabilised, 1);
  return createImage(image.width, image.height, filtered.data.map(inverse));
}
