import type { ModelIdentity } from '../../extension/src/dicom/deriveDenoised';
import { deterministicUid } from '../../extension/src/dicom/dicomweb';

/**
 * UIDs of a denoised copy, fixed by the source UID and the exact model and IOD
 * choice (the DICOMweb client's deterministicUid). Denoising the same series
 * with the same model again yields the same series and instance UIDs, so a
 * rerun stored to the PACS replaces its earlier copies rather than adding a
 * second denoised series; another model or IOD choice gives another series.
 */
export function derivedUid(kind: 'series' | 'instance', sourceUid: string, model: ModelIdentity, iod: string): Promise<string> {
  return deterministicUid(`mammo-denoise ${kind}`, sourceUid, model.id, model.version, model.sha256, iod);
}
