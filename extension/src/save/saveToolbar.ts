import { COMMANDS, EVALUATORS } from '../id';
import { saveDenoised, type SaveContext } from './saveDenoised';
import { saveDestination } from './saveDenoisedPlan';

/** Save's wiring into OHIF: its command and its toolbar evaluator. */

/** Adds the Save command to a commands module ({ actions, definitions, defaultContext }). */
export function withSaveCommand<M extends { actions: object; definitions: object }>(
  module: M,
  context: SaveContext,
): M {
  const save = () => saveDenoised(context);
  return {
    ...module,
    actions: { ...module.actions, [COMMANDS.saveDenoised]: save },
    definitions: { ...module.definitions, [COMMANDS.saveDenoised]: { commandFn: save } },
  };
}

/**
 * Toolbar evaluator: Save says where it stores. It stays enabled while models
 * are ready (the toolbar is not re-evaluated when a denoise finishes); pressed
 * on an image not denoised yet, it says so and saves nothing.
 */
export function saveEvaluator(context: SaveContext) {
  return {
    name: EVALUATORS.save,
    evaluate: () => {
      const destination = saveDestination(context.activeDataSource()?.getConfig?.());
      const tooltip =
        destination.kind === 'stow'
          ? 'Save (S): store the denoised image as a new derived series ' +
            'in this study on the PACS (STOW-RS); the original is unchanged'
          : `Save (S): download the denoised image as a derived DICOM file (${destination.reason})`;
      return { disabled: context.service.getState().status !== 'ready', isActive: false, tooltip };
    },
  };
}
