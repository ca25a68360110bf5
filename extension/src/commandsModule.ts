import { COMMANDS } from './id';
import type { DenoiseController } from './denoise/denoiseController';
import type { CompareLayout } from './compare/compareLayout';
import type { ModelPicker } from './model/modelPicker';
import type { StrengthControl } from './model/strengthControl';

/** Commands: each action takes one options object. */
export function getCommandsModule(controller: DenoiseController, compare: CompareLayout, picker: ModelPicker, strength: StrengthControl) {
  const actions = {
    [COMMANDS.toggleDenoise]: ({ viewportId }: { viewportId?: string } = {}) => controller.toggle(viewportId),
    [COMMANDS.compareDenoised]: () => compare.toggle(),
    [COMMANDS.selectDenoiseModel]: ({ modelId }: { modelId: string }) => controller.selectModel(modelId),
    [COMMANDS.nextDenoiseModel]: () => controller.selectNextModel(),
    [COMMANDS.attachDenoiseModelPicker]: ({ sectionId, denoiseButtonId }: { sectionId: string; denoiseButtonId: string }) => picker.attach(sectionId, denoiseButtonId),
    [COMMANDS.toggleDenoiseDifference]: () => compare.toggleDifference(),
    [COMMANDS.selectDenoiseStrength]: ({ strength: value }: { strength: number }) => strength.select(value),
    [COMMANDS.attachDenoiseStrength]: ({ sectionId }: { sectionId: string }) => strength.attach(sectionId),
  };
  return {
    actions,
    definitions: Object.fromEntries(Object.keys(actions).map((name) => [name, { commandFn: actions[name as keyof typeof actions] }])),
    defaultContext: 'CORNERSTONE',
  };
}
