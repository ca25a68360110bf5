import { COMMANDS } from './id';
import type { DenoiseController } from './denoiseController';
import type { DenoiseService } from './denoiseService';
import type { CompareLayout } from './compareLayout';

/** Commands: each action takes one options object. */
export function getCommandsModule(controller: DenoiseController, service: DenoiseService, compare: CompareLayout) {
  const actions = {
    [COMMANDS.toggleDenoise]: ({ viewportId }: { viewportId?: string } = {}) => controller.toggle(viewportId),
    [COMMANDS.compareDenoised]: () => compare.toggle(),
    [COMMANDS.selectDenoiseModel]: ({ modelId }: { modelId: string }) => service.selectModel(modelId),
  };
  return {
    actions,
    definitions: Object.fromEntries(Object.keys(actions).map((name) => [name, { commandFn: actions[name as keyof typeof actions] }])),
    defaultContext: 'CORNERSTONE',
  };
}
