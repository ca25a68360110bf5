import type { ViewerPage } from './viewerPage';

/**
 * Page helpers for the screening layout: what each screening viewport shows
 * and where its chest wall lands on screen, read from window.cornerstone
 * (the host's Cornerstone) and our view tag, never from OHIF internals.
 */
export interface ScreeningViewportState {
  readonly id: string;
  readonly imageId: string;
  readonly flipHorizontal: boolean;
  readonly flipVertical: boolean;
  /** Canvas x (0..1 of its width) of the stored image's left and right edges, at mid-height. */
  readonly storedLeftX: number;
  readonly storedRightX: number;
  /** Viewport's left edge on the page and its width, in CSS pixels. */
  readonly pageLeft: number;
  readonly pageTop: number;
  readonly pageWidth: number;
  readonly pageHeight: number;
  readonly tag: string | null;
  readonly guessed: boolean | null;
  /** The prior exam's date on its viewports' tags ("2025-01-05"), null on the current exam's. */
  readonly prior: string | null;
}

export const SCREENING_VIEWPORT_IDS = [
  'mammo-screening-rcc',
  'mammo-screening-lcc',
  'mammo-screening-rmlo',
  'mammo-screening-lmlo',
  'mammo-screening-rcc-prior',
  'mammo-screening-lcc-prior',
  'mammo-screening-rmlo-prior',
  'mammo-screening-lmlo-prior',
] as const;

export async function screeningState(viewer: ViewerPage): Promise<ScreeningViewportState[]> {
  return viewer.page.evaluate(
    (ids) => {
      type Vp = {
        id: string;
        element: HTMLElement;
        getCurrentImageId(): string;
        getCamera(): { flipHorizontal?: boolean; flipVertical?: boolean };
        getImageData(): { dimensions: number[]; imageData: { indexToWorld(p: number[]): number[] } } | undefined;
        worldToCanvas(p: number[]): [number, number];
      };
      const cs = (
        window as unknown as { cornerstone: { getEnabledElements(): Array<{ viewportId: string; viewport: Vp }> } }
      ).cornerstone;
      const states = [];
      for (const { viewportId, viewport } of cs.getEnabledElements()) {
        if (!ids.includes(viewportId)) continue;
        const data = viewport.getImageData();
        const rect = viewport.element.getBoundingClientRect();
        const [w, h] = data?.dimensions ?? [0, 0];
        // No named inner functions here: tsx would wrap them in a helper the page does not have.
        const edges = [-0.5, (w as number) - 0.5].map((x) =>
          data ? viewport.worldToCanvas(data.imageData.indexToWorld([x, (h as number) / 2, 0]))[0] / rect.width : NaN,
        );
        const tag = viewport.element.querySelector<HTMLElement>('[data-testid="screening-view"]');
        const camera = viewport.getCamera();
        states.push({
          id: viewportId,
          imageId: viewport.getCurrentImageId() ?? '',
          flipHorizontal: camera.flipHorizontal === true,
          flipVertical: camera.flipVertical === true,
          storedLeftX: edges[0] as number,
          storedRightX: edges[1] as number,
          pageLeft: rect.left,
          pageTop: rect.top,
          pageWidth: rect.width,
          pageHeight: rect.height,
          tag: tag?.dataset.view ?? null,
          guessed: tag ? tag.dataset.guessed === 'true' : null,
          prior: tag?.dataset.prior ?? null,
        });
      }
      return states.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
    },
    [...SCREENING_VIEWPORT_IDS] as string[],
  );
}

/** Waits until `count` screening viewports show an image and carry their view tag. */
export async function waitForScreening(
  viewer: ViewerPage,
  count: number,
  timeout = 90_000,
): Promise<ScreeningViewportState[]> {
  const started = Date.now();
  for (;;) {
    // Before the viewer's scripts have run there is no window.cornerstone yet: not ready.
    const states = await screeningState(viewer).catch(() => []);
    if (states.length === count && states.every((s) => s.imageId && s.tag)) return states;
    if (Date.now() - started > timeout) throw new Error(`screening layout not ready: ${JSON.stringify(states)}`);
    await viewer.page.waitForTimeout(250);
  }
}

/** Where the breast's chest wall lies on screen (canvas fraction): the stored edge the view's flips put there. */
export function chestWallX(state: ScreeningViewportState, storedChestWall: 'left' | 'right'): number {
  return storedChestWall === 'left' ? state.storedLeftX : state.storedRightX;
}
