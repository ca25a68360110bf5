import { cache, imageLoader, metaData, Enums, type Types } from '@cornerstonejs/core';
import type { DenoiseProgress, DenoiseStats, StoredPixelArray } from '@mammo-denoise/core';
import type { DenoiseScheduler } from '@mammo-denoise/core';
import type { DenoiseService } from './denoiseService';
import { readCornerstoneImage, toViewerArray, UnsupportedImageError } from './cornerstoneStoredImage';
import { DENOISED_SCHEME, parseDenoisedImageId } from './denoisedImageIds';
import { derivedImage } from './derivedImage';

/**
 * The engine's stored-pixel result of each denoised image made here, keyed by
 * the image object Cornerstone caches (so it goes when the image goes). Save
 * writes exactly these values instead of converting the viewer's array back.
 */
const storedResults = new WeakMap<Types.IImage, StoredPixelArray>();

/** The stored pixels the engine returned for a denoised image made by this loader; undefined for any other image. */
export function denoisedStoredPixels(image: Types.IImage): StoredPixelArray | undefined {
  return storedResults.get(image);
}

export interface LoaderEvents {
  onStart(imageId: string): void;
  onProgress(imageId: string, progress: DenoiseProgress): void;
  onDone(imageId: string, stats: DenoiseStats): void;
  onError(imageId: string, error: Error): void;
}

/**
 * Makes denoised images: "denoised:<model>:<source id>" is the source's stored
 * pixels run through the engine, as a new image with the source's
 * representation. Each image is one job of the scheduler, however many ask
 * for it (a command, the viewport scrolling to it, Cornerstone prefetching
 * it); a finished image goes into Cornerstone's cache, so each image is
 * denoised once per model. The source image and its pixels are never modified.
 */
export class DenoisedImages {
  constructor(
    private readonly service: DenoiseService,
    private readonly events: LoaderEvents,
    private readonly scheduler: DenoiseScheduler<Types.IImage>,
  ) {}

  /** The denoised image, from the cache or made now (in view) or later (in the background): see DenoiseScheduler. */
  get(imageId: string): Promise<Types.IImage> {
    const cached = cache.getImage(imageId);
    if (cached) return Promise.resolve(cached);
    const parsed = parseDenoisedImageId(imageId);
    if (!parsed) return Promise.reject(new Error(`not a denoised image id: ${imageId}`));
    // A job dropped with its cache entry (the study was left) settles with the original, never an error.
    return this.scheduler.request(
      imageId,
      (signal) => this.make(imageId, parsed, signal),
      () => loadSource(parsed.sourceImageId),
    );
  }

  /** Re-reads what is wanted: called when viewports change what they show. */
  reschedule(): void {
    this.scheduler.reschedule();
  }

  /** Its cache entry is gone before it was made (purged with the study, or evicted): forget the job. */
  forget(imageId: string): void {
    if (this.scheduler.has(imageId)) this.scheduler.drop(imageId);
  }

  /**
   * Starts the engine on a stored copy of the source, moved to the
   * worker (not cloned) and not kept here (53 MB for a large image).
   */
  private run(modelId: string, imageId: string, source: Types.IImage, signal: AbortSignal) {
    const { stored, scaling } = readCornerstoneImage(source);
    return {
      scaling,
      run: this.service.denoise(modelId, stored, {
        signal,
        onProgress: (p) => this.events.onProgress(imageId, p),
        transferPixels: true,
      }),
    };
  }

  private async make(
    imageId: string,
    parsed: { modelId: string; sourceImageId: string },
    signal: AbortSignal,
  ): Promise<Types.IImage> {
    this.events.onStart(imageId);
    const source = await loadSource(parsed.sourceImageId);
    if (signal.aborted) throw new DOMException('the run was stopped', 'AbortError');
    const { scaling, run } = this.run(parsed.modelId, imageId, source, signal);
    const result = await run;
    const values = toViewerArray(source, { scaling }, result.pixels);
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < values.length; i += 1) {
      const v = values[i] as number;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const image = derivedImage(source, imageId, values, {
      minPixelValue: min,
      maxPixelValue: max,
      // The stored result is the viewer's array itself unless the source is pre-scaled; then both are held.
      sizeInBytes: values.byteLength + (values === result.pixels ? 0 : result.pixels.byteLength),
    });
    storedResults.set(image, result.pixels);
    // Asked for by a command, not through the loader: nothing will cache it, so it is cached here.
    if (!cache.getImageLoadObject(imageId)) cache.putImageSync(imageId, image);
    this.events.onDone(imageId, result.stats);
    return image;
  }
}

/**
 * The "denoised:" image loader, for Cornerstone's own requests: the viewport
 * scrolling to an image, and prefetch. Both are served (see DenoiseScheduler):
 * a refused prefetch surfaces in OHIF as "Something went wrong".
 */
export function registerDenoisedImageLoader(images: DenoisedImages, events: LoaderEvents): void {
  imageLoader.registerImageLoader(DENOISED_SCHEME, (imageId: string) => {
    const promise = images.get(imageId);
    // Only a failure of an image in view rejects; it is reported on that image's viewport.
    promise.catch((error: unknown) =>
      events.onError(imageId, error instanceof Error ? error : new Error(describe(error))),
    );
    // Cornerstone cancels loads it no longer needs; the scheduler reads what is still wanted from the viewports.
    return { promise, cancelFn: () => images.reschedule() };
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
    return await imageLoader.loadAndCacheImage(sourceImageId, {
      priority: 0,
      requestType: Enums.RequestType.Interaction,
    });
  } catch (error) {
    throw new UnsupportedImageError(
      `the image itself could not be read (${describe(error)}): ` +
        'it has no pixel data, or its pixel stream is corrupt or truncated',
    );
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
