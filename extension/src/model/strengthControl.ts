import { DEFAULT_STRENGTH, formatStrength, STRENGTH_CHOICES } from '@mammo-denoise/core';
import type { DenoiseController } from '../denoise/denoiseController';
import type { DenoiseService } from '../denoise/denoiseService';
import { COMMANDS, EVALUATORS } from '../id';
import { runIdForImage } from './modelChoice';
import type { OhifServices, ToolbarButton } from '../ohifTypes';

/** Toolbar button id of one strength's entry. */
export const strengthButtonId = (strength: number): string =>
  `MammoDenoiseStrength-${String(strength).replace('.', '_')}`;

/** "1.25x", and "1x (estimated noise)" for the default. */
export const strengthEntryLabel = (strength: number): string =>
  `${formatStrength(strength)}${strength === DEFAULT_STRENGTH ? ' (estimated noise)' : ''}`;

/**
 * The strength control next to Denoise: a split button (ohif.toolButtonList)
 * whose entries are the strengths (0.5x-1.5x the noise estimated in the image).
 * The current one is the active entry, so it shows as the button. It is enabled
 * only where the model for the active image takes a noise map (the MIAS
 * models do not). Each strength's denoised images are cached apart (run ids);
 * picking one switches the viewports showing a noise-conditioned model to it.
 */
export class StrengthControl {
  constructor(
    private readonly services: OhifServices,
    private readonly service: DenoiseService,
    private readonly controller: DenoiseController,
  ) {}

  /** Called by the mode with its (empty) section: the entries are registered here, where the choices live. */
  attach(sectionId: string): void {
    const { toolbarService } = this.services;
    toolbarService.register(
      STRENGTH_CHOICES.map((strength) => this.buttonFor(strength)),
      true,
    );
    toolbarService.updateSection(sectionId, STRENGTH_CHOICES.map(strengthButtonId));
    toolbarService.refreshToolbarState({});
  }

  async select(strength: number): Promise<void> {
    this.service.setStrength(strength);
    for (const viewportId of this.services.viewportGridService.getState().viewports.keys()) {
      const viewport = this.controller.viewport(viewportId);
      const view = this.controller.viewShown(viewport);
      const shown = this.controller.modelShown(viewport);
      if (!viewport || view === 'original' || !shown || !this.service.takesNoiseMap(shown)) continue;
      const wanted = this.service.runIdOf(shown);
      if (wanted !== shown) await this.controller.show(viewport, wanted, false, view);
    }
    this.services.toolbarService.refreshToolbarState({});
  }

  /** Enabled where the active viewport's model (shown, or the one Denoise would use) takes a noise map. */
  evaluator() {
    return {
      name: EVALUATORS.strength,
      evaluate: ({ strength, viewportId }: { strength: number; viewportId?: string }) => {
        const viewport = this.controller.viewport(viewportId);
        const model =
          this.controller.modelShown(viewport) ?? runIdForImage(this.service, viewport?.getCurrentImageId());
        const enabled = model !== null && this.service.takesNoiseMap(model);
        return {
          disabled: !enabled,
          isActive: this.service.currentStrength() === strength,
          label: strengthEntryLabel(strength),
          tooltip: enabled
            ? `Denoise strength ${formatStrength(strength)}: ` +
              `the noise map handed to the model is ${formatStrength(strength)} the ` +
              'noise estimated in this image (more removes more); each strength is cached'
            : 'Denoise strength: only models that take a noise map (digital-mammogram models) have one',
        };
      },
    };
  }

  private buttonFor(strength: number): ToolbarButton {
    return {
      id: strengthButtonId(strength),
      uiType: 'ohif.toolButton',
      props: {
        label: strengthEntryLabel(strength),
        commands: [{ commandName: COMMANDS.selectDenoiseStrength, commandOptions: { strength } }],
        evaluate: { name: EVALUATORS.strength, strength },
      },
    };
  }
}
