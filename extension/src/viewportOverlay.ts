/**
 * A plain-DOM box centred over a viewport element, one per class: the Denoise
 * label (top centre) and the screening view tag (bottom centre). Plain DOM so
 * the extension needs none of the host's React internals.
 */

/** What every overlay shares: centred, above the image, click-through, white 12px text in a rounded box. */
const OVERLAY_STYLE = {
  position: 'absolute',
  left: '50%',
  transform: 'translateX(-50%)',
  zIndex: '10',
  pointerEvents: 'none',
  borderRadius: '4px',
  font: '600 12px system-ui, sans-serif',
  color: '#fff',
} satisfies Partial<CSSStyleDeclaration>;

/** The element's overlay of this class, or null if it has none. */
export function viewportOverlayOf(element: HTMLElement, className: string): HTMLDivElement | null {
  return element.querySelector<HTMLDivElement>(`:scope > .${className}`);
}

/**
 * The element's overlay of this class, made now if it has none: a div with
 * these attributes and this style over the shared one, in an element made a
 * positioned container if it was static.
 */
export function ensureViewportOverlay(
  element: HTMLElement,
  className: string,
  attributes: Readonly<Record<string, string>>,
  style: Partial<CSSStyleDeclaration>,
): HTMLDivElement {
  let overlay = viewportOverlayOf(element, className);
  if (!overlay) {
    overlay = document.createElement('div');
    overlay.className = className;
    for (const [name, value] of Object.entries(attributes)) overlay.setAttribute(name, value);
    Object.assign(overlay.style, OVERLAY_STYLE, style);
    if (getComputedStyle(element).position === 'static') element.style.position = 'relative';
    element.appendChild(overlay);
  }
  return overlay;
}
