import { metaData } from '@cornerstonejs/core';
import { sourceImageIdOf } from '../denoise/denoisedImageIds';
import type { DenoiseService } from '../denoise/denoiseService';

/** BitsStored of the image behind an image id (original, denoised or difference), from Cornerstone's metadata. */
export function bitsStoredOf(imageId: string | undefined): number | null {
  if (!imageId) return null;
  const module = metaData.get('imagePixelModule', sourceImageIdOf(imageId)) as { bitsStored?: number } | undefined;
  return typeof module?.bitsStored === 'number' ? module.bitsStored : null;
}

/**
 * The run id Denoise (and Save, for an image not shown denoised) uses for an
 * image: the picked model, or its kind's default (the one rule,
 * defaultModelFor), at the current strength where that model takes one.
 */
export function runIdForImage(service: DenoiseService, imageId: string | undefined): string | null {
  const bitsStored = bitsStoredOf(imageId);
  const model = service.modelFor(bitsStored === null ? null : { bitsStored });
  return model ? service.runIdOf(model.id) : null;
}
