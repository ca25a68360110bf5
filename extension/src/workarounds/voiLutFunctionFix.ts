import { metaData } from '@cornerstonejs/core';

/**
 * WORKAROUND. Upstream issue: cornerstonejs/cornerstone3D#2844 (and OHIF/Viewers#6239).
 * Delete when: the OHIF this extension is deployed with bundles a DICOM image loader that accepts a
 *   string voiLUTFunction (re-check on each OHIF upgrade; the browser test scanners.test.ts shows
 *   SIGMOID images).
 *
 * Upstream bug workaround (cornerstone3D#2844, OHIF#6239): the DICOM image
 * loader bundled with OHIF 3.13.2 reads `voiLUTFunction[0]`, but over
 * DICOMweb and dicomjson the metadata give the function as a plain string, so
 * "SIGMOID" becomes "S" and the image stays black ("Invalid VOI LUT function").
 * This provider, above the others, returns the same module with the function
 * as a one-element array. Remove it once the loader reads strings.
 */
export const VOI_LUT_FIX_PRIORITY = 100_000;

export function installVoiLutFunctionFix(): () => void {
  let inside = false;
  const provider = (type: string, imageId: unknown): unknown => {
    if (type !== 'voiLutModule' || inside || typeof imageId !== 'string') return undefined;
    inside = true;
    try {
      const module = metaData.get(type, imageId) as { voiLUTFunction?: unknown } | undefined;
      const fn = module?.voiLUTFunction;
      if (typeof fn !== 'string') return undefined;
      return { ...module, voiLUTFunction: [fn.trim().toUpperCase()] };
    } finally {
      inside = false;
    }
  };
  metaData.addProvider(provider, VOI_LUT_FIX_PRIORITY);
  return () => metaData.removeProvider(provider);
}
