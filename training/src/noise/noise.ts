import type { Random } from '../data/random';

/**
 * A noise condition of the paper (and the light ones the default model must
 * leave alone). Gaussian noise is additive with `gaussianSigma` in 8-bit units;
 * salt-and-pepper hits a pixel with probability 1 - `saltPepperSnr`, setting it
 * to 0 or 255 with equal chance. Mixed conditions apply Gaussian first.
 */
export interface NoiseCondition {
  readonly id: string;
  readonly label: string;
  readonly gaussianSigma: number;
  /** 1 means no salt-and-pepper. */
  readonly saltPepperSnr: number;
}

const gaussian = (sigma: number): NoiseCondition => ({
  id: sigma === 0 ? 'clean' : `gaussian-${sigma}`,
  label: sigma === 0 ? 'clean input' : `Gaussian sigma ${sigma}`,
  gaussianSigma: sigma,
  saltPepperSnr: 1,
});
const saltPepper = (snr: number): NoiseCondition => ({
  id: `salt-pepper-${snr.toFixed(2)}`,
  label: `salt-and-pepper SNR ${snr.toFixed(2)}`,
  gaussianSigma: 0,
  saltPepperSnr: snr,
});
const mixed = (sigma: number, snr: number): NoiseCondition => ({
  id: `mixed-${sigma}-${snr.toFixed(2)}`,
  label: `mixed sigma ${sigma} + SNR ${snr.toFixed(2)}`,
  gaussianSigma: sigma,
  saltPepperSnr: snr,
});

/** The paper's ten conditions: four Gaussian, four salt-and-pepper, two mixed. */
export const PAPER_CONDITIONS: readonly NoiseCondition[] = [
  gaussian(40),
  gaussian(50),
  gaussian(60),
  gaussian(70),
  saltPepper(0.99),
  saltPepper(0.97),
  saltPepper(0.95),
  saltPepper(0.93),
  mixed(50, 0.97),
  mixed(70, 0.93),
];

/** Inputs that need little or no denoising; the default model must leave them nearly untouched. */
export const LIGHT_CONDITIONS: readonly NoiseCondition[] = [gaussian(0), gaussian(5), gaussian(10), gaussian(20)];

/** The 14 conditions of the evaluation table. */
export const EVALUATION_CONDITIONS: readonly NoiseCondition[] = [...PAPER_CONDITIONS, ...LIGHT_CONDITIONS];

export function conditionById(id: string): NoiseCondition {
  const found = EVALUATION_CONDITIONS.find((c) => c.id === id);
  if (!found)
    throw new Error(`unknown noise condition "${id}"; known: ${EVALUATION_CONDITIONS.map((c) => c.id).join(', ')}`);
  return found;
}

/**
 * Returns a noisy copy of an 8-bit image, rounded and clipped to 0..255 as a
 * real 8-bit image would be. The input is not modified.
 */
export function addNoise(clean: Uint8Array, condition: NoiseCondition, random: Random): Uint8Array {
  const out = new Uint8Array(clean.length);
  const { gaussianSigma: sigma, saltPepperSnr: snr } = condition;
  const hit = 1 - snr;
  for (let i = 0; i < clean.length; i += 1) {
    let v = clean[i] as number;
    if (sigma > 0) v = Math.min(255, Math.max(0, Math.round(v + sigma * random.normal())));
    if (hit > 0 && random.uniform() < hit) v = random.uniform() < 0.5 ? 0 : 255;
    out[i] = v;
  }
  return out;
}
