import { cache, metaData } from '@cornerstonejs/core';
import dcmjs from 'dcmjs';
import {
  deriveDenoised,
  type ModelIdentity,
  DicomWebError,
  findSeries,
  listStudyInstances,
  retrieveInstance,
  storeInstances,
  type DicomWebTarget,
  readPart10,
  writePart10,
  derivedUids,
} from '@mammo-denoise/core';
import type { DenoiseConfiguration } from '../config';
import { denoisedStoredPixels } from '../denoise/denoisedImageLoader';
import {
  denoisedImageId,
  parseDenoisedImageId,
  parseDifferenceImageId,
  parseRunId,
  sourceImageIdOf,
} from '../denoise/denoisedImageIds';
import { runIdForImage } from '../model/modelChoice';
import type { DenoiseController } from '../denoise/denoiseController';
import type { DenoiseService } from '../denoise/denoiseService';
import type { OhifServices } from '../ohifTypes';
import {
  confirmResaveMessage,
  downloadName,
  part10UrlOf,
  saveDestination,
  type DataSourceConfig,
} from './saveDenoisedPlan';

/** The slice of an OHIF 3.13 data source Save uses. */
export interface OhifDataSource {
  getConfig?(): (DataSourceConfig & Record<string, unknown>) | undefined;
  deleteStudyMetadataPromise?(studyInstanceUid: string): void;
  retrieve: { series: { metadata(options: { StudyInstanceUID: string }): Promise<unknown> } };
}

export interface SaveContext {
  readonly config: DenoiseConfiguration;
  readonly service: DenoiseService;
  readonly controller: DenoiseController;
  readonly services: OhifServices;
  readonly activeDataSource: () => OhifDataSource | null;
  /** The signed-in user's Authorization header, if the viewer has one (OHIF's userAuthenticationService). */
  readonly userAuthorization: () => string | null;
  /** Asks the user in the viewport; resolves true to go ahead. */
  readonly confirm: (message: string, viewportId: string) => Promise<boolean>;
  readonly download: (bytes: Uint8Array, filename: string) => void;
}

export type SaveOutcome =
  | { readonly status: 'stored'; readonly seriesInstanceUid: string; readonly sopInstanceUid: string }
  | { readonly status: 'downloaded'; readonly filename: string }
  | { readonly status: 'cancelled' | 'failed'; readonly reason: string };

interface SourceInstance {
  StudyInstanceUID: string;
  SeriesInstanceUID: string;
  SOPInstanceUID: string;
  SeriesDescription?: string;
}

/**
 * "Save denoised as new series": the denoised image of the active viewport
 * becomes a derived DICOM image in the same study, stored with STOW-RS to the
 * active DICOMweb data source (which then re-reads the study, so the series
 * appears without a reload), or downloaded where that source is not writable.
 * Nothing is reported saved that the server did not confirm.
 */
