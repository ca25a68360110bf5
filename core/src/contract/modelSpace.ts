/**
 * The model contract as code: how stored pixels become the model's input and
 * back, which the training workspace (writing the model) and the engine
 * (running it) both import from here, so neither restates it.
 *
 * - 8-bit stored values enter the model as value / EIGHT_BIT_MAX (MIAS film
 *   scans, dense tissue bright), and the output goes back as ×EIGHT_BIT_MAX.
 * - Higher bit depths: a per-image linear map (engine/intensity.ts) taking the
 *   LOW_PERCENTILE and HIGH_PERCENTILE of the breast's pixels, widened by
 *   MAP_EDGE_WIDENING stored units each side, to 0 and 1.
 * - 0 and 1 are reserved: the impulse switch of the MIAS models reads them as
 *   8-bit black and white (salt-and-pepper), which the widening keeps every
 *   stored value of a deeper image off.
 */

/** 8-bit stored values are divided by this on the way in (value / 255), as in training. */
export const EIGHT_BIT_MAX = 255;

/** An 8-bit stored value as model input. */
export const eightBitToModel = (stored: number): number => stored / EIGHT_BIT_MAX;

/** A model output as an 8-bit stored value: ×255, rounded, clipped to 0..255. */
export const modelToEightBit = (value: number): number =>
  Math.min(EIGHT_BIT_MAX, Math.max(0, Math.round(value * EIGHT_BIT_MAX)));

/**
 * MIAS film background is near 0; breast tissue starts above this
 * 8-bit value (training's crop filter, the engine's tile skip).
 */
export const EIGHT_BIT_TISSUE_LEVEL = 30;

/** The same threshold in model space (30 / 255). */
export const EIGHT_BIT_TISSUE_THRESHOLD = EIGHT_BIT_TISSUE_LEVEL / EIGHT_BIT_MAX;

/** Model-space values the MIAS models' impulse switch treats as salt-and-pepper (8-bit black and white). */
export const RESERVED_MODEL_VALUES = [0, 1] as const;

/** Percentiles of the breast's pixels that the per-image map sends to 0 and 1. */
export const LOW_PERCENTILE = 0.005;
export const HIGH_PERCENTILE = 0.995;

/** Stored units the per-image map's edges are widened by, so no integer stored value lands on a reserved value. */
export const MAP_EDGE_WIDENING = 0.5;

/**
 * Background (air, film) sits at the dark end of a for-presentation mammogram
 * once oriented; the breast, fatty skin line included, lies above this
 * fraction of the image's robust intensity range.
 */
export const BACKGROUND_FRACTION = 0.1;

/** ONNX tensor names the exporters write and the cards name. */
export const MODEL_INPUT_NAME = 'input';
export const MODEL_OUTPUT_NAME = 'output';
/** Second input of noise-conditioned models: per-pixel noise std in model space (engine/noiseLevel.ts). */
export const NOISE_MAP_INPUT_NAME = 'noise_sigma';

const percentText = (p: number): string => String(p * 100);
const percentiles = `${percentText(LOW_PERCENTILE)}/${percentText(HIGH_PERCENTILE)}`;
const widening = MAP_EDGE_WIDENING === 0.5 ? 'half a stored unit' : `${MAP_EDGE_WIDENING} stored units`;

/**
 * The card's io.normalization text, written from the constants above:
 * 'film' for the MIAS models (8-bit first), 'digital' for noise-conditioned
 * digital-mammogram models (the per-image map first, and the noise map).
 */
export function normalisationText(kind: 'film' | 'digital'): string {
  if (kind === 'film') {
    return (
      `8-bit stored values / ${EIGHT_BIT_MAX} (dense tissue bright, as MIAS film scans). Higher bit depths: ` +
      `a per-image linear map of the ${percentiles} percentiles of tissue pixels, widened by ${widening}, ` +
      `to [0, 1] (so no stored value lands on exactly ${RESERVED_MODEL_VALUES[0]} or ${RESERVED_MODEL_VALUES[1]}), ` +
      'MONOCHROME1 inverted first; the output is mapped back by the exact inverse.'
    );
  }
  return (
    `A per-image linear map of the ${percentiles} percentiles of tissue pixels, widened by ${widening}, ` +
    "to [0, 1], MONOCHROME1 inverted first (the engine's intensity map; 8-bit images: " +
    `value / ${EIGHT_BIT_MAX}); the output is mapped back by the exact inverse. ${NOISE_MAP_INPUT_NAME}: ` +
    "per pixel, strength x the image's noise level function (Immerkaer residual, per-intensity-bin median, " +
    "estimated once on the whole stored image) at the pixel's 3x3 mean, in the same model space."
  );
}
