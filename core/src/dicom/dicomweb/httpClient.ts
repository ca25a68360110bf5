/**
 * A small DICOMweb client (STOW-RS, WADO-RS, QIDO-RS) on fetch alone, so the
 * viewer's Save and the Node batch tool share it. The authorization value is
 * sent as a header and never appears in a message.
 *
 * This file is its HTTP layer: the target, the error, requests and DICOM JSON
 * answers. multipart.ts encodes and decodes bodies, instances.ts stores and
 * retrieves (STOW-RS, WADO-RS), studySearch.ts searches (QIDO-RS).
 */

export interface DicomWebTarget {
  /** The DICOMweb root, e.g. https://pacs.example/dicom-web (a trailing slash is fine). */
  readonly root: string;
  /** The whole Authorization header value, e.g. "Bearer abc" or "Basic dXNlcjpwdw==". */
  readonly authorization?: string;
  /** Another fetch (tests, or a host's authenticated one); default globalThis.fetch. */
  readonly fetch?: typeof fetch;
}

export class DicomWebError extends Error {
  override readonly name = 'DicomWebError';
  constructor(
    message: string,
    readonly status?: number,
    /** SOP Instance UIDs the server did confirm, when a store failed only in part. */
    readonly stored: readonly string[] = [],
  ) {
    super(message);
  }
}

/** DICOM JSON (PS3.18 F.2): tag → { vr, Value }. */
export type DicomJsonValue = { vr?: string; Value?: unknown[] };
export type DicomJson = Record<string, DicomJsonValue | undefined>;

export const TAG = {
  SOPClassUID: '00080016',
  ReferencedSOPInstanceUID: '00081155',
  FailureReason: '00081197',
  FailedSOPSequence: '00081198',
  ReferencedSOPSequence: '00081199',
  SeriesInstanceUID: '0020000E',
  SOPInstanceUID: '00080018',
  SeriesDescription: '0008103E',
  Modality: '00080060',
  SeriesNumber: '00200011',
  NumberOfSeriesRelatedInstances: '00201209',
  ErrorComment: '00000902',
} as const;

function rootOf(target: DicomWebTarget): string {
  return target.root.replace(/\/+$/, '');
}

function headersOf(target: DicomWebTarget, extra: Record<string, string>): Record<string, string> {
  return target.authorization ? { ...extra, Authorization: target.authorization } : extra;
}

export function first(item: DicomJson | undefined, tag: string): unknown {
  return item?.[tag]?.Value?.[0];
}

export function text(item: DicomJson | undefined, tag: string): string {
  const value = first(item, tag);
  return value === undefined || value === null ? '' : String(value);
}

/** Orthanc's error bodies are JSON with Message/Details; other servers send text. */
function reasonFrom(body: string): string {
  const trimmed = body.trim();
  if (!trimmed) return '';
  try {
    const parsed = JSON.parse(trimmed) as { Message?: string; Details?: string; OrthancError?: string } | DicomJson;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const orthanc = parsed as { Message?: string; Details?: string; OrthancError?: string };
      const parts = [orthanc.Message ?? orthanc.OrthancError, orthanc.Details].filter(
        (p): p is string => typeof p === 'string' && p.length > 0,
      );
      if (parts.length) return parts.join(': ');
      const comment = text(parsed as DicomJson, TAG.ErrorComment);
      if (comment) return comment;
    }
  } catch {
    // Not JSON: use the text itself.
  }
  return trimmed.replace(/\s+/g, ' ').slice(0, 300);
}

async function request(target: DicomWebTarget, what: string, url: string, init: RequestInit): Promise<Response> {
  const doFetch = target.fetch ?? globalThis.fetch;
  let response: Response;
  try {
    response = await doFetch(url, init);
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new DicomWebError(`${what} failed: the DICOMweb server at ${rootOf(target)} could not be reached (${cause})`);
  }
  return response;
}

async function failure(what: string, response: Response): Promise<DicomWebError> {
  const reason = reasonFrom(await response.text().catch(() => ''));
  const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  return new DicomWebError(`${what} failed: HTTP ${status}${reason ? `: ${reason}` : ''}`, response.status);
}

/**
 * One DICOMweb request: `path` (from the root, query included) with these
 * headers and the target's authorization. An answer that `accepted` refuses
 * (by default any that is not 2xx) becomes a DicomWebError with the
 * server's reason; `what` names the request in every message.
 */
export async function exchange(
  target: DicomWebTarget,
  what: string,
  path: string,
  init: { method?: string; headers: Record<string, string>; body?: BodyInit },
  accepted: (response: Response) => boolean = (response) => response.ok,
): Promise<Response> {
  const response = await request(target, what, `${rootOf(target)}${path}`, {
    ...init,
    headers: headersOf(target, init.headers),
  });
  if (!accepted(response)) throw await failure(what, response);
  return response;
}

export async function dicomJson(response: Response, what: string): Promise<DicomJson[] | DicomJson | null> {
  const body = await response.text();
  if (!body.trim()) return null;
  try {
    return JSON.parse(body) as DicomJson[] | DicomJson;
  } catch {
    throw new DicomWebError(
      `${what}: the server answered HTTP ${response.status} with a body that is not DICOM JSON: ${body.slice(0, 200)}`,
      response.status,
    );
  }
}
