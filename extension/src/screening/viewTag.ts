/**
 * A plain-DOM tag on a screening viewport naming its view ("RCC"), marked
 * "guessed" (with why) when the header did not say it. Bottom centre: OHIF's
 * overlays use the corners and our Denoise label the top centre.
 */
const TAG_CLASS = 'mammo-screening-view';

export function setViewTag(element: HTMLElement, tag: { text: string; guessed: boolean; why: string } | null): void {
  let node = element.querySelector<HTMLDivElement>(`:scope > .${TAG_CLASS}`);
  if (!tag) {
    node?.remove();
    return;
  }
  if (!node) {
    node = document.createElement('div');
    node.className = TAG_CLASS;
    node.setAttribute('data-testid', 'screening-view');
    Object.assign(node.style, {
      position: 'absolute',
      bottom: '6px',
      left: '50%',
      transform: 'translateX(-50%)',
      zIndex: '10',
      pointerEvents: 'none',
      padding: '1px 8px',
      borderRadius: '4px',
      font: '600 12px system-ui, sans-serif',
      color: '#fff',
      background: 'rgba(0, 0, 0, 0.6)',
    } satisfies Partial<CSSStyleDeclaration>);
    if (getComputedStyle(element).position === 'static') element.style.position = 'relative';
    element.appendChild(node);
  }
  node.textContent = tag.guessed ? `${tag.text} (guessed: ${tag.why})` : tag.text;
  node.dataset.view = tag.text;
  node.dataset.guessed = String(tag.guessed);
  node.style.border = tag.guessed ? '1px dashed #f5a623' : '1px solid #5acce6';
}
