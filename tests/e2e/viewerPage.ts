import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { requireTool } from '../fixtures/tools';

/**
 * Page object for OHIF with the Denoise mode, in Debian's Chromium. Waits on
 * render signals (Cornerstone's IMAGE_RENDERED, a lit canvas, our label),
 * never on sleeps.
 */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  const executablePath = requireTool('chromium', 'chromium');
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu-sandbox', ...extraArgs],
  });
}

const RENDER_PROBE = `
  window.__renders = 0;
  document.addEventListener('CORNERSTONE_IMAGE_RENDERED', () => { window.__renders += 1; }, true);
`;

export class ViewerPage {
  readonly console: string[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on('console', (m) => this.console.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => this.console.push(`pageerror: ${e.message}`));
  }

  static async open(browser: Browser, url: string): Promise<ViewerPage> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.addInitScript(RENDER_PROBE);
    const page = await context.newPage();
    const viewer = new ViewerPage(context, page);
    await page.goto(url);
    return viewer;
  }

  /** Waits until `count` viewports have rendered a non-blank image. */
  async waitForImages(count = 1, timeout = 60_000): Promise<void> {
    await this.page.waitForFunction(
      (n) => {
        const canvases = [...document.querySelectorAll<HTMLCanvasElement>('.cornerstone-canvas')];
        if ((window as unknown as { __renders: number }).__renders < 1 || canvases.length < n) return false;
        return canvases.slice(0, n).every((c) => {
          const probe = document.createElement('canvas');
          probe.width = 64;
          probe.height = 64;
          const ctx = probe.getContext('2d');
          if (!ctx || c.width === 0) return false;
          ctx.drawImage(c, 0, 0, 64, 64);
          const d = ctx.getImageData(0, 0, 64, 64).data;
          let lit = 0;
          for (let i = 0; i < d.length; i += 4) if ((d[i] as number) > 16) lit += 1;
          return lit > 64 * 64 * 0.05;
        });
      },
      count,
      { timeout, polling: 250 },
    );
  }

  button(label: string) {
    return this.page.locator(`[data-cy="${label}"], button[aria-label="${label}"], [data-tool="${label}"]`).first();
  }

  async pressToolbar(id: string): Promise<void> {
    await this.page.locator(`[data-cy="${id}"]`).first().click();
  }

  /** Waits for the viewport label to reach a state ("denoised", "working", "error") and returns its text. */
  async waitForLabel(state: string, timeout = 300_000, nth = 0): Promise<string> {
    const label = this.page.locator(`[data-testid="denoise-label"][data-state="${state}"]`).nth(nth);
    await label.waitFor({ timeout });
    return (await label.textContent()) ?? '';
  }

  /**
   * Waits until the viewport is denoised or the viewer reports a failure
   * (its notification), and returns the label or the notification's text, so
   * a failing test says why rather than timing out.
   */
  async waitForDenoisedOrFailure(
    timeout = 300_000,
  ): Promise<{ label: string; failure?: undefined } | { label: ''; failure: string }> {
    const handle = await this.page.waitForFunction(
      () => {
        const label = document.querySelector('[data-testid="denoise-label"][data-state="denoised"]');
        if (label) return { label: label.textContent ?? '' };
        const toast = [...document.querySelectorAll('[data-sonner-toast]')].find((t) =>
          /Denoising failed|Denoise is unavailable|Denoise configuration/.test(t.textContent ?? ''),
        );
        return toast ? { label: '', failure: (toast as HTMLElement).innerText } : null;
      },
      undefined,
      { timeout, polling: 500 },
    );
    return (await handle.jsonValue()) as { label: string } | { label: ''; failure: string };
  }

  /** Opens the split button's menu next to Denoise and returns its entries' texts. */
  async openModelPicker(): Promise<string[]> {
    await this.page.locator('[data-cy="MammoDenoiseSection-split-button-secondary"] button').first().click();
    const items = this.page.locator('[role="menuitem"]');
    await items.first().waitFor({ timeout: 10_000 });
    return (await items.allTextContents()).map((t) => t.trim());
  }

  async pickModel(modelId: string): Promise<void> {
    await this.openModelPicker();
    await this.page.locator(`[role="menuitem"][data-cy="MammoDenoiseModel-${modelId}"]`).click();
  }

  /** Zoom, shown image and window of every viewport, from Cornerstone. */
  async viewportStates(): Promise<
    Array<{ id: string; zoom: number; imageId: string; voi: { lower: number; upper: number } }>
  > {
    return this.page.evaluate(() => {
      const cs = (
        window as unknown as {
          cornerstone: {
            getRenderingEngines(): Array<{
              getViewports(): Array<{
                id: string;
                getZoom(): number;
                getCurrentImageId(): string;
                getProperties(): { voiRange: { lower: number; upper: number } };
              }>;
            }>;
          };
        }
      ).cornerstone;
      return cs
        .getRenderingEngines()[0]!
        .getViewports()
        .map((vp) => ({
          id: vp.id,
          zoom: vp.getZoom(),
          imageId: vp.getCurrentImageId(),
          voi: vp.getProperties().voiRange,
        }));
    });
  }

  /** Presses Compare and waits for both panes, the right one denoised. */
  async openCompare(timeout = 600_000): Promise<void> {
    await this.pressToolbar('MammoDenoiseCompare');
    await this.waitForImages(2);
    await this.waitForLabel('denoised', timeout);
  }

  /** Sets a viewport's window the way the tools do (set + render, which fires the events synchronizers listen to). */
  async setVoi(viewportId: string, voiRange: { lower: number; upper: number }): Promise<void> {
    await this.setView(viewportId, { voi: voiRange });
  }

  /**
   * Sets a viewport's zoom and/or window as the tools do: set, then
   * render, which fires the camera/VOI events synchronizers listen to.
   */
  async setView(viewportId: string, view: { zoom?: number; voi?: { lower: number; upper: number } }): Promise<void> {
    await this.page.evaluate(
      ({ id, zoom, voi }) => {
        const cs = (
          window as unknown as {
            cornerstone: {
              getRenderingEngines(): Array<{
                getViewport(id: string): { setZoom(z: number): void; setProperties(p: unknown): void; render(): void };
              }>;
            };
          }
        ).cornerstone;
        const vp = cs.getRenderingEngines()[0]!.getViewport(id);
        if (zoom !== undefined) vp.setZoom(zoom);
        if (voi) vp.setProperties({ voiRange: voi });
        vp.render();
      },
      { id: viewportId, zoom: view.zoom, voi: view.voi },
    );
  }

  /** Waits until a viewport shows this zoom (within 0.01) and/or this window's lower bound (within 1). */
  async waitForView(viewportId: string, view: { zoom?: number; voiLower?: number }, timeout = 10_000): Promise<void> {
    await this.page.waitForFunction(
      ({ id, zoom, voiLower }) => {
        const cs = (
          window as unknown as {
            cornerstone: {
              getRenderingEngines(): Array<{
                getViewport(id: string): { getZoom(): number; getProperties(): { voiRange: { lower: number } } };
              }>;
            };
          }
        ).cornerstone;
        const vp = cs.getRenderingEngines()[0]!.getViewport(id);
        return (
          (zoom === undefined || Math.abs(vp.getZoom() - zoom) < 0.01) &&
          (voiLower === undefined || Math.abs(vp.getProperties().voiRange.lower - voiLower) < 1)
        );
      },
      { id: viewportId, zoom: view.zoom, voiLower: view.voiLower },
      { timeout },
    );
  }

  /**
   * Scrolls a viewport's stack with the mouse wheel, as a user does, until it shows stack position `index` (0-based).
   */
  async scrollTo(index: number, viewportId?: string): Promise<void> {
    const currentIndex = () =>
      this.page.evaluate((id) => {
        const cs = (
          window as unknown as {
            cornerstone: {
              getEnabledElements(): Array<{
                viewportId: string;
                viewport: { getCurrentImageIdIndex(): number; element: HTMLElement };
              }>;
            };
          }
        ).cornerstone;
        const enabled = cs.getEnabledElements().filter((e) => !e.viewportId.startsWith('renderGPUViewport-'));
        const found = (id ? enabled.find((e) => e.viewportId === id) : undefined) ?? enabled[0];
        if (!found) return { index: -1, box: null };
        const r = found.viewport.element.getBoundingClientRect();
        return { index: found.viewport.getCurrentImageIdIndex(), box: { x: r.x + r.width / 2, y: r.y + r.height / 2 } };
      }, viewportId ?? null);
    for (let tries = 0; tries < 20; tries += 1) {
      const { index: now, box } = await currentIndex();
      if (now === index) return;
      if (!box) throw new Error('no viewport to scroll');
      await this.page.mouse.move(box.x, box.y);
      await this.page.mouse.wheel(0, now < index ? 120 : -120);
      await this.page
        .waitForFunction(
          ([id, before]) => {
            const cs = (
              window as unknown as {
                cornerstone: {
                  getEnabledElements(): Array<{ viewportId: string; viewport: { getCurrentImageIdIndex(): number } }>;
                };
              }
            ).cornerstone;
            const enabled = cs.getEnabledElements().filter((e) => !e.viewportId.startsWith('renderGPUViewport-'));
            const found = (id ? enabled.find((e) => e.viewportId === id) : undefined) ?? enabled[0];
            return found?.viewport.getCurrentImageIdIndex() !== before;
          },
          [viewportId ?? null, now] as const,
          { timeout: 5_000 },
        )
        .catch(() => undefined);
    }
    throw new Error(`the viewport did not scroll to position ${index}`);
  }

  /** Texts of OHIF's notifications (toasts) shown now. */
  async toasts(): Promise<string[]> {
    return this.page.evaluate(() =>
      [...document.querySelectorAll('[data-sonner-toast]')].map((t) => (t as HTMLElement).innerText),
    );
  }

  async screenshotViewport(path: string): Promise<void> {
    const grid = this.page.locator('[data-cy="viewport-grid"], .viewport-grid, #viewport-grid').first();
    if (await grid.count()) await grid.screenshot({ path });
    else await this.page.screenshot({ path });
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
