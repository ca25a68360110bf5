/**
 * Image ids of denoised images: "denoised:<model id>:<source image id>". The
 * source id is kept whole so metadata and the original pixels can always be
 * found from a denoised id; the model id is in it so two models never share a cache entry.
 */
export const DENOISED_SCHEME = 'denoised';

export function denoisedImageId(modelId: string, sourceImageId: string): string {
  if (modelId.includes(':')) throw new Error(`model id "${modelId}" must not contain ":"`);
  return `${DENOISED_SCHEME}:${modelId}:${sourceImageId}`;
}

export function parseDenoisedImageId(imageId: string): { modelId: string; sourceImageId: string } | null {
  if (!imageId.startsWith(`${DENOISED_SCHEME}:`)) return null;
  const rest = imageId.slice(DENOISED_SCHEME.length + 1);
  const colon = rest.indexOf(':');
  if (colon <= 0) return null;
  return { modelId: rest.slice(0, colon), sourceImageId: rest.slice(colon + 1) };
}

export const isDenoisedImageId = (imageId: string): boolean => parseDenoisedImageId(imageId) !== null;

/**
 * Image ids of Compare's difference view: "denoised-difference:<model id>:<source image id>",
 * denoised minus original for that model, computed from the two cached images.
 */
export const DIFFERENCE_SCHEME = 'denoised-difference';

export function differenceImageId(modelId: string, sourceImageId: string): string {
  return `${DIFFERENCE_SCHEME}:${denoisedImageId(modelId, sourceImageId).slice(DENOISED_SCHEME.length + 1)}`;
}

export function parseDifferenceImageId(imageId: string): { modelId: string; sourceImageId: string } | null {
  if (!imageId.startsWith(`${DIFFERENCE_SCHEME}:`)) return null;
  return parseDenoisedImageId(`${DENOISED_SCHEME}:${imageId.slice(DIFFERENCE_SCHEME.length + 1)}`);
}

/** The original behind any derived id (denoised or difference); an original's id is its own. */
export function sourceImageIdOf(imageId: string): string {
  return (parseDenoisedImageId(imageId) ?? parseDifferenceImageId(imageId))?.sourceImageId ?? imageId;
}
