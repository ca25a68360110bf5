import { EVALUATORS } from './id';
import type { DenoiseController } from './denoise/denoiseController';
import type { DenoiseService } from './denoise/denoiseService';
import type { CompareLayout } from './compare/compareLayout';
import { modelEntryLabel } from './model/modelPicker';

/**
 * Toolbar evaluators: each returns { disabled, isActive } for the
 * active viewport (and, where it changes, the label or tooltip).
 */
export function getToolbarModule(controller: DenoiseController, service: DenoiseService, compare: CompareLayout) {
  const unavailable = () => service.getState().status !== 'ready';
  return [
    {
      name: EVALUATORS.denoise,
      evaluate: ({ viewportId }: { viewportId?: string }) => {
        const viewport = controller.viewport(viewportId);
        const model = service.selectedModel();
        const tooltip = model
          ? `Denoise (D): show the active image denoised by ${model.name} ${model.version}; ` +
            'press again for the original. ▾ or M: choose the model'
          : 'Denoise (D): show the active image denoised; press again for the original';
        return { disabled: unavailable() || !viewport, isActive: !!controller.modelShown(viewport), tooltip };
      },
    },
    {
      name: EVALUATORS.model,
      // Never active: the split button's primary is its first active entry, and that must stay Denoise.
      evaluate: ({ modelId }: { modelId: string }) => {
        const model = service.model(modelId);
        const state = service.getState();
        const isDefault = state.status === 'ready' && state.catalog.defaultId === modelId;
        return {
          disabled: !model,
          isActive: false,
          label: model
            ? modelEntryLabel(model, { selected: service.selectedModel()?.id === modelId, isDefault })
            : modelId,
        };
      },
    },
    {
      name: EVALUATORS.compare,
      evaluate: () => ({ disabled: unavailable(), isActive: compare.isActive() }),
    },
    {
      name: EVALUATORS.difference,
      evaluate: () => ({ disabled: unavailable() || !compare.isActive(), isActive: compare.differenceShown() }),
    },
  ];
}
