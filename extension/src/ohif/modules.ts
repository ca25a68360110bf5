import type { WorkerLike } from '../engine/client';
import { getCommandsModule } from './commandsModule';
import { CompareLayout } from './compareLayout';
import type { DenoiseConfiguration } from './config';
import { registerDenoisedImageLoader, registerDenoisedMetadataProvider } from './cornerstone/denoisedImageLoader';
import { trackDerivedImages } from './denoise/trackDerivedImages';
import { registerDifferenceImageLoader, registerDifferenceMetadataProvider } from './cornerstone/differenceImageLoader';
import { installVoiLutFunctionFix } from './cornerstone/voiLutFunctionFix';
import { installMonochrome1ThumbnailFix } from './cornerstone/monochrome1ThumbnailFix';
import { voiPresetActions } from './voiPresetCommands';
import { DenoiseController } from './denoiseController';
import { DenoiseService } from './denoiseService';
import { getHangingProtocolModule } from './getHangingProtocolModule';
import { getToolbarModule } from './getToolbarModule';
import { ModelPicker } from './modelPicker';
import { StrengthControl } from './strengthControl';
import type { DeferredNotices } from './deferredNotices';
import type { OhifServices } from './ohifTypes';
import { browserSaveContext, saveEvaluator, withSaveCommand } from './saveDenoised';
import { ScreeningLayout } from './screening/screeningLayout';
import type { ScreeningServices } from './screening/screeningServices';

/**
 * Everything that touches Cornerstone, loaded only after the host's
 * Cornerstone is up (see index.ts). Returns the extension's module getters.
 */
export function setUpExtension(config: DenoiseConfiguration, services: OhifServices, notices: DeferredNotices, extensionManager?: unknown) {
  const createWorker = (): WorkerLike =>
    // A real Worker satisfies WorkerLike at run time; its DOM typing differs only in handler signatures.
    new Worker(new URL('../engine/denoise.worker.ts', import.meta.url), { type: 'module', name: 'mammo-denoise' }) as unknown as WorkerLike;
  const service = new DenoiseService(config, createWorker);
  const controller = new DenoiseController(service, services);
  const compare = new CompareLayout(services, controller, service);
  const picker = new ModelPicker(services, service);
  const strength = new StrengthControl(services, service, controller);
  // OHIF's services object holds every service; ScreeningServices names the few more this layout reads.
  const screening = new ScreeningLayout(services as ScreeningServices, controller, service);
  screening.install();
  installVoiLutFunctionFix();
  installMonochrome1ThumbnailFix();
  registerDenoisedMetadataProvider();
  registerDenoisedImageLoader(controller.images, controller);
  registerDifferenceMetadataProvider();
  registerDifferenceImageLoader(controller.images, (imageId) => controller.refreshLabelsOf(imageId));
  trackDerivedImages(controller.images, () => controller.idsInUse());
  service.subscribe(() => services.toolbarService.refreshToolbarState({}));
  void service.init().then(() => {
    const state = service.getState();
    if (state.status === 'unavailable') {
      notices.show({ title: 'Denoise is unavailable', message: `${state.reason}. The study stays viewable; only denoising is off.`, type: 'error', duration: 15_000 });
    }
  });
  const save = browserSaveContext({ config, service, controller, services }, extensionManager);
  return {
    service,
    getCommandsModule: () => {
      const commands = getCommandsModule(controller, compare, picker, strength, screening);
      const scanner = voiPresetActions(controller, services);
      return withSaveCommand({
        ...commands,
        actions: { ...commands.actions, ...scanner },
        definitions: { ...commands.definitions, ...Object.fromEntries(Object.entries(scanner).map(([name, commandFn]) => [name, { commandFn }])) },
      }, save);
    },
    getToolbarModule: () => [...getToolbarModule(controller, service, compare), saveEvaluator(save), strength.evaluator()],
    getHangingProtocolModule,
  };
}
