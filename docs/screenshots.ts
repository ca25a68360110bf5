// Regenerates the viewer screenshots of README.md and docs/viewer.md with the models in models/ (the
// shipped default first): Compare (original | denoised) and its difference
// view, on the sample phantom, zoomed onto a cluster of calcification-like
// specks. Usage: flock /tmp/mammo-browser.lock npx tsx docs/screenshots.ts
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatePhantom, DEFAULT_PHANTOM } from '../scripts/sample/phantom';
import { writeSampleStudy } from '../scripts/sample/sampleStudy';
import { start } from '../scripts/start/start';
import { launchChromium, ViewerPage } from '../tests/e2e/viewerPage';

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const ZOOM = 3;

/** Notifications (e.g. "runs on WASM: no WebGPU") would cover the viewports: wait until they have gone. */
async function noToasts(viewer: ViewerPage): Promise<void> {
  await viewer.page.waitForFunction(() => document.querySelectorAll('[data-sonner-toast]').length === 0, undefined, {
    timeout: 60_000,
    polling: 500,
  });
}

async function main(): Promise<void> {
  // The phantom alone: OHIF's dicomjson source opens the first study of the list whatever StudyInstanceUIDs says.
  const sample = join(repoRoot, '.cache', 'sample');
  if (!existsSync(join(sample, 'phantom-L-CC.dcm'))) writeSampleStudy(sample);
  const only = mkdtempSync(join(tmpdir(), 'docs-phantom-'));
  copyFileSync(join(sample, 'phantom-L-CC.dcm'), join(only, 'phantom-L-CC.dcm'));
  const started = await start({ port: 3971, models: join(repoRoot, 'models'), dicom: only, build: true });
  const browser = await launchChromium();
  try {
    const phantom = started.studies.find((s) => s.PatientID === 'PHANTOM-001');
    if (!phantom) throw new Error('the sample phantom study is missing');
    // The CC view's specks, as generated (same seed as the sample study).
    const { specks } = generatePhantom({ ...DEFAULT_PHANTOM, seed: `${DEFAULT_PHANTOM.seed}-CC` });
    const target = specks[Math.floor(specks.length / 2)];
    if (!target) throw new Error('the phantom has no specks');
    const viewer = await ViewerPage.open(
      browser,
      `${started.base}/denoise?StudyInstanceUIDs=${phantom.StudyInstanceUID}&url=/studies/index.json`,
    );
    await viewer.waitForImages(1);
    await viewer.pressToolbar('MammoDenoiseCompare');
    await viewer.waitForImages(2);
    const label = await viewer.waitForLabel('denoised', 900_000);
    await viewer.page.evaluate(
      ({ x, y, zoom }) => {
        type Vp = {
          getCurrentImageId(): string;
          getCamera(): { focalPoint: number[]; position: number[] };
          setCamera(c: unknown): void;
          setZoom(z: number): void;
          render(): void;
        };
        const cs = (
          window as unknown as {
            cornerstone: {
              getRenderingEngines(): Array<{ getViewport(id: string): Vp }>;
              utilities: { imageToWorldCoords(id: string, p: number[]): number[] };
            };
          }
        ).cornerstone;
        const vp = cs.getRenderingEngines()[0]!.getViewport('mammo-denoise-original');
        const world = cs.utilities.imageToWorldCoords(vp.getCurrentImageId(), [x, y]);
        const camera = vp.getCamera();
        const offset = camera.position.map((p, i) => p - (camera.focalPoint[i] as number));
        vp.setCamera({ focalPoint: world, position: world.map((w, i) => w + (offset[i] as number)) });
        vp.setZoom(zoom);
        vp.render();
      },
      { x: target.x, y: target.y, zoom: ZOOM },
    );
    // The synchronizer and the render settle; nothing to await on for a still image.
    await viewer.page.waitForTimeout(1500);
    await noToasts(viewer);
    await viewer.screenshotViewport(join(repoRoot, 'docs', 'compare.png'));
    await viewer.pressToolbar('MammoDenoiseDifference');
    const difference = await viewer.waitForLabel('difference', 120_000);
    await viewer.page.waitForTimeout(1500);
    await noToasts(viewer);
    await viewer.screenshotViewport(join(repoRoot, 'docs', 'compare-difference.png'));
    console.log(
      `docs/compare.png: ${label}\n` +
        `docs/compare-difference.png: ${difference}\n` +
        `zoom ${ZOOM}x at speck (${target.x}, ${target.y})`,
    );
    await viewer.close();
  } finally {
    await browser.close();
    started.server.close();
  }
}

await main();
