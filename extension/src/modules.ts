import { getWebWorkerManager } from '@cornerstonejs/core';
import { createBrowserDenoiseWorker } from '@mammo-denoise/core';
import { getCommandsModule } from './commandsModule';
import { CompareLayout } from './compare/compareLayout';
import type { DenoiseConfiguration } from './config';
import { registerDenoisedImageLoader, registerDenoisedMetadataProvider } from './denoise/denoisedImageLoader';
import { trackDerivedImages } from './denoise/trackDerivedImages';
import { registerDifferenceImageLoader, registerDifferenceMetadataProvider } from './compare/differenceImageLoader';
import { installVoiLutFunctionFix } from './workarounds/voiLutFunctionFix';
import { installMonochrome1ThumbnailFix } from './workarounds/monochrome1ThumbnailFix';
import { voiPresetActions } from './voiPresets/voiPresetCommands';
import { DenoiseController } from './denoise/denoiseController';
import { DenoiseService } from './denoise/denoiseService';
import { getHangingProtocolModule } from './getHangingProtocolModule';
import { getToolbarModule } from './getToolbarModule';
import { ModelPicker } from './model/modelPicker';
import { StrengthControl } from './model/strengthControl';
import type { DeferredNotices } from './deferredNotices';
import type { OhifServices } from './ohifTypes';
import { browserSaveContext } from './save/browserSaveContext';
import { saveEvaluator, withSaveCommand } from './save/saveToolbar';
import { endIdleDecoderWorkers } from './workarounds/decoderWorkersIdle';
import { installLoaderFileRelease } from './workarounds/loaderFileBytes';
import { installTextureUploadStrips } from './workarounds/textureUploadStrips';
import { ScreeningLayout } from './screening/screeningLayout';
import type { ScreeningServices } from './screening/screeningServices';
import { PriorExam, type PriorDataSource } from './screening/priorExam';
import { fillModalityBeforeDisplaySets } from './dataSources/mammographyStudies';

/**
 * Everything that touches Cornerstone, loaded only after the host's
 * Cornerstone is up (see index.ts). Returns the extension's module getters.
 */
export function setUpExtension(
  config: DenoiseConfiguration,
  services: OhifServices,
  notices: DeferredNotices,
  extensionManager?: unknown,
) {
  const service = new DenoiseService(config, createBrowserDenoiseWorker);
  const controller = new DenoiseController(service, services);
  const compare = new CompareLayout(services, controller, service);
  const picker = new ModelPicker(services, service);
  const strength = new StrengthControl(services, service, controller);
  // OHIF's services object holds every service; ScreeningServices names the few more this layout reads.
  const screeningServices = services as ScreeningServices;
  const priors = new PriorExam(
    screeningServices,
    () =>
      (
        extensionManager as { getActiveDataSource?(): PriorDataSource[] | undefined } | undefined
      )?.getActiveDataSource?.()?.[0] ?? null,
  );
  const screening = new ScreeningLayout(screeningServices, controller, service, priors);
  screening.install();
  installVoiLutFunctionFix();
  installMonochrome1ThumbnailFix();
  // For the page's life, not per mode: OHIF purges the image cache after a mode's exit, and a file released while
  // the mode was on must be read again then.
  installLoaderFileRelease();
  installTextureUploadStrips();
  registerDenoisedMetadataProvider();
  registerDenoisedImageLoader(controller.images, controller);
  registerDifferenceMetadataProvider();
  registerDifferenceImageLoader(controller.images, (imageId) => controller.refreshLabelsOf(imageId));
  trackDerivedImages(controller.images, () => controller.idsInUse());
  service.subscribe(() => services.toolbarService.refreshToolbarState({}));
  void service.init().then(() => {
    const state = service.getState();
    if (state.status === 'unavailable') {
      notices.show({
        title: 'Denoise is unavailable',
        message: `${state.reason}. The study stays viewable; only denoising is off.`,
        type: 'error',
        duration: 15_000,
      });
    }
  });
  const save = browserSaveContext({ config, service, controller, services }, extensionManager);
  let restoreDecoders: (() => void) | null = null;
  let restoreDisplaySets: (() => void) | null = null;
  return {
    service,
    // The image loader registers its decode workers when OHIF's Cornerstone extension starts: in place by mode entry.
    // Entry hooks run before the mode's route makes display sets, so a study's first series is already covered.
    onModeEnter: () => {
      restoreDecoders ??= endIdleDecoderWorkers(getWebWorkerManager());
      restoreDisplaySets ??= fillModalityBeforeDisplaySets(services.displaySetService);
    },
    onModeExit: () => {
      restoreDecoders?.();
      restoreDecoders = null;
      restoreDisplaySets?.();
      restoreDisplaySets = null;
    },
    getCommandsModule: () => {
      const commands = getCommandsModule(controller, compare, picker, strength, screening);
      const scanner = voiPresetActions(controller, services);
      return withSaveCommand(
        {
          ...commands,
          actions: { ...commands.actions, ...scanner },
          definitions: {
            ...commands.definitions,
            ...Object.fromEntries(Object.entries(scanner).map(([name, commandFn]) => [name, { commandFn }])),
          },
        },
        save,
      );
    },
    getToolbarModule: () => [
      ...getToolbarModule(controller, service, compare),
      saveEvaluator(save),
      strength.evaluator(),
      screening.priorEvaluator(),
    ],
    getHangingProtocolModule,
  };
}
