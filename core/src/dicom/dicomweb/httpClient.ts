import { readPart10 } from './part10';

/**
 * A small DICOMweb client (STOW-RS, WADO-RS, QIDO-RS) on fetch alone, so the
 * viewer's Save and the Node batch tool share it. The authorization value is
 * sent as a header and never appears in a message.
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

export interface InstanceRef {
  readonly seriesUid: string;
  readonly sopUid: string;
}

export interface SeriesSummary {
  readonly seriesUid: string;
  readonly description: string;
  readonly modality: string;
  readonly seriesNumber?: number;
  readonly instances?: number;
}

/** DICOM JSON (PS3.18 F.2): tag → { vr, Value }. */
type DicomJsonValue = { vr?: string; Value?: unknown[] };
type DicomJson = Record<string, DicomJsonValue | undefined>;

const TAG = {
  SOPClassUID: '00081150',
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

function first(item: DicomJson | undefined, tag: string): unknown {
  return item?.[tag]?.Value?.[0];
}

function text(item: DicomJson | undefined, tag: string): string {
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
      const parts = [orthanc.Message ?? orthanc.OrthancError, orthanc.Details].filter((p): p is string => typeof p === 'string' && p.length > 0);
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
  return new DicomWebError(`${what} failed: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${reason ? `: ${reason}` : ''}`, response.status);
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

function randomBoundary(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return `mammo-denoise-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** The multipart/related body of a STOW-RS request, one application/dicom part per instance. */
export function multipartRelated(instances: readonly Uint8Array[], boundary = randomBoundary()): { body: Uint8Array; contentType: string } {
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  for (const instance of instances) {
    chunks.push(encoder.encode(`--${boundary}\r\nContent-Type: application/dicom\r\nContent-Length: ${instance.byteLength}\r\n\r\n`), instance, encoder.encode('\r\n'));
  }
  chunks.push(encoder.encode(`--${boundary}--\r\n`));
  return { body: concat(chunks), contentType: `multipart/related; type="application/dicom"; boundary=${boundary}` };
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const last = haystack.length - needle.length;
  outer: for (let i = from; i <= last; i += 1) {
    for (let j = 0; j < needle.length; j += 1) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** The bodies of a multipart/related response (WADO-RS). */
export function parseMultipart(body: Uint8Array, contentType: string): Uint8Array[] {
  const match = /boundary="?([^";]+)"?/i.exec(contentType);
  if (!match?.[1]) throw new Error(`the response is not multipart (Content-Type ${contentType || 'missing'})`);
  const delimiter = new TextEncoder().encode(`--${match[1]}`);
  const headerEnd = new TextEncoder().encode('\r\n\r\n');
  const parts: Uint8Array[] = [];
  let at = indexOf(body, delimiter, 0);
  while (at >= 0) {
    const afterDelimiter = at + delimiter.length;
    if (body[afterDelimiter] === 0x2d && body[afterDelimiter + 1] === 0x2d) break; // closing "--"
    const headersAt = indexOf(body, headerEnd, afterDelimiter);
    if (headersAt < 0) break;
    const start = headersAt + headerEnd.length;
    const next = indexOf(body, delimiter, start);
    if (next < 0) throw new Error('the multipart response is truncated (no closing boundary)');
    // The part ends before the CRLF that precedes the next delimiter.
    const end = body[next - 2] === 0x0d && body[next - 1] === 0x0a ? next - 2 : next;
    parts.push(body.slice(start, end));
    at = next;
  }
  return parts;
}

function sopInstanceUidOf(part10: Uint8Array, index: number): string {
  let uid: unknown;
  try {
    const dataset = readPart10(part10, { untilPixelData: true });
    uid = dataset.SOPInstanceUID ?? (dataset._meta as { MediaStorageSOPInstanceUID?: unknown } | undefined)?.MediaStorageSOPInstanceUID;
  } catch (error) {
    throw new DicomWebError(`instance ${index + 1} is not a readable DICOM Part 10 file (${error instanceof Error ? error.message : String(error)}); nothing was sent`);
  }
  if (typeof uid !== 'string' || !uid) throw new DicomWebError(`instance ${index + 1} has no SOP Instance UID; nothing was sent`);
  return uid;
}

async function dicomJson(response: Response, what: string): Promise<DicomJson[] | DicomJson | null> {
  const body = await response.text();
  if (!body.trim()) return null;
  try {
    return JSON.parse(body) as DicomJson[] | DicomJson;
  } catch {
    throw new DicomWebError(`${what}: the server answered HTTP ${response.status} with a body that is not DICOM JSON: ${body.slice(0, 200)}`, response.status);
  }
}

/**
 * STOW-RS: stores Part 10 instances. Resolves only when the server confirmed
 * every instance; otherwise throws a DicomWebError whose `stored` lists what
 * it did confirm.
 */
export async function storeInstances(target: DicomWebTarget, instances: readonly Uint8Array[]): Promise<{ stored: string[] }> {
  if (instances.length === 0) return { stored: [] };
  const sent = instances.map(sopInstanceUidOf);
  const what = `storing ${instances.length} instance${instances.length === 1 ? '' : 's'} (STOW-RS)`;
  const { body, contentType } = multipartRelated(instances);
  const response = await request(target, what, `${rootOf(target)}/studies`, {
    method: 'POST',
    headers: headersOf(target, { 'Content-Type': contentType, Accept: 'application/dicom+json' }),
    body: body as BodyInit,
  });
  if (!response.ok && response.status !== 202 && response.status !== 409) throw await failure(what, response);
  const parsed = await dicomJson(response, what);
  const result = (Array.isArray(parsed) ? parsed[0] : parsed) ?? undefined;
  const referenced = (result?.[TAG.ReferencedSOPSequence]?.Value ?? []) as DicomJson[];
  const failed = (result?.[TAG.FailedSOPSequence]?.Value ?? []) as DicomJson[];
  const confirmed = new Set(referenced.map((item) => text(item, TAG.ReferencedSOPInstanceUID)));
  const stored = sent.filter((uid) => confirmed.has(uid));
  const failures = failed.map((item) => {
    const reason = first(item, TAG.FailureReason);
    return `${text(item, TAG.ReferencedSOPInstanceUID) || '(unknown instance)'}${reason !== undefined ? ` (failure reason 0x${Number(reason).toString(16).toUpperCase()})` : ''}`;
  });
  const missing = sent.filter((uid) => !confirmed.has(uid));
  if (failures.length || missing.length || !response.ok || response.status === 202) {
    const details = failures.length ? `refused ${failures.join(', ')}` : `did not confirm ${missing.join(', ')}`;
    throw new DicomWebError(`${what} failed: HTTP ${response.status}; the server ${details}; ${stored.length} of ${sent.length} confirmed stored`, response.status, stored);
  }
  return { stored };
}

/**
 * WADO-RS: one instance as its Part 10 bytes, by default exactly as the server
 * holds it (`*`); given a transfer syntax UID, the server transcodes to it or
 * answers 406 Not Acceptable.
 */
export async function retrieveInstance(target: DicomWebTarget, studyUid: string, seriesUid: string, sopUid: string, transferSyntax = '*'): Promise<Uint8Array> {
  const what = `retrieving instance ${sopUid} (WADO-RS${transferSyntax === '*' ? '' : `, transfer syntax ${transferSyntax}`})`;
  const url = `${rootOf(target)}/studies/${encodeURIComponent(studyUid)}/series/${encodeURIComponent(seriesUid)}/instances/${encodeURIComponent(sopUid)}`;
  const response = await request(target, what, url, {
    headers: headersOf(target, { Accept: `multipart/related; type="application/dicom"; transfer-syntax=${transferSyntax}` }),
  });
  if (!response.ok) throw await failure(what, response);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const type = response.headers.get('Content-Type') ?? '';
  if (/^application\/dicom\b/i.test(type)) return bytes;
  let parts: Uint8Array[];
  try {
    parts = parseMultipart(bytes, type);
  } catch (error) {
    throw new DicomWebError(`${what} failed: ${error instanceof Error ? error.message : String(error)}`, response.status);
  }
  if (parts.length !== 1 || !parts[0]) throw new DicomWebError(`${what} failed: expected one DICOM part, the server sent ${parts.length}`, response.status);
  return parts[0];
}

async function qido(target: DicomWebTarget, what: string, path: string, query: Record<string, string>): Promise<DicomJson[]> {
  const search = new URLSearchParams(query).toString();
  const response = await request(target, what, `${rootOf(target)}${path}${search ? `?${search}` : ''}`, {
    headers: headersOf(target, { Accept: 'application/dicom+json' }),
  });
  // QIDO-RS answers 204 No Content when nothing matches.
  if (response.status === 204) return [];
  if (!response.ok) throw await failure(what, response);
  const parsed = await dicomJson(response, what);
  if (parsed === null) return [];
  if (!Array.isArray(parsed)) throw new DicomWebError(`${what}: the server's answer is not a DICOM JSON array`, response.status);
  return parsed;
}

/** QIDO-RS: the instances of a study with their series. */
export async function listStudyInstances(target: DicomWebTarget, studyUid: string): Promise<InstanceRef[]> {
  const items = await qido(target, `listing the instances of study ${studyUid} (QIDO-RS)`, `/studies/${encodeURIComponent(studyUid)}/instances`, {});
  return items.map((item) => ({ seriesUid: text(item, TAG.SeriesInstanceUID), sopUid: text(item, TAG.SOPInstanceUID) }));
}

/**
 * QIDO-RS: the series of a study matching attribute filters, e.g.
 * { SeriesInstanceUID: uid } or { SeriesDescription: '*denoised*' }. Used to
 * find a derived series saved before, so a second save can ask first.
 */
export async function findSeries(target: DicomWebTarget, studyUid: string, filters: Readonly<Record<string, string>> = {}): Promise<SeriesSummary[]> {
  const items = await qido(target, `searching the series of study ${studyUid} (QIDO-RS)`, `/studies/${encodeURIComponent(studyUid)}/series`, { ...filters });
  return items.map((item) => {
    const seriesNumber = first(item, TAG.SeriesNumber);
    const instances = first(item, TAG.NumberOfSeriesRelatedInstances);
    return {
      seriesUid: text(item, TAG.SeriesInstanceUID),
      description: text(item, TAG.SeriesDescription),
      modality: text(item, TAG.Modality),
      ...(seriesNumber !== undefined ? { seriesNumber: Number(seriesNumber) } : {}),
      ...(instances !== undefined ? { instances: Number(instances) } : {}),
    };
  });
}

/**
 * A UID that is the same every time for the same inputs (2.25 + 128 bits of
 * their SHA-256), so re-saving one image with one model finds its series.
 */
export async function deterministicUid(...parts: readonly string[]): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(parts.join('\u0000'))));
  let value = 0n;
  for (const byte of digest.subarray(0, 16)) value = (value << 8n) | BigInt(byte);
  return `2.25.${value.toString()}`;
}

export interface StudySummary {
  readonly studyUid: string;
  readonly description: string;
  readonly patientId: string;
  readonly patientName: string;
  readonly instances?: number;
}

/** QIDO-RS: studies matching attribute filters (none: all the server lists). */
export async function findStudies(target: DicomWebTarget, filters: Readonly<Record<string, string>> = {}): Promise<StudySummary[]> {
  const items = await qido(target, 'searching studies (QIDO-RS)', '/studies', { includefield: '00081030', ...filters });
  return items.map((item) => {
    const name = first(item, '00100010') as { Alphabetic?: string } | string | undefined;
    const instances = first(item, '00201208');
    return {
      studyUid: text(item, '0020000D'),
      description: text(item, '00081030'),
      patientId: text(item, '00100020'),
      patientName: typeof name === 'object' && name ? name.Alphabetic ?? '' : String(name ?? ''),
      ...(instances !== undefined ? { instances: Number(instances) } : {}),
    };
  });
}
