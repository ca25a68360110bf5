import { EVALUATORS } from './id';
import type { DenoiseController } from './denoiseController';
import type { DenoiseService } from './denoiseService';
import type { CompareLayout } from './compareLayout';

/** Toolbar evaluators: each returns { disabled, isActive } for the active viewport. */
export function getToolbarModule(controller: DenoiseController, service: DenoiseService, compare: CompareLayout) {
  const unavailable = () => service.getState().status !== 'ready';
  return [
    {
      name: EVALUATORS.denoise,
      evaluate: ({ viewportId }: { viewportId?: string }) => {
        const viewport = controller.viewport(viewportId);
        return { disabled: unavailable() || !viewport, isActive: !!controller.modelShown(viewport) };
      },
    },
    {
      name: EVALUATORS.compare,
      evaluate: () => ({ disabled: unavailable(), isActive: compare.isActive() }),
    },
  ];
}
