import type { ModelIdentity } from './deriveDenoised';
import { deterministicUid } from './dicomweb';

/**
 * UIDs of a denoised copy, fixed by the source UID and the exact model and IOD
 * choice. The viewer's Save and the batch tool both use this one formula, so
 * denoising the same image with the same model again yields the same series
 * and instance UIDs: a second save finds the first (and asks), a rerun stored
 * to the PACS adds no second series, and the viewer finds what the batch tool
 * stored. Another model, version, strength or IOD choice gives another series.
 */
export function derivedUid(kind: 'series' | 'instance', sourceUid: string, model: ModelIdentity, iod: string): Promise<string> {
  // Each strength is another derivation; models without one keep the UIDs they always had.
  const strength = model.strength !== undefined ? [`strength ${model.strength}`] : [];
  return deterministicUid(`mammo-denoise ${kind}`, sourceUid, model.id, model.version, model.sha256, iod, ...strength);
}

export interface DerivedUids {
  readonly seriesInstanceUid: string;
  readonly sopInstanceUid: string;
}

/** The derived series follows the source series, the derived instance the source instance. */
export async function derivedUids(source: { seriesInstanceUid: string; sopInstanceUid: string }, model: ModelIdentity, iod: string): Promise<DerivedUids> {
  return {
    seriesInstanceUid: await derivedUid('series', source.seriesInstanceUid, model, iod),
    sopInstanceUid: await derivedUid('instance', source.sopInstanceUid, model, iod),
  };
}
