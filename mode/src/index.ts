import { MODE_ID, SCREENING_PROTOCOL_ID } from './id';
import {
  COMPARE_BUTTON,
  DENOISE_BUTTON,
  DENOISE_SECTION,
  DIFFERENCE_BUTTON,
  hotkeys,
  PRIOR_BUTTON,
  SAVE_BUTTON,
  STRENGTH_SECTION,
  toolbarButtons,
} from './toolbarButtons';

/**
 * The "Denoise" mode: OHIF's basic viewer (layout, tools: zoom, pan,
 * window/level, stack scroll, reset) plus Denoise and Compare. It reuses the
 * host's @ohif/mode-basic instance rather than copying it, so it follows the
 * pinned viewer's defaults.
 */

/** The extension is loaded at run time and must be keyed by its URL (OHIF imports mode extension keys by name). */
// Built from parts so the bundler does not treat it as an asset to bundle.
const extensionUrl = (configured?: string): string =>
  configured ?? new URL(['..', 'extension', 'index.js'].join('/'), import.meta.url).href;

interface BasicMode {
  modeInstance: Record<string, unknown> & {
    routes: Array<Record<string, unknown> & { layoutInstance?: unknown }>;
    toolbarButtons?: unknown[];
    hotkeys?: unknown[];
    onModeEnter?: (this: unknown, args: ModeArgs) => void;
    onModeExit?: (this: unknown, args: ModeArgs) => void;
    isValidMode?: (
      this: unknown,
      args: { modalities: string; study?: unknown },
    ) => { valid: boolean; description?: string } | boolean;
  };
  extensionDependencies: Record<string, string>;
}

interface ModeArgs {
  servicesManager: {
    services: {
      toolbarService: { register(buttons: unknown[]): void; updateSection(section: string, ids: string[]): void };
      customizationService: { setCustomizations(customizations: Record<string, unknown>): void };
    };
  };
  commandsManager: { runCommand(name: string, options?: Record<string, unknown>): unknown };
}

/** Mammography units store several window presets (NORMAL, HARDER, ...); P steps through them. */
const storedVoiPresetHotkey = {
  commandName: 'applyStoredVoiPreset',
  commandOptions: { step: 1 },
  label: 'Next stored window preset',
  keys: ['p'],
  isEditable: true,
};

/** Grey single-frame images; MG first. Guards a missing Modality (some Hologic screening data). */
export function isValidDenoiseStudy(modalities: string | undefined): { valid: boolean; description: string } {
  const list = (modalities ?? '')
    .split('\\')
    .map((m) => m.trim())
    .filter(Boolean);
  const unsupported = ['SR', 'SEG', 'RTSTRUCT', 'PR', 'KO', 'DOC', 'ECG'];
  const valid = list.length === 0 || list.some((m) => !unsupported.includes(m));
  return {
    valid,
    description: valid
      ? 'Denoise mammograms and other single-frame greyscale images'
      : 'No images to denoise in this study',
  };
}

async function modeFactory({
  modeConfiguration,
  loadModules,
}: {
  modeConfiguration?: { extensionUrl?: string };
  loadModules: (names: string[]) => Promise<BasicMode[]>;
}) {
  const [basic] = await loadModules(['@ohif/mode-basic']);
  if (!basic) throw new Error('the Denoise mode needs @ohif/mode-basic from the host viewer');
  const base = basic.modeInstance;
  const url = extensionUrl(modeConfiguration?.extensionUrl);
  const baseRoute = base.routes[0] ?? {};
  return {
    ...base,
    id: MODE_ID,
    routeName: MODE_ID,
    displayName: 'Denoise',
    hide: false,
    extensions: { ...basic.extensionDependencies, [url]: '^0.1.0' },
    // MG studies of two or more images hang as a screening study; everything else as OHIF's default.
    hangingProtocol: [SCREENING_PROTOCOL_ID, 'default'],
    isValidMode: ({ modalities }: { modalities: string }) => isValidDenoiseStudy(modalities),
    routes: [{ ...baseRoute, path: MODE_ID }],
    toolbarButtons: [...(base.toolbarButtons ?? []), ...toolbarButtons],
    hotkeys: [...(base.hotkeys ?? []), ...hotkeys, storedVoiPresetHotkey],
    onModeEnter(this: unknown, args: ModeArgs) {
      base.onModeEnter?.call(this, args);
      const { toolbarService, customizationService } = args.servicesManager.services;
      // OHIF 3.13 binds keys from the 'ohif.hotkeyBindings' customization; a mode's `hotkeys` field is not read.
      customizationService.setCustomizations({ 'ohif.hotkeyBindings': { $push: [...hotkeys, storedVoiPresetHotkey] } });
      toolbarService.register(toolbarButtons);
      toolbarService.updateSection('primary', [
        DENOISE_SECTION,
        STRENGTH_SECTION,
        COMPARE_BUTTON,
        DIFFERENCE_BUTTON,
        PRIOR_BUTTON,
        SAVE_BUTTON,
      ]);
      toolbarService.updateSection(DENOISE_SECTION, [DENOISE_BUTTON]);
      // The models are known only at run time (models/index.json): the extension adds them to the split button.
      args.commandsManager.runCommand('attachDenoiseModelPicker', {
        sectionId: DENOISE_SECTION,
        denoiseButtonId: DENOISE_BUTTON,
      });
      args.commandsManager.runCommand('attachDenoiseStrength', { sectionId: STRENGTH_SECTION });
    },
    onModeExit(this: unknown, args: ModeArgs) {
      base.onModeExit?.call(this, args);
    },
  };
}

export default { id: MODE_ID, modeFactory, extensionDependencies: {} };
