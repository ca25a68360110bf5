/**
 * WORKAROUND. Upstream issue: no upstream issue found (searched 2026-12-03) for a ModalitiesInStudy
 *   without Value (@ohif/core DICOMWeb/getModalities.js, OHIF 3.13.2). Related, not the same: OHIF/Viewers#2774
 *   and #2839 report getModalities throwing on a Modality without Value, which upstream fixed (3.13.2
 *   defaults `modalities.Value` to []); the read of `ModalitiesInStudy.Value` was left as it was.
 * Delete when: getModalities treats a ModalitiesInStudy without Value as an empty list (re-check on
 *   each OHIF upgrade; tests/extension/workarounds/modalityGuard.test.ts holds the bundled code that
 *   throws).
 *
 * Upstream bug workaround (OHIF 3.13.2, @ohif/core `DICOMWeb/getModalities.js`,
 * used by the DICOMweb data source's `processResults`): when a study's
 * instances lack Modality (0008,0060), as in some public Hologic screening
 * data, QIDO-RS returns ModalitiesInStudy (0008,0061) with a VR but no Value.
 * getModalities then reads `ModalitiesInStudy.Value.length` of undefined,
 * `query.studies.search` throws, and the viewer's study check navigates to
 * "/notfoundstudy". The fix belongs in getModalities (a missing Value is an
 * empty list). Until it lands, each DICOMweb data source's study search is
 * wrapped: when the stock search throws, the same QIDO-RS query is repeated
 * with missing values filled in as empty lists, and the data source's own
 * processResults turns it into the usual study list. A search that works is
 * left untouched. Remove this once getModalities tolerates a missing Value.
 */
import { onEveryDataSource } from '../dataSources/everyDataSource';
import type { QidoAccess } from '../dataSources/mammographyStudies';

const MODALITY = '00080060';
const MODALITIES_IN_STUDY = '00080061';
const GUARDED = Symbol.for('mammo-denoise.modalityGuard');

type QidoAttribute = { vr?: string; Value?: unknown };
export type QidoStudy = Record<string, QidoAttribute | undefined>;

/** QIDO-RS study results with every Modality / ModalitiesInStudy given a Value list. */
export function normaliseQidoModalities(studies: readonly QidoStudy[]): QidoStudy[] {
  return studies.map((study) => {
    const out: QidoStudy = { ...study };
    for (const tag of [MODALITY, MODALITIES_IN_STUDY]) {
      const attribute = study[tag];
      if (attribute && !Array.isArray(attribute.Value)) out[tag] = { vr: attribute.vr ?? 'CS', Value: [] };
    }
    return out;
  });
}

interface StudyQuery {
  search: (params: Record<string, unknown>) => Promise<unknown[]>;
  mapParams?: (
    params: Record<string, unknown>,
    options: Record<string, unknown>,
  ) => Record<string, unknown> | undefined;
  processResults?: (qidoStudies: QidoStudy[]) => unknown[];
  [GUARDED]?: true;
}

export interface GuardableDataSource {
  query?: { studies?: StudyQuery };
  getConfig?: () => { qidoRoot?: string; supportsFuzzyMatching?: boolean; supportsWildcard?: boolean } | undefined;
}

export type GuardOptions = QidoAccess;

/**
 * A QIDO-RS query string with commas left as they are: `includefield=00081030,00080060` lists the study
 * description, while Orthanc 1.10 reads an encoded `%2C` as part of one tag and leaves the description out.
 */
export function qidoQuery(params: Record<string, unknown>): string {
  return Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v)).replace(/%2C/gi, ',')}`)
    .join('&');
}

/**
 * Wraps one data source's study search (a no-op for one already
 * guarded); only a source with a QIDO-RS root is ever retried.
 */
export function guardDataSource(dataSource: GuardableDataSource, options: GuardOptions): boolean {
  const studies = dataSource.query?.studies;
  if (
    !studies ||
    typeof studies.search !== 'function' ||
    studies[GUARDED] ||
    !studies.mapParams ||
    !studies.processResults
  )
    return false;
  const stockSearch = studies.search;
  const { mapParams, processResults } = studies;
  studies.search = async (params: Record<string, unknown>) => {
    try {
      return await stockSearch(params);
    } catch (stockError) {
      // The DICOMweb source has its configuration only once OHIF has initialised it, so it is read here, per call.
      const config = dataSource.getConfig?.();
      if (!config?.qidoRoot) throw stockError;
      const qidoRoot = config.qidoRoot.replace(/\/+$/, '');
      const mapped =
        mapParams(params, {
          supportsFuzzyMatching: config.supportsFuzzyMatching,
          supportsWildcard: config.supportsWildcard,
        }) ?? {};
      const query = qidoQuery(mapped);
      let response: Response;
      try {
        response = await options.fetch(`${qidoRoot}/studies?${query}`, {
          headers: { Accept: 'application/dicom+json', ...(options.authorizationHeader() ?? {}) },
        });
      } catch {
        throw stockError;
      }
      if (!response.ok) throw stockError;
      const text = await response.text();
      const results = text.trim() ? (JSON.parse(text) as QidoStudy[]) : [];
      options.warn(
        `study search failed in the viewer (${(stockError as Error).message}); ` +
          'repeated with missing Modality/ModalitiesInStudy values read as empty (an OHIF getModalities bug)',
      );
      return processResults(normaliseQidoModalities(results));
    }
  };
  studies[GUARDED] = true;
  return true;
}

/**
 * Guards every DICOMweb data source the extension manager holds now and any it
 * creates later (OHIF recreates one when its configuration changes).
 */
export function installModalityGuard(extensionManager: unknown, options: GuardOptions): void {
  onEveryDataSource(extensionManager, (source) => guardDataSource(source as GuardableDataSource, options));
}
