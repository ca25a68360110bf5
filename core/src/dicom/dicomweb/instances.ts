import { readPart10 } from '../part10';
import { DicomWebError, dicomJson, exchange, first, TAG, text } from './httpClient';
import type { DicomJson, DicomWebTarget } from './httpClient';
import { multipartRelated, parseMultipart } from './multipart';

/** Instances in and out of a DICOMweb server: STOW-RS and WADO-RS. */

function sopInstanceUidOf(part10: Uint8Array, index: number): string {
  let uid: unknown;
  try {
    const dataset = readPart10(part10, { untilPixelData: true });
    uid =
      dataset.SOPInstanceUID ??
      (dataset._meta as { MediaStorageSOPInstanceUID?: unknown } | undefined)?.MediaStorageSOPInstanceUID;
  } catch (error) {
    throw new DicomWebError(
      `instance ${index + 1} is not a readable DICOM Part 10 file ` +
        `(${error instanceof Error ? error.message : String(error)}); nothing was sent`,
    );
  }
  if (typeof uid !== 'string' || !uid)
    throw new DicomWebError(`instance ${index + 1} has no SOP Instance UID; nothing was sent`);
  return uid;
}

/**
 * STOW-RS: stores Part 10 instances. Resolves only when the server confirmed
 * every instance; otherwise throws a DicomWebError whose `stored` lists what
 * it did confirm.
 */
export async function storeInstances(
  target: DicomWebTarget,
  instances: readonly Uint8Array[],
): Promise<{ stored: string[] }> {
  if (instances.length === 0) return { stored: [] };
  const sent = instances.map(sopInstanceUidOf);
  const what = `storing ${instances.length} instance${instances.length === 1 ? '' : 's'} (STOW-RS)`;
  const { body, contentType } = multipartRelated(instances);
  const response = await exchange(
    target,
    what,
    '/studies',
    {
      method: 'POST',
      headers: { 'Content-Type': contentType, Accept: 'application/dicom+json' },
      body: body as BodyInit,
    },
    // 409 (none stored) carries the per-instance answer read below, as 2xx (202: some stored) does.
    (answer) => answer.ok || answer.status === 409,
  );
  const parsed = await dicomJson(response, what);
  const result = (Array.isArray(parsed) ? parsed[0] : parsed) ?? undefined;
  const referenced = (result?.[TAG.ReferencedSOPSequence]?.Value ?? []) as DicomJson[];
  const failed = (result?.[TAG.FailedSOPSequence]?.Value ?? []) as DicomJson[];
  const confirmed = new Set(referenced.map((item) => text(item, TAG.ReferencedSOPInstanceUID)));
  const stored = sent.filter((uid) => confirmed.has(uid));
  const failures = failed.map((item) => {
    const reason = first(item, TAG.FailureReason);
    const because = reason !== undefined ? ` (failure reason 0x${Number(reason).toString(16).toUpperCase()})` : '';
    return `${text(item, TAG.ReferencedSOPInstanceUID) || '(unknown instance)'}${because}`;
  });
  const missing = sent.filter((uid) => !confirmed.has(uid));
  if (failures.length || missing.length || !response.ok || response.status === 202) {
    const details = failures.length ? `refused ${failures.join(', ')}` : `did not confirm ${missing.join(', ')}`;
    throw new DicomWebError(
      `${what} failed: HTTP ${response.status}; the server ${details}; ` +
        `${stored.length} of ${sent.length} confirmed stored`,
      response.status,
      stored,
    );
  }
  return { stored };
}

/**
 * WADO-RS: one instance as its Part 10 bytes, by default exactly as the server
 * holds it (`*`); given a transfer syntax UID, the server transcodes to it or
 * answers 406 Not Acceptable.
 */
export async function retrieveInstance(
  target: DicomWebTarget,
  studyUid: string,
  seriesUid: string,
  sopUid: string,
  transferSyntax = '*',
): Promise<Uint8Array> {
  const syntax = transferSyntax === '*' ? '' : `, transfer syntax ${transferSyntax}`;
  const what = `retrieving instance ${sopUid} (WADO-RS${syntax})`;
  const path =
    `/studies/${encodeURIComponent(studyUid)}` +
    `/series/${encodeURIComponent(seriesUid)}/instances/${encodeURIComponent(sopUid)}`;
  const response = await exchange(target, what, path, {
    headers: { Accept: `multipart/related; type="application/dicom"; transfer-syntax=${transferSyntax}` },
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const type = response.headers.get('Content-Type') ?? '';
  if (/^application\/dicom\b/i.test(type)) return bytes;
  let parts: Uint8Array[];
  try {
    parts = parseMultipart(bytes, type);
  } catch (error) {
    throw new DicomWebError(
      `${what} failed: ${error instanceof Error ? error.message : String(error)}`,
      response.status,
    );
  }
  if (parts.length !== 1 || !parts[0])
    throw new DicomWebError(
      `${what} failed: expected one DICOM part, the server sent ${parts.length}`,
      response.status,
    );
  return parts[0];
}
