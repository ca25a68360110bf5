import { Enums, type Types } from '@cornerstonejs/core';
import type { DenoiseController, DifferencePresentation } from '../denoise/denoiseController';
import type { DenoiseService } from '../denoise/denoiseService';
import { COMPARE_SELECTOR, COMPARE_VIEWPORTS, COMPARE_VOI_SYNC } from '../getHangingProtocolModule';
import { COMPARE_PROTOCOL_ID } from '../id';
import type { OhifServices } from '../ohifTypes';

type HangingState = ReturnType<OhifServices['hangingProtocolService']['getState']>;

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The Compare command: lays out original | denoised for the active image with
 * the compare hanging protocol, then denoises the right-hand viewport. Pressing
 * it again restores the previous layout. Within Compare, the difference toggle
 * switches the right-hand viewport between denoised and denoised − original.
 */
export class CompareLayout implements DifferencePresentation {
  private previous: HangingState | null = null;
  private unlinkPanes: () => void = () => {};

  constructor(
    private readonly services: OhifServices,
    private readonly controller: DenoiseController,
    private readonly service: DenoiseService,
  ) {
    controller.setDifferencePresentation(this);
  }

  isActive(): boolean {
    return this.previous !== null;
  }

  differenceShown(): boolean {
    return (
      this.isActive() &&
      this.controller.viewShown(this.controller.viewport(COMPARE_VIEWPORTS.denoised)) === 'difference'
    );
  }

  /** Right-hand viewport: denoised ⇄ difference (denoised − original) for the model it shows. */
  async toggleDifference(): Promise<void> {
    const right = this.controller.viewport(COMPARE_VIEWPORTS.denoised);
    if (!this.isActive() || !right) {
      this.services.uiNotificationService.show({
        title: 'Difference',
        message: 'The difference view is part of Compare: press Compare (Shift+D) first. Nothing was changed.',
        type: 'warning',
      });
      return;
    }
    const modelId = this.controller.modelShown(right) ?? this.service.selectedModel()?.id ?? null;
    await this.controller.show(right, modelId, true, this.differenceShown() ? 'denoised' : 'difference');
    this.services.toolbarService.refreshToolbarState({});
  }

  // DifferencePresentation: a difference has its own window, so it leaves the window/level link while shown.
  enter(viewport: Types.IStackViewport): void {
    this.services.syncGroupService.removeViewportFromSyncGroup(
      viewport.id,
      viewport.getRenderingEngine().id,
      COMPARE_VOI_SYNC.id,
    );
  }

  leave(viewport: Types.IStackViewport): Types.StackViewportProperties | null {
    const original = this.controller.viewport(COMPARE_VIEWPORTS.original);
    const properties = original && original !== viewport ? original.getProperties() : null;
    this.services.syncGroupService.addViewportToSyncGroup(
      viewport.id,
      viewport.getRenderingEngine().id,
      COMPARE_VOI_SYNC,
    );
    return properties
      ? { voiRange: properties.voiRange, invert: properties.invert, VOILUTFunction: properties.VOILUTFunction }
      : null;
  }

  /**
   * Moves the panes to stack position `index`, again while OHIF is still laying them out; false if they do not stay.
   */
  private async moveTo(panes: Types.IStackViewport[], index: number): Promise<boolean> {
    for (let tries = 0; tries < 20; tries += 1) {
      const settled = panes.every((pane) => pane.viewportStatus === Enums.ViewportStatus.RENDERED);
      console.log('DEBUG', tries, JSON.stringify(panes.map((p) => [p.viewportStatus, p.getCurrentImageIdIndex()])));
      if (
        settled &&
        panes.every((pane) => pane.getCurrentImageIdIndex() === Math.min(index, pane.getImageIds().length - 1))
      )
        return true;
      if (settled) for (const pane of panes) await pane.setImageIdIndex(Math.min(index, pane.getImageIds().length - 1));
      await wait(100);
    }
    return false;
  }

  async toggle(): Promise<void> {
    const hp = this.services.hangingProtocolService;
    const grid = this.services.viewportGridService.getState();
    const activeId = grid.activeViewportId ?? '';
    const displaySetUID = grid.viewports.get(activeId)?.displaySetInstanceUIDs[0];
    const state = hp.getState();
    if (this.previous) {
      const back = this.previous;
      this.previous = null;
      this.unlinkPanes();
      this.unlinkPanes = () => {};
      hp.setProtocol(back.protocolId, { stageIndex: back.stageIndex });
      this.services.toolbarService.refreshToolbarState({});
      return;
    }
    if (!displaySetUID) {
      this.services.uiNotificationService.show({
        title: 'Compare',
        message: 'Select a viewport showing an image first. Nothing was changed.',
        type: 'warning',
      });
      return;
    }
    this.previous = { ...state };
    // Both panes show the image the active viewport shows, not the series' first.
    const index = this.controller.viewport(activeId)?.getCurrentImageIdIndex() ?? 0;
    hp.setProtocol(COMPARE_PROTOCOL_ID, {
      stageIndex: 0,
      displaySetSelectorMap: { [`${state.activeStudyUID}:${COMPARE_SELECTOR}:0`]: [displaySetUID] },
    });
    this.services.toolbarService.refreshToolbarState({});
    // The viewports are created asynchronously by OHIF; wait for the right one to hold its stack.
    for (let i = 0; i < 100; i += 1) {
      const viewport = this.controller.viewport(COMPARE_VIEWPORTS.denoised);
      const original = this.controller.viewport(COMPARE_VIEWPORTS.original);
      if (viewport && viewport.getImageIds().length > 0 && original && original.getImageIds().length > 0) {
        // OHIF lays the panes out at the first image: it tries to carry the position over as a view
        // reference, which Cornerstone refuses for images without a Frame of Reference (most
        // mammograms). So once the layout has settled, both panes are moved as a scroll would move them.
        if (!(await this.moveTo([original, viewport], index))) continue;
        this.unlinkPanes = linkStackPositions(original, viewport);
        await this.controller.show(viewport, this.service.selectedModel()?.id ?? null, true);
        return;
      }
      await wait(100);
    }
    this.services.uiNotificationService.show({
      title: 'Compare',
      message: 'The side-by-side viewports did not appear; the layout is unchanged otherwise.',
      type: 'error',
    });
  }
}

/**
 * Keeps two stack viewports at the same stack position, both ways (a scroll
 * in either moves the other). Returns the unlink. Position, not patient
 * coordinates: the panes show the same display set.
 */
export function linkStackPositions(a: Types.IStackViewport, b: Types.IStackViewport): () => void {
  const follow = (from: Types.IStackViewport, to: Types.IStackViewport) => () => {
    const index = from.getCurrentImageIdIndex();
    if (to.getCurrentImageIdIndex() !== index && index < to.getImageIds().length) void to.setImageIdIndex(index);
  };
  const aToB = follow(a, b);
  const bToA = follow(b, a);
  a.element.addEventListener(Enums.Events.STACK_NEW_IMAGE, aToB);
  b.element.addEventListener(Enums.Events.STACK_NEW_IMAGE, bToA);
  return () => {
    a.element.removeEventListener(Enums.Events.STACK_NEW_IMAGE, aToB);
    b.element.removeEventListener(Enums.Events.STACK_NEW_IMAGE, bToA);
  };
}
