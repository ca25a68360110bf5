import { choosePriorStudy, type ExamSummary } from '@mammo-denoise/core';
import type { ScreeningServices } from './screeningServices';
import { firstInstance } from './viewRegistry';

/** What OHIF's data sources (DICOMweb, dicomjson) answer a study search with, as far as the prior needs it. */
interface StudySearchResult {
  studyInstanceUid?: string;
  mrn?: string;
  date?: string;
  time?: string;
  /** "MG", or several joined by "\\" or ","; absent where the source does not say. */
  modalities?: string | string[];
}

/** The part of OHIF's data source the prior search uses (written from @ohif/extension-default's sources). */
export interface PriorDataSource {
  query: { studies: { search(params: { patientId: string }): Promise<StudySearchResult[] | undefined> } };
  retrieve: {
    series: { metadata(options: { StudyInstanceUID: string; filters: Record<string, unknown> }): Promise<unknown> };
  };
}

export interface PriorExamInfo {
  readonly studyInstanceUid: string;
  /** DICOM DA of the prior, for its viewports' tags. */
  readonly date: string;
}

const modalitiesOf = (m: StudySearchResult['modalities']): string[] =>
  (Array.isArray(m) ? m : (m ?? '').split(/[\\,]/)).map((x) => x.trim()).filter(Boolean);

/**
 * Finds the screening exam's prior (the patient's latest earlier MG study in
 * the data source) and loads its metadata, once per current study, so OHIF
 * makes its display sets and the protocol's prior stages can hang it. A
 * source that cannot search, or a search that fails, leaves the layout
 * without a prior stage; it never fails the current study.
 */
export class PriorExam {
  private readonly looked = new Map<string, Promise<PriorExamInfo | null>>();

  constructor(
    private readonly services: ScreeningServices,
    private readonly dataSource: () => PriorDataSource | null,
  ) {}

  /** Looks the prior up (once per study) and resolves when its display sets are there. */
  find(currentStudyUid: string): Promise<PriorExamInfo | null> {
    let found = this.looked.get(currentStudyUid);
    if (!found) {
      found = this.load(currentStudyUid).catch((error: unknown) => {
        console.warn(`Denoise screening: no prior exam (${error instanceof Error ? error.message : String(error)})`);
        return null;
      });
      this.looked.set(currentStudyUid, found);
    }
    return found;
  }

  private async load(currentStudyUid: string): Promise<PriorExamInfo | null> {
    const source = this.dataSource();
    if (!source?.query?.studies?.search) return null;
    const instance = this.displaySetsOf(currentStudyUid).map(firstInstance).find(Boolean) as
      { PatientID?: string; StudyDate?: string; StudyTime?: string } | undefined;
    if (!instance?.PatientID) return null;
    const current: ExamSummary = {
      studyInstanceUid: currentStudyUid,
      patientId: instance.PatientID,
      date: instance.StudyDate,
      time: instance.StudyTime,
      modalities: ['MG'],
    };
    const results = (await source.query.studies.search({ patientId: instance.PatientID })) ?? [];
    const prior = choosePriorStudy(
      current,
      results.flatMap((r) =>
        r.studyInstanceUid
          ? [
              {
                studyInstanceUid: r.studyInstanceUid,
                patientId: r.mrn,
                date: r.date,
                time: r.time,
                modalities: modalitiesOf(r.modalities),
              },
            ]
          : [],
      ),
    );
    if (!prior) return null;
    if (this.displaySetsOf(prior.studyInstanceUid).length === 0)
      // filters: OHIF 3.13's dicomjson source reads it unguarded (filters[key]).
      await source.retrieve.series.metadata({ StudyInstanceUID: prior.studyInstanceUid, filters: {} });
    // OHIF makes the display sets as the instances arrive: wait for them (bounded).
    for (let waited = 0; this.displaySetsOf(prior.studyInstanceUid).length === 0; waited += 100) {
      if (waited > 30_000) throw new Error(`the prior study ${prior.studyInstanceUid} gave no images`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { studyInstanceUid: prior.studyInstanceUid, date: prior.date ?? '' };
  }

  private displaySetsOf(studyUid: string) {
    return this.services.displaySetService.getActiveDisplaySets().filter((ds) => ds.StudyInstanceUID === studyUid);
  }
}
