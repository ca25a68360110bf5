import { ensureViewportOverlay, viewportOverlayOf } from '../viewportOverlay';

/**
 * A plain-DOM tag on a screening viewport naming its view ("RCC"), marked
 * "guessed" (with why) when the header did not say it. Bottom centre: OHIF's
 * overlays use the corners and our Denoise label the top centre.
 */
const TAG_CLASS = 'mammo-screening-view';

export interface ViewTag {
  readonly text: string;
  readonly guessed: boolean;
  readonly why: string;
  /** The prior exam's date, on its viewports. */
  readonly prior?: string;
}

export function setViewTag(element: HTMLElement, tag: ViewTag | null): void {
  if (!tag) {
    viewportOverlayOf(element, TAG_CLASS)?.remove();
    return;
  }
  const node = ensureViewportOverlay(
    element,
    TAG_CLASS,
    { 'data-testid': 'screening-view' },
    { bottom: '6px', padding: '1px 8px', background: 'rgba(0, 0, 0, 0.6)' },
  );
  const shown = tag.prior ? `${tag.text} · prior ${tag.prior}` : tag.text;
  node.textContent = tag.guessed ? `${shown} (guessed: ${tag.why})` : shown;
  node.dataset.view = tag.text;
  if (tag.prior) node.dataset.prior = tag.prior;
  else delete node.dataset.prior;
  node.dataset.guessed = String(tag.guessed);
  node.style.border = tag.guessed ? '1px dashed #f5a623' : '1px solid #5acce6';
}
