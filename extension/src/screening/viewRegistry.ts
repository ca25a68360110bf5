import { classifyHeader, classifyView, type MammoView } from '@mammo-denoise/core';
import type { ViewHeader } from '@mammo-denoise/core';
import type { ViewPixels } from '@mammo-denoise/core';
import { slotOf, type ScreeningSlot } from '@mammo-denoise/core';

/** The instance metadata OHIF keeps per image (naturalized DICOM), as far as the views need it. */
export type InstanceMetadata = ViewHeader & {
  SOPInstanceUID?: string;
  imageId?: string;
  Modality?: string;
  SOPClassUID?: string;
};

/** OHIF's display set, as far as the custom attribute reads it. */
export interface DisplaySetLike {
  displaySetInstanceUID?: string;
  imageIds?: string[];
  instances?: InstanceMetadata[];
  instance?: InstanceMetadata;
}

export const firstInstance = (displaySet: DisplaySetLike | null | undefined): InstanceMetadata | null =>
  displaySet?.instances?.[0] ?? displaySet?.instance ?? null;

/**
 * Each image's view: from its header at once, completed from its pixels once
 * they are loaded (kept per SOP instance, so the hanging protocol's custom
 * attribute and the layout agree).
 */
export class ViewRegistry {
  private readonly fromPixels = new Map<string, MammoView>();

  /** The view as known now: header and orientation, plus the pixels if they were read. */
  viewOf(instance: InstanceMetadata): MammoView {
    return (instance.SOPInstanceUID && this.fromPixels.get(instance.SOPInstanceUID)) || classifyView(instance);
  }

  slotOf(instance: InstanceMetadata): ScreeningSlot {
    return slotOf(this.viewOf(instance));
  }

  /** Whether the header leaves something to the pixels and they have not been read yet. */
  wantsPixels(instance: InstanceMetadata): boolean {
    const c = classifyHeader(instance);
    return (
      (!c.laterality || !c.row || !c.chestWall) &&
      !(instance.SOPInstanceUID && this.fromPixels.has(instance.SOPInstanceUID))
    );
  }

  /** Completes the view from the pixels; returns true when the slot changed (the layout must re-hang). */
  addPixels(instance: InstanceMetadata, pixels: ViewPixels): boolean {
    const before = this.slotOf(instance);
    if (instance.SOPInstanceUID) this.fromPixels.set(instance.SOPInstanceUID, classifyView(instance, pixels));
    return this.slotOf(instance) !== before;
  }
}
