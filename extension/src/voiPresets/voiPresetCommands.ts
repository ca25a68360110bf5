import { applyStoredVoiPreset } from './storedVoiPresets';
import type { DenoiseController } from '../denoise/denoiseController';
import type { OhifServices } from '../ohifTypes';

export const VOI_PRESET_COMMAND = 'applyStoredVoiPreset';

/**
 * "Next stored window preset": steps the active viewport through the window
 * centre/width pairs stored in its image, keeping the stored VOI LUT Function
 * (SIGMOID included). Works the same on original and denoised viewports.
 */
export function voiPresetActions(controller: DenoiseController, services: OhifServices) {
  const shown = new Map<string, number>();
  return {
    [VOI_PRESET_COMMAND]: ({
      viewportId,
      index,
      step = 1,
    }: { viewportId?: string; index?: number; step?: number } = {}) => {
      const viewport = controller.viewport(viewportId);
      const notify = (message: string, type: 'info' | 'warning') =>
        services.uiNotificationService.show({ title: 'Window presets', message, type, duration: 3_000 });
      if (!viewport) {
        notify('Select a viewport showing an image first. Nothing was changed.', 'warning');
        return null;
      }
      // The image shows preset 0 when it is first displayed.
      const applied = applyStoredVoiPreset(viewport, index ?? (shown.get(viewport.id) ?? 0) + step);
      if (!applied) {
        notify('This image stores no window centre/width presets; the window is unchanged.', 'warning');
        return null;
      }
      shown.set(viewport.id, applied.index);
      const { preset } = applied;
      notify(
        `${applied.index + 1} of ${applied.count}${preset.explanation ? ` (${preset.explanation})` : ''}: ` +
          `centre ${preset.center}, width ${preset.width}, ${preset.voiLutFunction}`,
        'info',
      );
      return {
        index: applied.index,
        count: applied.count,
        center: preset.center,
        width: preset.width,
        voiLutFunction: preset.voiLutFunction,
      };
    },
  };
}
