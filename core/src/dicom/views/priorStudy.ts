/**
 * Which earlier study of the same patient a screening exam is read against
 * (issue 16's prior stage). Framework-free: the viewer hands in what its data
 * source's study search returned.
 */
export interface ExamSummary {
  readonly studyInstanceUid: string;
  readonly patientId?: string;
  /** DICOM DA, YYYYMMDD. */
  readonly date?: string;
  /** DICOM TM, HHMMSS(.ffffff); compared only between studies of the same day. */
  readonly time?: string;
  /** ModalitiesInStudy; empty when the source did not say. */
  readonly modalities: readonly string[];
}

const DA = /^\d{8}$/;

/** Date then time as one sortable key, or null without a valid date. */
function when(study: ExamSummary): string | null {
  const date = (study.date ?? '').replace(/[-.]/g, '');
  if (!DA.test(date)) return null;
  const time = (study.time ?? '').replace(/:/g, '').padEnd(6, '0').slice(0, 6);
  return `${date}${/^\d{6}$/.test(time) ? time : '000000'}`;
}

/**
 * The most recent study of the same patient strictly before `current` that
 * may hold mammograms (MG, or modalities not given). Null when the current
 * study has no patient id or date (no way to tell a prior from a later exam),
 * or when there is none.
 */
export function choosePriorStudy(current: ExamSummary, candidates: readonly ExamSummary[]): ExamSummary | null {
  const now = when(current);
  const patient = current.patientId?.trim();
  if (!now || !patient) return null;
  let best: { study: ExamSummary; at: string } | null = null;
  for (const study of candidates) {
    const at = when(study);
    if (study.studyInstanceUid === current.studyInstanceUid || study.patientId?.trim() !== patient || !at) continue;
    if (study.modalities.length > 0 && !study.modalities.includes('MG')) continue;
    if (at >= now) continue;
    if (!best || at > best.at) best = { study, at };
  }
  return best?.study ?? null;
}

/** "2025-01-01" from DICOM DA "20250101"; the input as given when it is not a DA. */
export const formatStudyDate = (date: string | undefined): string =>
  date && DA.test(date) ? `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}` : (date ?? '');
