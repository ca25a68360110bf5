import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, relative } from 'node:path';
import type { NaturalizedDataset } from 'dcmjs';
import { modalityOf, part10Warnings, readPart10 } from '@mammo-denoise/core';

/** One readable DICOM image found in a folder, or why a file was skipped. */
export type ScannedFile =
  | { readonly path: string; readonly dataset: NaturalizedDataset; readonly warnings?: readonly string[] }
  | { readonly path: string; readonly skipped: string };

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim()
    ? v.trim()
    : Array.isArray(v) && typeof v[0] === 'string' && v[0].trim()
      ? v[0].trim()
      : undefined;

/** A stable "2.25." UID from text: the same file folder and header give the same UID on every start. */
function derivedUid(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex').slice(0, 30);
  return `2.25.${BigInt(`0x${hex}`).toString()}`;
}

/**
 * Header-stripped exports keep their UIDs only in the file meta (0002,0002/0003);
 * some also lose the study and series UIDs. The instance takes the meta's UIDs;
 * a missing study or series UID is derived from what identifies it (patient,
 * study date/time, accession; series number; the folder), so it is stable.
 */
function withUids(dataset: NaturalizedDataset, path: string): NaturalizedDataset {
  const meta = (dataset._meta ?? {}) as NaturalizedDataset;
  const sopInstance = str(dataset.SOPInstanceUID) ?? str(meta.MediaStorageSOPInstanceUID);
  const sopClass = str(dataset.SOPClassUID) ?? str(meta.MediaStorageSOPClassUID);
  const folder = dirname(path);
  const study =
    str(dataset.StudyInstanceUID) ??
    derivedUid(
      [
        'study',
        folder,
        str(dataset.PatientID),
        str(dataset.StudyDate),
        str(dataset.StudyTime),
        str(dataset.AccessionNumber),
      ].join('|'),
    );
  const series =
    str(dataset.SeriesInstanceUID) ??
    derivedUid(['series', study, folder, String(dataset.SeriesNumber ?? ''), str(dataset.Modality)].join('|'));
  return {
    ...dataset,
    ...(sopInstance ? { SOPInstanceUID: sopInstance } : {}),
    ...(sopClass ? { SOPClassUID: sopClass } : {}),
    StudyInstanceUID: study,
    SeriesInstanceUID: series,
  };
}

/**
 * Reads every file's header; unreadable files and non-images come back with
 * the reason. dcmjs's warnings are caught by readPart10 and come back with the
 * file (never printed raw).
 */
export function scanDicomFolder(dir: string): ScannedFile[] {
  return walk(dir).map((path): ScannedFile => {
    try {
      const read = readPart10(new Uint8Array(readFileSync(path)), { untilPixelData: true });
      const warnings = part10Warnings(read);
      const dataset = withUids(read, path);
      if (!dataset.SOPInstanceUID) return { path, skipped: 'no SOP Instance UID, in the dataset or its file meta' };
      if (dataset.Rows === undefined || dataset.Columns === undefined)
        return { path, skipped: 'not an image (no Rows/Columns)' };
      return { path, dataset, warnings };
    } catch (error) {
      return { path, skipped: `not readable as DICOM: ${(error as Error).message.split('\n')[0]}` };
    }
  });
}

/**
 * A person name as text: dcmjs naturalizes PN as [{ Alphabetic: 'A^B' }], and
 * OHIF's worklist renders the study's PatientName as a React child, so an
 * object there crashed the whole worklist (React error #31).
 */
export function personName(value: unknown): string {
  const v = Array.isArray(value) ? value[0] : value;
  if (typeof v === 'string') return v;
  const alphabetic = (v as { Alphabetic?: unknown } | null | undefined)?.Alphabetic;
  return typeof alphabetic === 'string' ? alphabetic : '';
}

/**
 * A series' modality for the study list: its Modality, or MG for a mammography
 * SOP class without one (public Hologic screening data), so the list says MG
 * and offers the Denoise mode; undefined when neither says.
 */
