import { NOISE_MAP_INPUT_NAME, normalisationText } from '@mammo-denoise/core';

/** Names and text of the digital-mammogram model's io contract (its card's "io"), from core's model contract. */
export const FFDM_NOISE_MAP_INPUT = NOISE_MAP_INPUT_NAME;

export const FFDM_NORMALIZATION = normalisationText('digital');

export const FFDM_INTENDED_USE =
  'Research use only; not for primary diagnosis. Reduces quantum-like noise in full-field digital mammograms ' +
  '(For Presentation, 12-16 bit) for viewing, side by side with the original, at a strength the reader chooses.';
