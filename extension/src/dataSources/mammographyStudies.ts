import { modalityOf, studySopClass, type DicomWebTarget } from '@mammo-denoise/core';
import { onEveryDataSource } from './everyDataSource';

/**
 * Mammograms whose files leave out Modality (0008,0060), as some public
 * Hologic screening data does, although every mammography IOD requires MG:
 * OHIF lists such a study with no modality, and its SOP class handler stacks
 * the images of one series into one display set (it gives one display set
 * per image only to CR, DX and MG), so a four-view exam stored as one series
 * would open as a four-image stack. Here the SOP class speaks for the missing
 * Modality (core's modalityOf), in the study list and before display sets are
 * made. A file that names its Modality is never changed.
 */

/** An instance of OHIF's metadata store, as far as its modality goes. */
export interface InstanceModality {
  Modality?: unknown;
  SOPClassUID?: unknown;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;

/** Gives each mammography image without Modality the MG its IOD requires; returns how many it changed. */
export function fillMammographyModality(instances: readonly InstanceModality[]): number {
  let filled = 0;
  for (const instance of instances) {
    if (text(instance.Modality)?.trim()) continue;
    const modality = modalityOf(undefined, text(instance.SOPClassUID));
    if (!modality) continue;
    instance.Modality = modality;
    filled += 1;
  }
  return filled;
}

interface DisplaySetMaker {
  makeDisplaySets: (input: unknown, options?: unknown) => unknown;
}

/**
 * Fills missing mammography Modality in the instances OHIF's display set
 * service is given (one series' instances, or a batch of them) before its SOP
 * class handlers see them. Returns the undo (the mode installs it on entry and
 * undoes it on exit, so other modes see OHIF as it is).
 */
export function fillModalityBeforeDisplaySets(service: DisplaySetMaker): () => void {
  const stock = service.makeDisplaySets;
  service.makeDisplaySets = function (input: unknown, options?: unknown) {
    if (Array.isArray(input))
      for (const item of input as unknown[])
        fillMammographyModality(Array.isArray(item) ? (item as InstanceModality[]) : [item as InstanceModality]);
    return stock.call(this, input, options);
  };
  return () => {
    service.makeDisplaySets = stock;
  };
}

/** How the study list reaches a QIDO-RS server: the page's fetch and the user's Authorization header. */
export interface QidoAccess {
  readonly fetch: typeof fetch;
  /** The user's Authorization header, as OHIF's userAuthenticationService gives it. */
  readonly authorizationHeader: () => Record<string, string> | undefined;
  readonly warn: (message: string) => void;
}

/** A study of OHIF's DICOMweb study list (its processResults), as far as its modalities go. */
interface ListedStudy {
  studyInstanceUid?: string;
  modalities?: string;
}

interface StudySearchSource {
  query?: { studies?: { search?: (params: Record<string, unknown>) => Promise<unknown[]>; [LISTED]?: true } };
  getConfig?: () => { qidoRoot?: string } | undefined;
}

const LISTED = Symbol.for('mammo-denoise.mammographyStudies');

/**
 * Wraps one DICOMweb source's study search (a no-op for a source without a
 * QIDO-RS root, or one already wrapped): a study listed with no modality is
 * listed as MG when one of its instances has a mammography SOP class, so the
 * worklist says MG and offers the modes for MG. A failed lookup leaves the
 * study as OHIF listed it and says so once per search.
 */
export function listMammographyStudies(source: StudySearchSource, access: QidoAccess): boolean {
  const studies = source.query?.studies;
  const search = studies?.search;
  if (!studies || typeof search !== 'function' || studies[LISTED] || typeof source.getConfig !== 'function')
    return false;
  studies.search = async (params: Record<string, unknown>) => {
    const results = await search.call(studies, params);
    const qidoRoot = source.getConfig?.()?.qidoRoot;
    if (!qidoRoot) return results;
    const authorization = access.authorizationHeader()?.Authorization;
    const target: DicomWebTarget = { root: qidoRoot, fetch: access.fetch, ...(authorization ? { authorization } : {}) };
    const failures: string[] = [];
    await Promise.all(
      (results as ListedStudy[]).map(async (study) => {
        const uid = study.studyInstanceUid;
        if (!uid || study.modalities?.trim()) return;
        try {
          const modality = modalityOf(undefined, await studySopClass(target, uid));
          if (modality) study.modalities = modality;
        } catch (error) {
          failures.push((error as Error).message);
        }
      }),
    );
    if (failures.length > 0)
      access.warn(
        `${failures.length} studies without Modality are listed without one (${failures[0]}); they still open`,
      );
    return results;
  };
  studies[LISTED] = true;
  return true;
}

/** Lists mammography studies without Modality as MG on every DICOMweb source, now and later. */
export function installMammographyStudyListing(extensionManager: unknown, access: QidoAccess): void {
  onEveryDataSource(extensionManager, (source) => listMammographyStudies(source as StudySearchSource, access));
}
