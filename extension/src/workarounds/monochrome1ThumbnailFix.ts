import { metaData, StackViewport, type Types } from '@cornerstonejs/core';

/**
 * WORKAROUND. Upstream issue: no upstream issue found (searched 2026-12-03) in OHIF/Viewers or
 *   cornerstonejs/cornerstone3D for MONOCHROME1 thumbnails drawn as negatives (Cornerstone 3D 5.6.8,
 *   StackViewport.renderImageObject). OHIF/Viewers#4116 is about the main viewport, not thumbnails.
 * Delete when: OHIF's study-panel thumbnails of a MONOCHROME1 image are no longer negatives without
 *   this patch (re-check on each OHIF upgrade).
 *
 * Upstream bug workaround (Cornerstone 3D 5.6.8 as bundled in OHIF 3.13.2):
 * the study panel's thumbnails come from `utilities.loadImageToCanvas` →
 * `renderToCanvasGPU`, which shows the image with
 * `StackViewport.renderImageObject`. That path never runs the MONOCHROME1
 * set-up that `setStack` does (`initialInvert` in
 * `_updateActorToDisplayImageId`), so MONOCHROME1 thumbnails come out as a
 * negative. The fix belongs in renderImageObject (or renderToCanvasGPU).
 * Until then, for the thumbnail renderer's own viewports only (ids
 * "renderGPUViewport-…"), a MONOCHROME1 image is shown inverted, as the main
 * viewport shows it. Remove once thumbnails invert MONOCHROME1 upstream.
 */
export const THUMBNAIL_VIEWPORT_PREFIX = 'renderGPUViewport-';

type DisplayImage = (this: Types.IStackViewport, image: Types.IImage) => void;
// `_updateActorToDisplayImageId` is private in Cornerstone's typings; it is reached by name, and checked to exist.
type PatchablePrototype = { _updateActorToDisplayImageId?: DisplayImage };

export function isMonochrome1(image: Pick<Types.IImage, 'imageId' | 'photometricInterpretation'>): boolean {
  const pixel = metaData.get('imagePixelModule', image.imageId) as { photometricInterpretation?: string } | undefined;
  return (pixel?.photometricInterpretation ?? image.photometricInterpretation) === 'MONOCHROME1';
}

export function installMonochrome1ThumbnailFix(): () => void {
  const prototype = StackViewport.prototype as unknown as PatchablePrototype;
  const original = prototype._updateActorToDisplayImageId;
  if (typeof original !== 'function') {
    console.warn(
      '[mammo-denoise] this Cornerstone has no StackViewport._updateActorToDisplayImageId; ' +
        'MONOCHROME1 thumbnails are left as the viewer draws them',
    );
    return () => undefined;
  }
  prototype._updateActorToDisplayImageId = function displayImage(this: Types.IStackViewport, image: Types.IImage) {
    original.call(this, image);
    if (this.id.startsWith(THUMBNAIL_VIEWPORT_PREFIX) && isMonochrome1(image) && !this.getProperties().invert)
      this.setProperties({ invert: true });
  };
  return () => {
    prototype._updateActorToDisplayImageId = original;
  };
}