export async function saveDenoised(context: SaveContext): Promise<SaveOutcome> {
  const { services, service, controller, config } = context;
  const fail = (title: string, reason: string): SaveOutcome => {
    services.uiNotificationService.show({ title, message: reason, type: 'error', duration: 20_000 });
    return { status: 'failed', reason };
  };

  const viewport = controller.viewport();
  const shownId = viewport?.getCurrentImageId();
  if (!viewport || !shownId)
    return fail(
      'Nothing to save',
      'Select a viewport showing a mammogram, press Denoise, then Save. Nothing was saved.',
    );
  // The denoised image this viewport shows (or whose difference it shows) or, in Compare's original pane,
  // the selected model's cached one.
  const parsed = parseDenoisedImageId(shownId) ?? parseDifferenceImageId(shownId);
  // A run id: the model, and its strength where it takes a noise map.
  const modelId = parsed?.modelId ?? runIdForImage(service, shownId);
  const denoisedId = modelId ? denoisedImageId(modelId, sourceImageIdOf(shownId)) : null;
  const denoised = denoisedId ? cache.getImage(denoisedId) : undefined;
  const catalogModel = modelId ? service.model(modelId) : null;
  if (!modelId || !denoisedId || !denoised || !catalogModel)
    return fail(
      'Nothing to save',
      'This image is not denoised yet: press Denoise first, then Save. Nothing was saved.',
    );
  const { strength } = parseRunId(modelId);
  const model: ModelIdentity = {
    id: catalogModel.id,
    version: catalogModel.version,
    sha256: catalogModel.sha256,
    ...(strength !== undefined ? { strength } : {}),
  };
  const sourceImageId = sourceImageIdOf(denoisedId);

  const instance = metaData.get('instance', sourceImageId) as SourceInstance | undefined;
  if (!instance?.SOPInstanceUID || !instance.StudyInstanceUID || !instance.SeriesInstanceUID) {
    return fail('Save failed', 'The viewer has no UIDs for this image, so it cannot be saved. Nothing was saved.');
  }
  // The engine's own result, as the worker returned it (never the viewer's array converted back).
  const pixels = denoisedStoredPixels(denoised);
  if (!pixels)
    return fail(
      'Save failed',
      'The denoised pixels of this image are no longer held; press Denoise again, then Save. Nothing was saved.',
    );

  const dataSource = context.activeDataSource();
  const destination = saveDestination(dataSource?.getConfig?.());
  const authorization = config.dicomWebAuthorization ?? context.userAuthorization();
  const target: DicomWebTarget | null =
    destination.kind === 'stow' ? { root: destination.root, ...(authorization ? { authorization } : {}) } : null;

  try {
    // The source's own dataset: everything the derived image copies (patient, study, geometry, view).
    const sourceBytes = target
      ? await retrieveInstance(target, instance.StudyInstanceUID, instance.SeriesInstanceUID, instance.SOPInstanceUID)
      : await fetchPart10(sourceImageId);
    const source = readPart10(sourceBytes);

    let uids = await derivedUids(
      { seriesInstanceUid: instance.SeriesInstanceUID, sopInstanceUid: instance.SOPInstanceUID },
      model,
      config.saveAs,
    );
    if (target) {
      const [existing] = await findSeries(target, instance.StudyInstanceUID, {
        SeriesInstanceUID: uids.seriesInstanceUid,
      });
      const saved =
        existing &&
        (await listStudyInstances(target, instance.StudyInstanceUID)).some((i) => i.sopUid === uids.sopInstanceUid);
      if (existing && saved) {
        if (!(await context.confirm(confirmResaveMessage(model, existing), viewport.id))) {
          services.uiNotificationService.show({
            title: 'Not saved',
            message: 'The existing denoised image was kept; nothing new was saved.',
            type: 'info',
          });
          return { status: 'cancelled', reason: 'already saved; the user kept the existing image' };
        }
        const { DicomMetaDictionary } = dcmjs.data;
        uids = { seriesInstanceUid: DicomMetaDictionary.uid(), sopInstanceUid: DicomMetaDictionary.uid() };
      }
    }

    const derived = deriveDenoised(source, pixels, { model, iod: config.saveAs, ...uids });
    const bytes = writePart10(derived);

    if (!target || !dataSource) {
      const filename = downloadName(String(instance.SeriesDescription ?? ''), instance.SOPInstanceUID, model.id);
      context.download(bytes, filename);
      services.uiNotificationService.show({
        title: 'Downloaded denoised DICOM',
        message:
          `${filename}: ${destination.kind === 'download' ? destination.reason : ''}, ` +
          'so it was downloaded instead of stored.',
        type: 'success',
      });
      return { status: 'downloaded', filename };
    }

    await storeInstances(target, [bytes]);
    // OHIF's own SR/SEG save does the same: forget the cached study, re-read it, and the new series appears.
    // 3.13.2 caches under "<source name>:<study>" but deletes "<study>", so both keys are dropped.
    dataSource.deleteStudyMetadataPromise?.(instance.StudyInstanceUID);
    const sourceName = dataSource.getConfig?.()?.name;
    if (typeof sourceName === 'string')
      dataSource.deleteStudyMetadataPromise?.(`${sourceName}:${instance.StudyInstanceUID}`);
    await dataSource.retrieve.series.metadata({ StudyInstanceUID: instance.StudyInstanceUID });
    services.uiNotificationService.show({
      title: 'Saved denoised series',
      message:
        `"${String(derived.SeriesDescription)}" (series ${String(derived.SeriesNumber)}) ` +
        'was stored in the study by the PACS; the original is unchanged.',
      type: 'success',
    });
    return { status: 'stored', ...uids };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const partial =
      error instanceof DicomWebError && error.stored.length
        ? ` The server confirmed ${error.stored.length} instance(s) before failing.`
        : ' Nothing was saved.';
    return fail('Save failed', `${message}.${partial} The original image is unchanged.`);
  }
}

async function fetchPart10(sourceImageId: string): Promise<Uint8Array> {
  const url = part10UrlOf(sourceImageId, window.location.href);
  if (!url) throw new Error(`the source file of ${sourceImageId} cannot be fetched (not a file-based image id)`);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`fetching the source file ${url} failed: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}
