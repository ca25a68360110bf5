import { imageLoader, metaData, Enums, utilities, type Types } from '@cornerstonejs/core';
import type { DenoiseProgress, DenoiseStats } from '../../engine/types';
import type { DenoiseService } from '../denoiseService';
import { readCornerstoneImage, toViewerArray, UnsupportedImageError } from './cornerstoneStoredImage';
import { DENOISED_SCHEME, parseDenoisedImageId } from './denoisedImageIds';

export interface LoaderEvents {
  onStart(imageId: string): void;
  onProgress(imageId: string, progress: DenoiseProgress): void;
  onDone(imageId: string, stats: DenoiseStats): void;
  onError(imageId: string, error: Error): void;
}

export class NotPrefetchedError extends Error {
  constructor(imageId: string) {
    super(`${imageId} is denoised only when it is shown, not prefetched`);
    this.name = 'NotPrefetchedError';
  }
}

/**
 * The "denoised:" image loader. Loading "denoised:<model>:<source id>" loads
 * the source image, runs the engine on its stored pixels and returns a new
 * image with the source's representation; Cornerstone caches it like any
 * other, so each image is denoised once per model. The source image and its
 * cached pixels are never modified. Prefetch requests are refused: only the
 * image the user looks at is worth minutes of compute.
 */
export function registerDenoisedImageLoader(service: DenoiseService, events: LoaderEvents): void {
  imageLoader.registerImageLoader(DENOISED_SCHEME, (imageId: string, options?: Record<string, unknown>) => {
    const controller = new AbortController();
    const promise = (async (): Promise<Types.IImage> => {
      const parsed = parseDenoisedImageId(imageId);
      if (!parsed) throw new Error(`not a denoised image id: ${imageId}`);
      if (options?.requestType === Enums.RequestType.Prefetch || options?.requestType === 'prefetch') throw new NotPrefetchedError(imageId);
      events.onStart(imageId);
      try {
        const source = await loadSource(parsed.sourceImageId);
        const info = readCornerstoneImage(source);
        const result = await service.denoise(parsed.modelId, info.stored, { signal: controller.signal, onProgress: (p) => events.onProgress(imageId, p) });
        const values = toViewerArray(source, info, result.pixels);
        const voxelManager = utilities.VoxelManager.createImageVoxelManager({ width: source.width, height: source.height, numberOfComponents: 1, scalarData: values, id: imageId });
        let min = Infinity;
        let max = -Infinity;
        for (const v of values) {
          if (v < min) min = v;
          if (v > max) max = v;
        }
        const image: Types.IImage = {
          ...source,
          imageId,
          referencedImageId: source.imageId,
          voxelManager,
          getPixelData: () => voxelManager.getScalarData() as Types.PixelDataTypedArray,
          minPixelValue: min,
          maxPixelValue: max,
          sizeInBytes: values.byteLength,
          cachedLut: undefined,
          // Without it, progressive loading reports a spurious decode error.
          imageQualityStatus: Enums.ImageQualityStatus.FULL_RESOLUTION,
        };
        events.onDone(imageId, result.stats);
        return image;
      } catch (error) {
        // Decoders reject with strings or plain objects too; the controller needs an Error with a message.
        const failure = error instanceof Error ? error : new Error(describe(error));
        events.onError(imageId, failure);
        throw failure;
      }
    })();
    return { promise, cancelFn: () => controller.abort() };
  });
}

function describe(error: unknown): string {
  if (typeof error === 'string') return error;
  const e = error as { message?: unknown; error?: unknown } | null;
  if (e && typeof e.message === 'string') return e.message;
  if (e?.error instanceof Error) return e.error.message;
  return String(error);
}

/** The source image, or an error that says the image itself is unreadable (not that denoising broke). */
async function loadSource(sourceImageId: string): Promise<Types.IImage> {
  try {
    return await imageLoader.loadAndCacheImage(sourceImageId);
  } catch (error) {
    throw new UnsupportedImageError(`the image itself could not be read (${describe(error)}): it has no pixel data, or its pixel stream is corrupt or truncated`);
  }
}

/** Metadata of a denoised image is its source's: same geometry, VOI, photometric, patient. */
export function registerDenoisedMetadataProvider(): () => void {
  const provider = (type: string, imageId: unknown): unknown => {
    if (typeof imageId !== 'string') return undefined;
    const parsed = parseDenoisedImageId(imageId);
    return parsed ? metaData.get(type, parsed.sourceImageId) : undefined;
  };
  metaData.addProvider(provider, 10_000);
  return () => metaData.removeProvider(provider);
}
