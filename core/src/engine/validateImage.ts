import { storedRange } from './intensity';
import type { StoredImage } from './types';

/**
 * Why an image cannot be denoised, or null. Messages say what is wrong; the
 * caller adds what still works (the original stays displayed).
 */
export function validateStoredImage(image: StoredImage): string | null {
  const { width, height, pixels } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 2 || height < 2)
    return `image size ${width}x${height} is too small to denoise`;
  if (!pixels || pixels.length === 0) return 'the image has no pixel data';
  if (pixels.length !== width * height) {
    return (
      `the pixel data holds ${pixels.length} values for a ${width}x${height} image ` +
      `(${width * height} expected): it is truncated, corrupt, multi-frame or colour`
    );
  }
  if (image.photometricInterpretation !== 'MONOCHROME1' && image.photometricInterpretation !== 'MONOCHROME2') {
    return (
      `photometric interpretation ${String(image.photometricInterpretation)} is not greyscale; ` +
      'only MONOCHROME1 and MONOCHROME2 images are denoised'
    );
  }
  try {
    storedRange(image.bitsStored, image.signed);
  } catch (error) {
    return (error as Error).message;
  }
  if (!Number.isFinite(image.rescaleSlope) || image.rescaleSlope === 0)
    return `rescale slope ${image.rescaleSlope} is not usable`;
  return null;
}
