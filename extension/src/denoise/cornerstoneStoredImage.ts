import { metaData, type Types } from '@cornerstonejs/core';
import type { StoredImage, StoredPixelArray } from '@mammo-denoise/core';

/**
 * Reads the stored pixel values of a displayed Cornerstone image (never the
 * rendered canvas). Cornerstone's DICOM loader may have applied the modality
 * LUT already ("pre-scaled"): then values are slope·stored + intercept and are
 * turned back into stored values here, and the reverse on the way out, so the
 * denoised image has exactly the source's representation and range.
 */
export interface CornerstoneImageInfo {
  readonly stored: StoredImage;
  /** How the viewer's array relates to stored values. */
  readonly scaling: { readonly slope: number; readonly intercept: number } | null;
}

export class UnsupportedImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedImageError';
  }
}

interface PixelModule {
  bitsAllocated?: number;
  bitsStored?: number;
  pixelRepresentation?: number;
  photometricInterpretation?: string;
  samplesPerPixel?: number;
}

function storedArray(bitsStored: number, signed: boolean, length: number): StoredPixelArray {
  if (bitsStored <= 8) return signed ? new Int8Array(length) : new Uint8Array(length);
  return signed ? new Int16Array(length) : new Uint16Array(length);
}

/** The image's values as Cornerstone holds them (voxel manager in 5.x, getPixelData before). */
function scalarData(image: Types.IImage): Types.PixelDataTypedArray {
  return (image.voxelManager ? image.voxelManager.getScalarData() : image.getPixelData()) as Types.PixelDataTypedArray;
}

export function readCornerstoneImage(image: Types.IImage): CornerstoneImageInfo {
  const pixel = (metaData.get('imagePixelModule', image.imageId) ?? {}) as PixelModule;
  const modality = (metaData.get('modalityLutModule', image.imageId) ?? {}) as {
    rescaleSlope?: number;
    rescaleIntercept?: number;
  };
  const multiframe = (metaData.get('multiframeModule', image.imageId) ?? {}) as {
    NumberOfFrames?: number;
    numberOfFrames?: number;
  };
  // WADO-URI's multiframe module carries no frame count; OHIF's own provider has the instance's NumberOfFrames.
  const instance = (metaData.get('instance', image.imageId) ?? {}) as { NumberOfFrames?: number | string };
  const frames = Math.max(
    Number(multiframe.NumberOfFrames ?? multiframe.numberOfFrames ?? 1) || 1,
    Number(instance.NumberOfFrames ?? 1) || 1,
  );
  // A frame of a tomosynthesis or other multi-frame object is not a mammogram the model knows; refuse every frame.
  if (frames > 1) {
    throw new UnsupportedImageError(
      `this is a multi-frame object (${frames} frames, e.g. ` +
        'breast tomosynthesis); only single-frame images are denoised',
    );
  }
  const photometric = pixel.photometricInterpretation ?? image.photometricInterpretation;
  if (
    image.color ||
    (pixel.samplesPerPixel ?? 1) !== 1 ||
    (photometric !== 'MONOCHROME1' && photometric !== 'MONOCHROME2')
  ) {
    throw new UnsupportedImageError(
      `this is a colour image (${photometric ?? 'unknown'}); only greyscale MONOCHROME1/2 images are denoised`,
    );
  }
  const values = scalarData(image);
  if (!values || values.length !== image.width * image.height) {
    throw new UnsupportedImageError(
      `the pixel data holds ${values?.length ?? 0} values for a ${image.width}x${image.height} image: ` +
        'it is missing, truncated or corrupt',
    );
  }
  const bitsStored = pixel.bitsStored ?? (values instanceof Uint8Array ? 8 : 16);
  const signed = pixel.pixelRepresentation === 1;
  const slope = Number(modality.rescaleSlope ?? 1) || 1;
  const intercept = Number(modality.rescaleIntercept ?? 0);
  const preScaled = image.preScale?.scaled === true;
  const scaling = preScaled
    ? {
        slope: image.preScale?.scalingParameters?.rescaleSlope ?? slope,
        intercept: image.preScale?.scalingParameters?.rescaleIntercept ?? intercept,
      }
    : null;
  const pixels = storedArray(bitsStored, signed, values.length);
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i] as number;
    pixels[i] = scaling ? Math.round((v - scaling.intercept) / scaling.slope) : v;
  }
  return {
    stored: {
      width: image.width,
      height: image.height,
      pixels,
      bitsStored,
      signed,
      photometricInterpretation: photometric,
      rescaleSlope: slope,
      rescaleIntercept: intercept,
    },
    scaling,
  };
}

/**
 * Denoised stored values in the same array type and scaling as the source
 * image's data. When that is the stored array itself (no scaling, or slope 1
 * and intercept 0, same type: the usual mammogram), it is used as is: a
 * 5355x4915 image is not copied again.
 */
export function toViewerArray(
  source: Types.IImage,
  info: Pick<CornerstoneImageInfo, 'scaling'>,
  denoised: StoredPixelArray,
): Types.PixelDataTypedArray {
  const template = scalarData(source);
  const Ctor = template.constructor as new (n: number) => Types.PixelDataTypedArray;
  const identity = !info.scaling || (info.scaling.slope === 1 && info.scaling.intercept === 0);
  if (identity && denoised.constructor === Ctor) return denoised;
  const out = new Ctor(denoised.length);
  for (let i = 0; i < denoised.length; i += 1) {
    const v = denoised[i] as number;
    out[i] = info.scaling ? v * info.scaling.slope + info.scaling.intercept : v;
  }
  return out;
}

/** The values Cornerstone holds for an image (voxel manager in 5.x, getPixelData before), without copying them. */
export function viewerValues(image: Types.IImage): Types.PixelDataTypedArray {
  return scalarData(image);
}
