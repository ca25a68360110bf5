import { ensureViewportOverlay, viewportOverlayOf } from '../viewportOverlay';

/**
 * A plain-DOM label on a viewport element: says the viewport shows a denoised
 * image and by which model, and shows progress while it works. Plain DOM so
 * the extension needs none of the host's React internals.
 */
const LABEL_CLASS = 'mammo-denoise-label';

function labelOf(element: HTMLElement): HTMLDivElement {
  return ensureViewportOverlay(
    element,
    LABEL_CLASS,
    { 'data-testid': 'denoise-label', role: 'status' },
    {
      top: '6px',
      padding: '2px 10px',
      background: 'rgba(0, 0, 0, 0.65)',
      border: '1px solid #5acce6',
      maxWidth: 'calc(100% - 16px)',
      textAlign: 'center',
      whiteSpace: 'normal',
    },
  );
}

export type LabelState =
  | { kind: 'hidden' }
  | { kind: 'working'; text: string }
  | { kind: 'denoised'; text: string; milliseconds?: number }
  | { kind: 'difference'; text: string }
  | { kind: 'error'; text: string };

export function setViewportLabel(element: HTMLElement, state: LabelState): void {
  if (state.kind === 'hidden') {
    viewportOverlayOf(element, LABEL_CLASS)?.remove();
    return;
  }
  const label = labelOf(element);
  label.textContent = state.text;
  label.dataset.state = state.kind;
  if (state.kind === 'denoised' && state.milliseconds !== undefined)
    label.dataset.milliseconds = String(Math.round(state.milliseconds));
  else delete label.dataset.milliseconds;
  const borders: Record<Exclude<LabelState['kind'], 'hidden'>, string> = {
    error: '#f87171',
    working: '#facc15',
    denoised: '#5acce6',
    difference: '#c084fc',
  };
  label.style.borderColor = borders[state.kind];
  placeClearOfOverlays(label, element);
}

const LABEL_TOP = 6;
const GAP = 4;

/**
 * Moves the label below OHIF's top overlays (study date and description,
 * patient, any customised corner text, the cine player) where it would cross them: in a
 * narrow Compare pane, the centred label covered the study description.
 * OHIF draws those beside the Cornerstone element, in its pane
 * (`.viewport-overlay` blocks in the `.viewport-wrapper`, the cine player next to it).
 */
function placeClearOfOverlays(label: HTMLElement, element: HTMLElement): void {
  label.style.top = `${LABEL_TOP}px`;
  // The pane holds the overlays (in .viewport-wrapper) and the cine player (beside it).
  const wrapper =
    element.closest('[data-cy="viewport-pane"]')?.parentElement ??
    element.closest('.viewport-wrapper') ??
    element.parentElement;
  if (!wrapper) return;
  const area = element.getBoundingClientRect();
  const own = label.getBoundingClientRect();
  let bottom = -Infinity;
  // Overlay text, and the controls OHIF floats over the image (the cine player's buttons).
  for (const item of wrapper.querySelectorAll<HTMLElement>('.viewport-overlay *, button, input')) {
    const control = item.tagName === 'BUTTON' || item.tagName === 'INPUT';
    if (!control && (item.children.length > 0 || !item.textContent?.trim())) continue;
    const r = item.getBoundingClientRect();
    // Only the top overlays can meet a label at the top; it must cross them horizontally to matter.
    if (r.width === 0 || r.top > area.top + area.height / 2 || r.right <= own.left || r.left >= own.right) continue;
    bottom = Math.max(bottom, r.bottom);
  }
  if (bottom > own.top - GAP) label.style.top = `${Math.ceil(bottom - area.top + GAP)}px`;
}
