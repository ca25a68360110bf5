import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { NaturalizedDataset } from 'dcmjs';
import { readPart10 } from '../../extension/src/dicom/part10';

/** One readable DICOM image found in a folder, or why a file was skipped. */
export type ScannedFile = { readonly path: string; readonly dataset: NaturalizedDataset } | { readonly path: string; readonly skipped: string };

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** Reads every file's header; unreadable files and non-images come back with the reason. */
export function scanDicomFolder(dir: string): ScannedFile[] {
  return walk(dir).map((path): ScannedFile => {
    try {
      const dataset = readPart10(new Uint8Array(readFileSync(path)), { untilPixelData: true });
      if (!dataset.StudyInstanceUID || !dataset.SeriesInstanceUID || !dataset.SOPInstanceUID) return { path, skipped: 'no Study, Series or SOP Instance UID' };
      if (dataset.Rows === undefined || dataset.Columns === undefined) return { path, skipped: 'not an image (no Rows/Columns)' };
      return { path, dataset };
    } catch (error) {
      return { path, skipped: `not readable as DICOM: ${(error as Error).message.split('\n')[0]}` };
    }
  });
}

const first = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);

/**
 * OHIF's static "dicomjson" study list: studies → series → instances with
 * their metadata (no pixel data) and a WADO-URI url the DICOM loader fetches.
 */
export function dicomJsonStudies(files: readonly ScannedFile[], root: string, urlPrefix: string): { studies: unknown[] } {
  const studies = new Map<string, { meta: NaturalizedDataset; series: Map<string, { meta: NaturalizedDataset; instances: unknown[] }> }>();
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
      const modalities = [...new Set([...series.values()].map((s) => first(s.meta.Modality)).filter((m): m is string => typeof m === 'string'))];
      return {
        StudyInstanceUID: meta.StudyInstanceUID, StudyDate: meta.StudyDate ?? '', StudyTime: meta.StudyTime ?? '', PatientName: meta.PatientName ?? '',
        PatientID: meta.PatientID ?? '', AccessionNumber: meta.AccessionNumber ?? '', StudyDescription: meta.StudyDescription ?? '',
        // Never empty: the stock viewer cannot handle an empty modality list.
        Modalities: modalities.length > 0 ? modalities.join('\\') : 'OT',
        NumInstances: [...series.values()].reduce((n, s) => n + s.instances.length, 0),
        series: [...series.values()].map((s) => ({
          SeriesInstanceUID: s.meta.SeriesInstanceUID, SeriesDescription: s.meta.SeriesDescription ?? '', SeriesNumber: s.meta.SeriesNumber ?? 1,
          Modality: first(s.meta.Modality) ?? 'OT', instances: s.instances,
        })),
      };
    }),
  };
}
