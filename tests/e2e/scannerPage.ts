import { join } from 'node:path';
import type { ViewerPage } from './viewerPage';

/**
 * Page helpers for the scanner-quirk and bad-input browser tests: which image
 * the main viewport shows, its values and VOI as Cornerstone holds them, the
 * rendered grey at image points, and opening a series from the study panel.
 * They read window.cornerstone (the host's Cornerstone), never OHIF internals.
 */
export interface ShownImage {
  readonly imageId: string;
  readonly width: number;
  readonly height: number;
  readonly values: number[];
  /** The loader applied the modality LUT (values are slope·stored + intercept). */
  readonly preScaled: boolean;
  readonly voiRange: { lower: number; upper: number };
  readonly voiLutFunction: string | null;
  readonly invert: boolean;
}

/**
 * Defines window.__mainViewport(id?): a viewport of the viewer's grid (never a thumbnail renderer's). Without an
 * id it is the viewport the last openSeries saw its image in (window.__openedIn): a study the screening protocol
 * hangs side by side has more than one, and a double-click fills the active one, not necessarily the first.
 */
async function install(viewer: ViewerPage): Promise<void> {
  await viewer.page.evaluate(`window.__mainViewport = window.__mainViewport || ((id) => {
    const enabled = window.cornerstone.getEnabledElements()
      .filter((e) => !e.viewportId.startsWith('renderGPUViewport-'));
    const wanted = id ?? window.__openedIn;
    return (enabled.find((e) => e.viewportId === wanted) ?? enabled[0])?.viewport;
  })`);
}

type MainViewport = (id?: string) =>
  | {
      getCurrentImageId(): string;
      getProperties(): { voiRange: { lower: number; upper: number }; VOILUTFunction?: string; invert?: boolean };
      worldToCanvas(p: number[]): [number, number];
      canvas: HTMLCanvasElement;
    }
  | undefined;

export async function shownImage(viewer: ViewerPage, viewportId?: string, withValues = true): Promise<ShownImage> {
  await install(viewer);
  return viewer.page.evaluate(
    ([id, values]) => {
      const viewport = (window as unknown as { __mainViewport: MainViewport }).__mainViewport(id ?? undefined);
      if (!viewport) throw new Error('no viewport shows an image');
      const cs = (
        window as unknown as {
          cornerstone: {
            cache: {
              getImage(id: string):
                | {
                    width: number;
                    height: number;
                    preScale?: { scaled?: boolean };
                    voxelManager: { getScalarData(): ArrayLike<number> };
                  }
                | undefined;
            };
          };
        }
      ).cornerstone;
      const imageId = viewport.getCurrentImageId();
      const image = cs.cache.getImage(imageId);
      const properties = viewport.getProperties();
      return {
        imageId,
        width: image?.width ?? 0,
        height: image?.height ?? 0,
        values: values && image ? Array.from(image.voxelManager.getScalarData()) : [],
        preScaled: image?.preScale?.scaled === true,
        voiRange: properties.voiRange,
        voiLutFunction: properties.VOILUTFunction ?? null,
        invert: properties.invert === true,
      };
    },
    [viewportId ?? null, withValues] as const,
  ) as Promise<ShownImage>;
}

/** Rendered grey (red channel, 0..255) at image pixel centres of the main viewport. */
export async function renderedGreyAt(
  viewer: ViewerPage,
  points: ReadonlyArray<readonly [number, number]>,
): Promise<number[]> {
  await install(viewer);
  return viewer.page.evaluate((pts) => {
    const viewport = (window as unknown as { __mainViewport: MainViewport }).__mainViewport();
    if (!viewport) throw new Error('no viewport shows an image');
    const cs = (
      window as unknown as { cornerstone: { utilities: { imageToWorldCoords(id: string, p: number[]): number[] } } }
    ).cornerstone;
    const canvas = viewport.canvas;
    const copy = document.createElement('canvas');
    copy.width = canvas.width;
    copy.height = canvas.height;
    const ctx = copy.getContext('2d');
    if (!ctx) return [];
    ctx.drawImage(canvas, 0, 0);
    const ratio = window.devicePixelRatio || 1;
    return pts.map(([x, y]) => {
      const world = cs.utilities.imageToWorldCoords(viewport.getCurrentImageId(), [x, y]);
      const [cx, cy] = viewport.worldToCanvas(world);
      return ctx.getImageData(Math.floor(cx * ratio), Math.floor(cy * ratio), 1, 1).data[0] as number;
    });
  }, points);
}

