import { COMMANDS } from './id';
import type { DenoiseController } from './denoise/denoiseController';
import type { CompareLayout } from './compare/compareLayout';
import type { ModelPicker } from './model/modelPicker';
import type { StrengthControl } from './model/strengthControl';
import type { ScreeningLayout } from './screening/screeningLayout';

/** Commands: each action takes one options object. */
export function getCommandsModule(
  controller: DenoiseController,
  compare: CompareLayout,
  picker: ModelPicker,
  strength: StrengthControl,
  screening?: ScreeningLayout,
) {
  const actions = {
    // In the screening layout Denoise acts on every view; elsewhere (and in Compare) on the one viewport.
    [COMMANDS.toggleDenoise]: ({ viewportId }: { viewportId?: string } = {}) =>
      screening?.isActive() && !compare.isActive() ? screening.toggleDenoiseAll() : controller.toggle(viewportId),
    [COMMANDS.compareDenoised]: () => compare.toggle(),
    [COMMANDS.selectDenoiseModel]: ({ modelId }: { modelId: string }) => controller.selectModel(modelId),
    [COMMANDS.nextDenoiseModel]: () => controller.selectNextModel(),
    [COMMANDS.attachDenoiseModelPicker]: ({
      sectionId,
      denoiseButtonId,
    }: {
      sectionId: string;
      denoiseButtonId: string;
    }) => picker.attach(sectionId, denoiseButtonId),
    [COMMANDS.toggleDenoiseDifference]: () => compare.toggleDifference(),
    [COMMANDS.selectDenoiseStrength]: ({ strength: value }: { strength: number }) => strength.select(value),
    [COMMANDS.attachDenoiseStrength]: ({ sectionId }: { sectionId: string }) => strength.attach(sectionId),
    [COMMANDS.toggleScreeningPrior]: () => screening?.togglePrior(),
  };
  return {
    actions,
    definitions: Object.fromEntries(
      Object.keys(actions).map((name) => [name, { commandFn: actions[name as keyof typeof actions] }]),
    ),
    defaultContext: 'CORNERSTONE',
  };
}
