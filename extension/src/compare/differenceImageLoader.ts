import { imageLoader, metaData, Enums, type Types } from '@cornerstonejs/core';
import { differenceImage } from '@mammo-denoise/core';
import { viewerValues } from '../denoise/cornerstoneStoredImage';
import { denoisedImageId, DIFFERENCE_SCHEME, parseDifferenceImageId } from '../denoise/denoisedImageIds';
import type { DenoisedImages } from '../denoise/denoisedImageLoader';
import { derivedImage } from '../denoise/derivedImage';

/** The window of each difference image, for its metadata and the viewport label. */
const windows = new Map<string, { halfWindow: number; maxAbs: number; changed: number }>();

export function differenceWindowOf(imageId: string): { halfWindow: number; maxAbs: number; changed: number } | null {
  return windows.get(imageId) ?? null;
}

/**
 * The "denoised-difference:" image loader: denoised minus original for one
 * model, in modality units with its own window (mid-grey = no change). It
 * asks for the denoised image as the "denoised:" loader does, so the model
 * runs once per image whether the user looks at the result or its
 * difference, and a prefetch is served the same way (in the background). It
 * reads both images' values as Cornerstone holds them (never the rendering),
 * without copying them: they share one representation, so their difference
 * times the step (the slope, unless the loader pre-scaled) is the change in
 * modality units. Kept as 16-bit integers when they fit.
 */
export function registerDifferenceImageLoader(images: DenoisedImages, onReady: (imageId: string) => void): void {
  imageLoader.registerImageLoader(DIFFERENCE_SCHEME, (imageId: string) => {
    const parsed = parseDifferenceImageId(imageId);
    const denoisedId = parsed ? denoisedImageId(parsed.modelId, parsed.sourceImageId) : '';
    const promise = (async (): Promise<Types.IImage> => {
      if (!parsed) throw new Error(`not a difference image id: ${imageId}`);
      const interaction = { priority: 0, requestType: Enums.RequestType.Interaction };
      const source = await imageLoader.loadAndCacheImage(parsed.sourceImageId, interaction);
      const denoised = await images.get(denoisedId);
      const pixel = (metaData.get('imagePixelModule', parsed.sourceImageId) ?? {}) as {
        photometricInterpretation?: string;
      };
      const modality = (metaData.get('modalityLutModule', parsed.sourceImageId) ?? {}) as { rescaleSlope?: number };
      const step = source.preScale?.scaled ? 1 : Number(modality.rescaleSlope ?? 1) || 1;
      const photometric = pixel.photometricInterpretation === 'MONOCHROME1' ? 'MONOCHROME1' : 'MONOCHROME2';
      const difference = differenceImage(
        {
          width: source.width,
          height: source.height,
          pixels: viewerValues(source),
          photometricInterpretation: photometric,
          rescaleSlope: step,
        },
        viewerValues(denoised),
      );
      windows.set(imageId, {
        halfWindow: difference.halfWindow,
        maxAbs: difference.maxAbs,
        changed: difference.changed,
      });
      onReady(imageId);
      const values = difference.values;
      return derivedImage(source, imageId, values, {
        dataType: values instanceof Int16Array ? 'Int16Array' : 'Float32Array',
        minPixelValue: -difference.maxAbs,
        maxPixelValue: difference.maxAbs,
        // The values are already modality units, oriented as displayed.
        slope: 1,
        intercept: 0,
        preScale: {
          enabled: true,
          scaled: true,
          scalingParameters: {
            rescaleSlope: 1,
            rescaleIntercept: 0,
            modality: source.preScale?.scalingParameters?.modality,
          },
        },
        isPreScaled: true,
        photometricInterpretation: 'MONOCHROME2',
        invert: false,
        windowCenter: 0,
        windowWidth: 2 * difference.halfWindow,
        voiLUTFunction: Enums.VOILUTFunctionType.LINEAR,
        sizeInBytes: values.byteLength,
      });
    })();
    return { promise, cancelFn: () => images.reschedule() };
  });
}

/**
 * Metadata of a difference image: its source's geometry and patient, but
 * MONOCHROME2, no rescale and its own window, so no viewer code re-applies
 * the original's presentation to it.
 */
export function registerDifferenceMetadataProvider(): () => void {
  const provider = (type: string, imageId: unknown): unknown => {
    if (typeof imageId !== 'string') return undefined;
    const parsed = parseDifferenceImageId(imageId);
    if (!parsed) return undefined;
    const source = metaData.get(type, parsed.sourceImageId) as Record<string, unknown> | undefined;
    if (type === 'imagePixelModule') return { ...source, photometricInterpretation: 'MONOCHROME2' };
    if (type === 'modalityLutModule') return { ...source, rescaleSlope: 1, rescaleIntercept: 0 };
    if (type === 'voiLutModule') {
      const window = windows.get(imageId);
      return window ? { windowCenter: [0], windowWidth: [2 * window.halfWindow] } : {};
    }
    return source;
  };
  metaData.addProvider(provider, 10_000);
  return () => metaData.removeProvider(provider);
}