/**
 * Double-clicks the study panel's thumbnail of a series (by its description's "<id>:" prefix) and waits for it to show.
 */
export async function openSeries(viewer: ViewerPage, id: string, file = `/${id}.dcm`): Promise<void> {
  const thumbnail = viewer.page
    .locator('[data-cy="study-browser-thumbnail"], [data-cy="study-browser-thumbnail-no-image"]')
    .filter({ hasText: `${id}:` })
    .first();
  await install(viewer);
  const shows = (timeout: number) =>
    viewer.page.waitForFunction(
      (suffix) => {
        const w = window as unknown as {
          __openedIn?: string;
          cornerstone: {
            getEnabledElements(): Array<{ viewportId: string; viewport: NonNullable<ReturnType<MainViewport>> }>;
          };
        };
        const showing = w.cornerstone
          .getEnabledElements()
          .find(
            (e) => !e.viewportId.startsWith('renderGPUViewport-') && e.viewport.getCurrentImageId().includes(suffix),
          );
        if (showing) w.__openedIn = showing.viewportId;
        return !!showing;
      },
      file,
      { timeout, polling: 200 },
    );
  await thumbnail.dblclick();
  // A double-click that lands while the panel re-renders is lost; a user would click again.
  await shows(10_000).catch(async () => {
    await thumbnail.dblclick();
    await shows(30_000).catch(async (error: Error) => {
      await viewer.page.screenshot({
        path: join(import.meta.dirname ?? '.', '..', 'artifacts', `open-series-failed-${id}.png`),
      });
      const current = await viewer.page.evaluate(() =>
        (window as unknown as { __mainViewport: MainViewport }).__mainViewport()?.getCurrentImageId(),
      );
      throw new Error(`${id} did not open (the viewport shows ${current}): ${error.message}`);
    });
  });
}

/** Mean brightness of the top-right 20% x 15% corner (background in every fixture) of each thumbnail, by series id. */
export async function thumbnailCorners(viewer: ViewerPage): Promise<Record<string, number>> {
  return viewer.page.evaluate(async () => {
    const out: Record<string, number> = {};
    for (const card of [...document.querySelectorAll('[data-cy="study-browser-thumbnail"]')]) {
      const img = card.querySelector('img');
      const id = /([a-z0-9-]+):/.exec(card.textContent ?? '')?.[1];
      if (!img || !id || !img.complete || img.naturalWidth === 0) continue;
      const c = document.createElement('canvas');
      c.width = img.naturalWidth;
      c.height = img.naturalHeight;
      const ctx = c.getContext('2d');
      if (!ctx) continue;
      ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(
        Math.floor(c.width * 0.8),
        0,
        Math.ceil(c.width * 0.2),
        Math.ceil(c.height * 0.15),
      ).data;
      let sum = 0;
      for (let i = 0; i < d.length; i += 4) sum += d[i] as number;
      out[id] = sum / (d.length / 4);
    }
    return out;
  });
}

/** Texts of OHIF's notifications (toasts) currently shown. */
export async function notifications(viewer: ViewerPage): Promise<string[]> {
  return viewer.page.evaluate(() =>
    [...document.querySelectorAll('[data-sonner-toast], .toast, [role="status"], [role="alert"]')]
      .map((e) => e.textContent ?? '')
      .filter((t) => t.trim().length > 0),
  );
}
