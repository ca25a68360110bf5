import { DicomWebError, dicomJson, exchange, first, TAG, text } from './httpClient';
import type { DicomJson, DicomWebTarget } from './httpClient';

/** QIDO-RS: the studies, series and instances a DICOMweb server lists. */

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

async function qido(
  target: DicomWebTarget,
  what: string,
  path: string,
  query: Record<string, string>,
): Promise<DicomJson[]> {
  const search = new URLSearchParams(query).toString();
  const response = await exchange(target, what, `${path}${search ? `?${search}` : ''}`, {
    headers: { Accept: 'application/dicom+json' },
  });
  // QIDO-RS answers 204 No Content when nothing matches.
  if (response.status === 204) return [];
  const parsed = await dicomJson(response, what);
  if (parsed === null) return [];
  if (!Array.isArray(parsed))
    throw new DicomWebError(`${what}: the server's answer is not a DICOM JSON array`, response.status);
  return parsed;
}

/** QIDO-RS: the instances of a study with their series. */
export async function listStudyInstances(target: DicomWebTarget, studyUid: string): Promise<InstanceRef[]> {
  const items = await qido(
    target,
    `listing the instances of study ${studyUid} (QIDO-RS)`,
    `/studies/${encodeURIComponent(studyUid)}/instances`,
    {},
  );
  return items.map((item) => ({
    seriesUid: text(item, TAG.SeriesInstanceUID),
    sopUid: text(item, TAG.SOPInstanceUID),
  }));
}

/** QIDO-RS: the SOP Class UID of one instance of the study, or undefined when it has none or the server omits it. */
export async function studySopClass(target: DicomWebTarget, studyUid: string): Promise<string | undefined> {
  const [item] = await qido(
    target,
    `reading the SOP class of study ${studyUid} (QIDO-RS)`,
    `/studies/${encodeURIComponent(studyUid)}/instances`,
    { limit: '1', includefield: TAG.SOPClassUID },
  );
  return text(item, TAG.SOPClassUID) || undefined;
}

/**
 * QIDO-RS: the series of a study matching attribute filters, e.g.
 * { SeriesInstanceUID: uid } or { SeriesDescription: '*denoised*' }. Used to
 * find a derived series saved before, so a second save can ask first.
 */
export async function findSeries(
  target: DicomWebTarget,
  studyUid: string,
  filters: Readonly<Record<string, string>> = {},
): Promise<SeriesSummary[]> {
  const items = await qido(
    target,
    `searching the series of study ${studyUid} (QIDO-RS)`,
    `/studies/${encodeURIComponent(studyUid)}/series`,
    { ...filters },
  );
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

export interface StudySummary {
  readonly studyUid: string;
  readonly description: string;
  readonly patientId: string;
  readonly patientName: string;
  readonly instances?: number;
}

/** QIDO-RS: studies matching attribute filters (none: all the server lists). */
export async function findStudies(
  target: DicomWebTarget,
  filters: Readonly<Record<string, string>> = {},
): Promise<StudySummary[]> {
  const items = await qido(target, 'searching studies (QIDO-RS)', '/studies', { includefield: '00081030', ...filters });
  return items.map((item) => {
    const name = first(item, '00100010') as { Alphabetic?: string } | string | undefined;
    const instances = first(item, '00201208');
    return {
      studyUid: text(item, '0020000D'),
      description: text(item, '00081030'),
      patientId: text(item, '00100020'),
      patientName: typeof name === 'object' && name ? (name.Alphabetic ?? '') : String(name ?? ''),
      ...(instances !== undefined ? { instances: Number(instances) } : {}),
    };
  });
}
