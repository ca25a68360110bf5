import type { CatalogModel } from '@mammo-denoise/core';
import type { DenoiseService } from '../denoise/denoiseService';
import { COMMANDS, EVALUATORS } from '../id';
import type { OhifServices, ToolbarButton } from '../ohifTypes';

/** Toolbar button id of one model's entry in the picker. */
export const modelButtonId = (modelId: string): string => `MammoDenoiseModel-${modelId}`;

/** A model's entry as the picker lists it: name and version, "(default)" for the index's default. */
export function modelEntryLabel(model: CatalogModel, options: { selected: boolean; isDefault: boolean }): string {
  return `${options.selected ? '✓ ' : ''}${model.name} ${model.version}${options.isDefault ? ' (default)' : ''}`;
}

/**
 * The model picker next to Denoise: OHIF's split button (ohif.toolButtonList)
 * whose primary button is Denoise and whose menu lists Denoise and then the
 * configured models, the default first. Models come from models/index.json at
 * run time, so their buttons are registered here once the catalog is loaded
 * and the mode has laid out the toolbar, whichever happens last.
 */
export class ModelPicker {
  private section: { sectionId: string; denoiseButtonId: string } | null = null;

  constructor(
    private readonly services: OhifServices,
    private readonly service: DenoiseService,
  ) {
    service.subscribe(() => this.fill());
  }

  /** Called by the mode once it has registered its buttons (OHIF resets the toolbar on entering a mode). */
  attach(sectionId: string, denoiseButtonId: string): void {
    this.section = { sectionId, denoiseButtonId };
    this.fill();
  }

  private fill(): void {
    if (!this.section) return;
    const { toolbarService } = this.services;
    const models = this.service.models();
    toolbarService.register(
      models.map((model) => this.buttonFor(model)),
      true,
    );
    // updateSection appends what is missing, so Denoise stays first whatever the order of calls.
    toolbarService.updateSection(this.section.sectionId, [
      this.section.denoiseButtonId,
      ...models.map((m) => modelButtonId(m.id)),
    ]);
    toolbarService.refreshToolbarState({});
  }

  private buttonFor(model: CatalogModel): ToolbarButton {
    return {
      id: modelButtonId(model.id),
      uiType: 'ohif.toolButton',
      props: {
        label: model.name,
        tooltip: `Denoise with ${model.name} ${model.version} (M: next model)`,
        commands: [{ commandName: COMMANDS.selectDenoiseModel, commandOptions: { modelId: model.id } }],
        evaluate: { name: EVALUATORS.model, modelId: model.id },
      },
    };
  }
}
