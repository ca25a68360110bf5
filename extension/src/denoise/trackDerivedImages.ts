import { cache, Enums, eventTarget } from '@cornerstonejs/core';
import { parseDenoisedImageId, parseDifferenceImageId } from './denoisedImageIds';
import type { DenoisedImages } from './denoisedImageLoader';
import { DerivedImageCache, type CacheBudget, type DerivedKind } from '@mammo-denoise/core';

const kindOf = (imageId: string): DerivedKind | null =>
  parseDenoisedImageId(imageId) ? 'denoised' : parseDifferenceImageId(imageId) ? 'difference' : null;

/**
 * Follows our images through Cornerstone's cache: each one added is counted
 * against its budget (evicting the least recently used beyond it), and a
 * denoised image whose entry is removed before it was made (the study was
 * left, the cache purged) has its background job forgotten.
 */
export function trackDerivedImages(
  images: DenoisedImages,
  inUse: () => ReadonlySet<string>,
  budget?: CacheBudget,
): DerivedImageCache {
  const derived = new DerivedImageCache(
    { remove: (imageId) => cache.getImageLoadObject(imageId) && cache.removeImageLoadObject(imageId, { force: true }) },
    inUse,
    budget,
  );
  eventTarget.addEventListener(Enums.Events.IMAGE_CACHE_IMAGE_ADDED, (event: Event) => {
    const image = (event as CustomEvent<{ image?: { imageId?: string; sizeInBytes?: number } }>).detail?.image;
    const kind = image?.imageId ? kindOf(image.imageId) : null;
    if (image?.imageId && kind) derived.added(image.imageId, kind, image.sizeInBytes ?? 0);
  });
  eventTarget.addEventListener(Enums.Events.IMAGE_CACHE_IMAGE_REMOVED, (event: Event) => {
    const imageId = (event as CustomEvent<{ imageId?: string }>).detail?.imageId;
    if (!imageId || !kindOf(imageId)) return;
    derived.removed(imageId);
    images.forget(imageId);
  });
  return derived;
}
