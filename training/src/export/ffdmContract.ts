/** Names and text of the digital-mammogram model's io contract (its card's "io"). */
export const FFDM_NOISE_MAP_INPUT = 'noise_sigma';

export const FFDM_NORMALIZATION =
  'A per-image linear map of the 0.5/99.5 percentiles of tissue pixels, widened by half a stored unit, to [0, 1], MONOCHROME1 inverted first ' +
  '(the engine\'s intensity map; 8-bit images: value / 255); the output is mapped back by the exact inverse. noise_sigma: per pixel, strength x the ' +
  'image\'s noise level function (Immerkaer residual, per-intensity-bin median, estimated once on the whole stored image) at the pixel\'s 3x3 mean, in the same model space.';

export const FFDM_INTENDED_USE =
  'Research use only; not for primary diagnosis. Reduces quantum-like noise in full-field digital mammograms (For Presentation, 12-16 bit) for viewing, side by side with the original, at a strength the reader chooses.';
