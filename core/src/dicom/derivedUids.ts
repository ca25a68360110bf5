import type { ModelIdentity } from './deriveDenoised';

/**
 * A UID that is the same every time for the same inputs (2.25 + 128 bits of
 * their SHA-256), so re-saving one image with one model finds its series.
 */
export async function deterministicUid(...parts: readonly string[]): Promise<string> {
  const digest = new Uint8Array(
    await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(parts.join('\u0000'))),
  );
  let value = 0n;
  for (const byte of digest.subarray(0, 16)) value = (value << 8n) | BigInt(byte);
  return `2.25.${value.toString()}`;
}

/**
 * UIDs of a denoised copy, fixed by the source UID and the exact model and IOD
 * choice. The viewer's Save and the batch tool both use this one formula, so
 * denoising the same image with the same model again yields the same series
 * and instance UIDs: a second save finds the first (and asks), a rerun stored
 * to the PACS adds no second series, and the viewer finds what the batch tool
 * stored. Another model, version, strength or IOD choice gives another series.
 */
export function derivedUid(
  kind: 'series' | 'instance',
  sourceUid: string,
  model: ModelIdentity,
  iod: string,
): Promise<string> {
  // Each strength is another derivation; models without one keep the UIDs they always had.
  const strength = model.strength !== undefined ? [`strength ${model.strength}`] : [];
  return deterministicUid(`mammo-denoise ${kind}`, sourceUid, model.id, model.version, model.sha256, iod, ...strength);
}

export interface DerivedUids {
  readonly seriesInstanceUid: string;
  readonly sopInstanceUid: string;
}

/** The derived series follows the source series, the derived instance the source instance. */
export async function derivedUids(
  source: { seriesInstanceUid: string; sopInstanceUid: string },
  model: ModelIdentity,
  iod: string,
): Promise<DerivedUids> {
  return {
    seriesInstanceUid: await derivedUid('series', source.seriesInstanceUid, model, iod),
    sopInstanceUid: await derivedUid('instance', source.sopInstanceUid, model, iod),
  };
}
