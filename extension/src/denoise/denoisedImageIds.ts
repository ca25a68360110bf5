import { formatStrength } from '@mammo-denoise/core';

/**
 * Image ids of denoised images: "denoised:<run id>:<source image id>". The
 * source id is kept whole so metadata and the original pixels can always be
 * found from a denoised id; the run id is in it so two models, or two
 * strengths of one model, never share a cache entry.
 */
export const DENOISED_SCHEME = 'denoised';

/**
 * A run id names what made a denoised image: the model id, and for a
 * noise-conditioned model its strength ("ffdm-nlf@1.25"). A model without a
 * noise map has no strength, so its run id is its model id and its image ids
 * are what they always were.
 */
export function runId(modelId: string, strength?: number): string {
  if (/[:@]/.test(modelId)) throw new Error(`model id "${modelId}" must not contain ":" or "@"`);
  return strength === undefined ? modelId : `${modelId}@${strength}`;
}

export function parseRunId(id: string): { modelId: string; strength?: number } {
  const at = id.indexOf('@');
  if (at < 0) return { modelId: id };
  const strength = Number(id.slice(at + 1));
  return Number.isFinite(strength) ? { modelId: id.slice(0, at), strength } : { modelId: id };
}

/** " · strength 1.25x" for a run with a strength, nothing otherwise: what labels add after the model. */
export function strengthLabel(id: string): string {
  const { strength } = parseRunId(id);
  return strength === undefined ? '' : ` · strength ${formatStrength(strength)}`;
}

/**
 * `modelId` is a run id (runId()): a plain model id for the MIAS models. The
 * field keeps its name so the viewer code that passes it through (controller,
 * loader, Save) did not change when strengths came.
 */
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
