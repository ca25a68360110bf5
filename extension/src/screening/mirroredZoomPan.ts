import { Enums, getRenderingEngine, type Types } from '@cornerstonejs/core';
import { SynchronizerManager } from '@cornerstonejs/tools';
import { MIRRORED_ZOOM_PAN } from '../id';
import { slotOfViewport } from './screeningProtocol';

/*
 * The sync group of a screening pair (the CCs, the MLOs): zoom and pan
 * linked as a radiologist reads them. OHIF's 'zoompan' copies the pan as it
 * is, so dragging the right breast towards the midline moved the left one
 * away from it; here a pan between the two breasts is mirrored across the
 * midline (horizontal flipped, vertical kept), and between views of the same
 * breast (current and prior) it is copied.
 */

/** The pan (canvas pixels, as Cornerstone's getPan gives it) a target viewport takes from its source. */
export function linkedPan(sourceViewportId: string, targetViewportId: string, pan: Types.Point2): Types.Point2 {
  const source = slotOfViewport(sourceViewportId)?.[0];
  const target = slotOfViewport(targetViewportId)?.[0];
  return source && target && source !== target ? [-pan[0], pan[1]] : [pan[0], pan[1]];
}

interface ViewportRef {
  readonly renderingEngineId: string;
  readonly viewportId: string;
}

type ZoomPanViewport = Pick<Types.IStackViewport, 'getZoom' | 'setZoom' | 'getPan' | 'setPan' | 'render'>;

function mirroredZoomPan(_synchronizer: unknown, source: ViewportRef, target: ViewportRef): void {
  const engine = getRenderingEngine(target.renderingEngineId);
  const from = engine?.getViewport(source.viewportId) as ZoomPanViewport | undefined;
  const to = engine?.getViewport(target.viewportId) as ZoomPanViewport | undefined;
  if (!from?.getPan || !to?.setPan) return;
  to.setZoom(from.getZoom());
  to.setPan(linkedPan(source.viewportId, target.viewportId, from.getPan()));
  to.render();
}

/** The part of OHIF's SyncGroupService this needs. */
export interface CustomSynchronizers {
  registerCustomSynchronizer(type: string, create: (id: string) => unknown): void;
}

/** Lets hanging protocols use MIRRORED_ZOOM_PAN as a sync group type. */
export function registerMirroredZoomPan(syncGroups: CustomSynchronizers): void {
  syncGroups.registerCustomSynchronizer(MIRRORED_ZOOM_PAN, (id) =>
    SynchronizerManager.createSynchronizer(id, Enums.Events.CAMERA_MODIFIED, mirroredZoomPan),
  );
}