export function seriesModality(meta: NaturalizedDataset): string | undefined {
  return modalityOf(str(meta.Modality), str(meta.SOPClassUID));
}

/**
 * OHIF's static "dicomjson" study list: studies → series → instances with
 * their metadata (no pixel data) and a WADO-URI url the DICOM loader fetches.
 */
export function dicomJsonStudies(
  files: readonly ScannedFile[],
  root: string,
  urlPrefix: string,
): { studies: unknown[] } {
  const studies = new Map<
    string,
    { meta: NaturalizedDataset; series: Map<string, { meta: NaturalizedDataset; instances: unknown[] }> }
  >();
  for (const file of files) {
    if (!('dataset' in file)) continue;
    const metadata: NaturalizedDataset = { ...file.dataset };
    // dicomjson carries attributes only: no file meta, VR hints or pixels.
    for (const key of ['_meta', '_vrMap', 'PixelData']) delete metadata[key];
    const studyUid = String(metadata.StudyInstanceUID);
    const seriesUid = String(metadata.SeriesInstanceUID);
    const study = studies.get(studyUid) ?? { meta: metadata, series: new Map() };
    studies.set(studyUid, study);
    const series = study.series.get(seriesUid) ?? { meta: metadata, instances: [] };
    study.series.set(seriesUid, series);
    const url = `${urlPrefix}/${relative(root, file.path).split('\\').join('/')}`;
    series.instances.push({ metadata, url: `dicomweb:${url}` });
  }
  return {
    studies: [...studies.values()].map(({ meta, series }) => {
      const modalities = [
        ...new Set([...series.values()].map((s) => seriesModality(s.meta)).filter((m): m is string => m !== undefined)),
      ];
      return {
        StudyInstanceUID: meta.StudyInstanceUID,
        StudyDate: meta.StudyDate ?? '',
        StudyTime: meta.StudyTime ?? '',
        PatientName: personName(meta.PatientName),
        PatientID: meta.PatientID ?? '',
        AccessionNumber: meta.AccessionNumber ?? '',
        StudyDescription: meta.StudyDescription ?? '',
        // Never empty: the stock viewer cannot handle an empty modality list.
        Modalities: modalities.length > 0 ? modalities.join('\\') : 'OT',
        NumInstances: [...series.values()].reduce((n, s) => n + s.instances.length, 0),
        series: [...series.values()].map((s) => ({
          SeriesInstanceUID: s.meta.SeriesInstanceUID,
          SeriesDescription: s.meta.SeriesDescription ?? '',
          SeriesNumber: s.meta.SeriesNumber ?? 1,
          Modality: seriesModality(s.meta) ?? 'OT',
          instances: s.instances,
        })),
      };
    }),
  };
}

/** Where each study's own list is served: OHIF's dicomjson source opens every study of the list it is given. */
export const studyListPath = (studyInstanceUid: string): string =>
  `/studies/${encodeURIComponent(studyInstanceUid)}.json`;

/**
 * One list per study, so the link printed for a study opens that study alone:
 * OHIF 3.13.2's dicomjson data source answers getStudyInstanceUIDs with every
 * study of the list at `url=`, ignoring StudyInstanceUIDs (DicomJSONDataSource;
 * the extension's dicomJsonStudyLinks workaround narrows them to the link's).
 * The list also holds the patient's other studies, after the linked one: the
 * source's study search (a prior exam, the study panel's other studies) only
 * sees the studies of its list.
 */
export function perStudyLists(index: { studies: unknown[] }): Map<string, string> {
  const lists = new Map<string, string>();
  const studies = index.studies as Array<{ StudyInstanceUID: unknown; PatientID?: unknown }>;
  for (const study of studies) {
    const patient = String(study.PatientID ?? '');
    const others = patient ? studies.filter((s) => s !== study && String(s.PatientID ?? '') === patient) : [];
    lists.set(studyListPath(String(study.StudyInstanceUID)), JSON.stringify({ studies: [study, ...others] }));
  }
  return lists;
}
