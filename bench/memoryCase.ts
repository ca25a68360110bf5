import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { start, studyUrl } from '../scripts/start/start';
import { writeFixtureModelsDir } from '../tests/fixtures/fixtureModel';
import { writeLargeSeries } from '../tests/fixtures/stackStudies';
import { describeMemoryFigures, runMemoryScenario, type MemoryFigures } from '../tests/e2e/memoryScenario';
import { launchChromium, ViewerPage } from '../tests/e2e/viewerPage';

/** Issue 15's floor: the renderer under 1.5 GB (1.5e9 bytes, 1431 MiB). */
export const MEMORY_FLOOR_MB = Math.floor(1.5e9 / 2 ** 20);
const WIDTH = 5355;
const HEIGHT = 4915;

/**
 * The memory figure of `npm run bench`: three 5355x4915 16-bit images made
 * now (small breasts, so only the tiles near them run the model: the figure is
 * memory, not speed; the fixture network has the shipped contract), every one
 * denoised, Compare with Difference over all three, in Chromium on WASM.
 */
export async function measureMemoryFloor(port = 4012): Promise<MemoryFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-memory-'));
  try {
    const series = writeLargeSeries(dir, 'large', {
      count: 3,
      width: WIDTH,
      height: HEIGHT,
      breast: { width: 1400, height: 1800 },
      uidRoot: '2.25.1518',
    });
    return await withFixtureViewer(
      { port, models: join(dir, 'models'), dicom: join(dir, 'large'), studyUid: series.studyInstanceUid },
      (viewer) => runMemoryScenario(viewer, 3),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Starts the viewer on `dicom` with the fixture network (the shipped contract; memory figures do not depend
 * on its weights) on WASM, opens the study in Chromium and runs `measure` on the page; stops all after.
 */
export async function withFixtureViewer<T>(
  options: { port: number; models: string; dicom: string; studyUid: string },
  measure: (viewer: ViewerPage) => Promise<T>,
): Promise<T> {
  writeFixtureModelsDir(options.models);
  const started = await start({
    port: options.port,
    models: options.models,
    build: false,
    dicom: options.dicom,
    extensionConfiguration: { executionProviders: ['wasm'] },
  });
  const browser = await launchChromium();
  try {
    const viewer = await ViewerPage.open(browser, studyUrl(started.base, options.studyUid));
    try {
      return await measure(viewer);
    } finally {
      await viewer.close();
    }
  } finally {
    await browser.close();
    started.server.close();
  }
}

export const describeMemoryFloor = (f: MemoryFigures) =>
  `${describeMemoryFigures(f, `3 x ${WIDTH}x${HEIGHT} 16-bit`)}; ` +
  `issue 15's floor ${MEMORY_FLOOR_MB} MiB (1.5 GB): ${f.peakRendererMb < MEMORY_FLOOR_MB ? 'met' : 'not met'}`;
