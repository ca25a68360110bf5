import { COMMANDS, EVALUATORS, EXTENSION_ID, EXTENSION_VERSION } from './id';
import { APP_CONFIG_KEY, DenoiseConfigurationError, resolveConfiguration } from './config';
import type { ExtensionParams } from './ohifTypes';
import { installModalityGuard } from './workarounds/modalityGuard';
import { installMammographyStudyListing, type QidoAccess } from './dataSources/mammographyStudies';
import { installDicomJsonStudyLinks } from './workarounds/dicomJsonStudyLinks';
import { DeferredNotices } from './deferredNotices';

/**
 * The OHIF extension's entry. It must not import Cornerstone statically: OHIF
 * imports extensions in parallel, so the host's Cornerstone (our bundle's
 * external) exists only once '@ohif/extension-cornerstone' has loaded.
 * preRegistration waits for it, then loads the rest (modules.ts) and attaches
 * the module getters, which OHIF reads after preRegistration resolves.
 */
interface ModuleGetters {
  getCommandsModule?: () => unknown;
  getToolbarModule?: () => unknown;
  getHangingProtocolModule?: () => unknown;
}

let modeHooks: { onModeEnter(): void; onModeExit(): void } | null = null;

let notices: DeferredNotices | null = null;

const extension: {
  id: string;
  version: string;
  preRegistration(params: ExtensionParams): Promise<void>;
  onModeEnter(): void;
  onModeExit(): void;
} & ModuleGetters = {
  id: EXTENSION_ID,
  version: EXTENSION_VERSION,
  async preRegistration({ appConfig, servicesManager, configuration, extensionManager }: ExtensionParams) {
    const peerImport = appConfig.peerImport;
    if (!peerImport) throw new Error(`${EXTENSION_ID} needs OHIF 3.10 or later (appConfig.peerImport)`);
    await peerImport('@ohif/extension-cornerstone');
    const { services } = servicesManager;
    notices = new DeferredNotices(services.uiNotificationService);
    const early = notices;
    // Studies without Modality must open even when denoising is misconfigured, so this comes first.
    const qido: QidoAccess = {
      fetch: (...args) => fetch(...args),
      authorizationHeader: () =>
        (
          services as {
            userAuthenticationService?: { getAuthorizationHeader?: () => Record<string, string> | undefined };
          }
        ).userAuthenticationService?.getAuthorizationHeader?.(),
      warn: (message) => console.warn(`[mammo-denoise] ${message}`),
    };
    installModalityGuard(extensionManager, qido);
    // After the guard, so a study the guard's repeated search finds is listed as MG too.
    installMammographyStudyListing(extensionManager, qido);
    // Study links and the worklist must open their own study even when denoising is misconfigured.
    installDicomJsonStudyLinks(extensionManager);
    let config;
    try {
      // OHIF hands configuration only to extensions it imports itself; one loaded by URL reads it from the app config.
      // OHIF 3.13 passes {} when it has none (registerExtension's default), which must not hide the app config.
      const fromOhif =
        configuration && typeof configuration === 'object' && Object.keys(configuration).length > 0
          ? configuration
          : undefined;
      config = resolveConfiguration(fromOhif ?? appConfig[APP_CONFIG_KEY], new URL('.', import.meta.url).href);
    } catch (error) {
      if (!(error instanceof DenoiseConfigurationError)) throw error;
      // A bad configuration never breaks the viewer: the buttons stay, disabled, and say why when pressed.
      const notice = { title: 'Denoise', message: error.message, type: 'error', duration: 15_000 } as const;
      const explain = () => services.uiNotificationService.show(notice);
      early.show(notice);
      extension.getCommandsModule = () => ({
        actions: {},
        definitions: Object.fromEntries(Object.values(COMMANDS).map((name) => [name, { commandFn: explain }])),
        defaultContext: 'CORNERSTONE',
      });
      extension.getToolbarModule = () =>
        Object.values(EVALUATORS).map((name) => ({ name, evaluate: () => ({ disabled: true, isActive: false }) }));
      return;
    }
    const { setUpExtension } = await import(/* webpackChunkName: "denoise" */ './modules');
    const modules = setUpExtension(config, services, early, extensionManager);
    extension.getCommandsModule = modules.getCommandsModule;
    extension.getToolbarModule = modules.getToolbarModule;
    extension.getHangingProtocolModule = modules.getHangingProtocolModule;
    modeHooks = modules;
  },
  // OHIF's UI exists by the time a mode is entered: show what was raised before it.
  onModeEnter() {
    notices?.flush();
    modeHooks?.onModeEnter();
  },
  onModeExit() {
    modeHooks?.onModeExit();
  },
};

export default extension;
