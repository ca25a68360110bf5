import { Enums, utilities, type Types } from '@cornerstonejs/core';

/**
 * A new Cornerstone image of `values` in the place of `source` (its geometry
 * and metadata), as the "denoised:" and "denoised-difference:" loaders make
 * them: its own voxel manager over the values, a reference to the source, no
 * cached LUT, and full resolution. `fields` are what differs from the source
 * (value range, size in bytes, and for a difference its presentation).
 */
export function derivedImage(
  source: Types.IImage,
  imageId: string,
  values: Types.PixelDataTypedArray,
  fields: Partial<Types.IImage>,
): Types.IImage {
  const voxelManager = utilities.VoxelManager.createImageVoxelManager({
    width: source.width,
    height: source.height,
    numberOfComponents: 1,
    scalarData: values,
    id: imageId,
  });
  return {
    ...source,
    imageId,
    referencedImageId: source.imageId,
    voxelManager,
    getPixelData: () => voxelManager.getScalarData() as Types.PixelDataTypedArray,
    ...fields,
    cachedLut: undefined,
    // Without it, progressive loading reports a spurious decode error.
    imageQualityStatus: Enums.ImageQualityStatus.FULL_RESOLUTION,
  };
}
