// Issue 15's memory finding: a series of three 5355x4915 16-bit images, one
// denoised, with Compare and Difference, peaked at 2.07-2.24 GiB in the tab's
// renderer. The floor: every image denoised, in Compare with Difference,
// under 1.5 GB (printed here; asserted against a generous ceiling). The
// images are made at test time; their breasts are small, so only the tiles
// near them run the model (a few minutes on WASM), while every buffer
// (original, denoised, difference, textures) is full size.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { start, studyUrl } from '../../scripts/start/start';
import { GENERATED_DIR, writeFixtureModelsDir } from '../fixtures/fixtureModel';
import { HOLOGIC_DETECTOR, writeHologicExam, writeLargeSeries, type WrittenStudy } from '../fixtures/stackStudies';
import type { ScreeningStudy } from '../../scripts/sample/screeningStudy';
import { describeMemoryFigures, runMemoryScenario, runScreeningMemoryScenario } from './memoryScenario';
import { waitForScreening } from './screeningPage';
import { shownImage } from './scannerPage';
import { launchChromium, ViewerPage } from './viewerPage';

const ARTIFACTS = join(import.meta.dirname ?? '.', '..', 'artifacts', 'memory');
mkdirSync(ARTIFACTS, { recursive: true });
const WIDTH = 5355;
const HEIGHT = 4915;
/**
 * Issue 15's floor is 1.5 GB (1430 MiB); not met: 1.96-1.99 GiB peak here
 * with the decode workers ending when idle and runs handed to the worker
 * (about 250 MB less at rest, the peak unchanged: it comes while Compare and
 * Difference change images, see the per-step lines this test prints). Per
 * DECISIONS (tests assert a generous ceiling), this guards against going back
 * to the unbounded caches and float copies, which with three images denoised
 * would pass 2.25 GiB.
 */
const RENDERER_CEILING_MB = 2304;
const root = join(GENERATED_DIR, 'memory-e2e');
/**
 * Issue 16's floor: a four-view Hologic exam (4 x 5355x4915, 16-bit), all four denoised, under 2 GB (1907 MiB);
 * not met either: 2.3 GiB with the four denoised, 2.5 GiB after Denoise off and on (npm run bench prints it). Each
 * view holds its original, its denoised image and its viewport's 32-bit float copy (headless Chromium's software
 * WebGL has no 16-bit textures), 263 MB a view. The ceiling catches a run kept twice or a cache that never bounds.
 */
const SCREENING_CEILING_MB = 2944;
let series: WrittenStudy;
let exam: ScreeningStudy;
let server: Server;
let base: string;
let browser: Browser;

before(async () => {
  series = writeLargeSeries(root, 'large', {
    count: 3,
    width: WIDTH,
    height: HEIGHT,
    breast: { width: 1400, height: 1800 },
    uidRoot: '2.25.1517',
  });
  exam = writeHologicExam(join(root, 'exam'), '2.25.1519');
  const modelsDir = mkdtempSync(join(tmpdir(), 'e2e-memory-models-'));
  writeFixtureModelsDir(modelsDir);
  // The product's defaults: tiles of 512 px; WASM (headless Chromium's WebGPU is a software adapter).
  const started = await start({
    port: 3993,
    models: modelsDir,
    build: true,
    dicom: root,
    extensionConfiguration: { executionProviders: ['wasm'] },
  });
  server = started.server;
  base = started.base;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** Denoised ids of the series held in Cornerstone's cache. */
async function denoisedInCache(viewer: ViewerPage): Promise<number> {
  return viewer.page.evaluate(`(() => {
    const cs = window.cornerstone;
    const ids = cs.getRenderingEngines().flatMap((e) => e.getViewports()).flatMap((v) => v.getImageIds())
      .map((id) => id.replace(/^denoised(-difference)?:[^:]+:/, ''));
    return [...new Set(ids)].filter((id) => cs.cache.getImage('denoised:fixture-residual:' + id)).length;
  })()`) as Promise<number>;
}

test(
  `three ${WIDTH}x${HEIGHT} 16-bit images, every one denoised, ` +
    `in Compare with Difference: the renderer stays under ${RENDERER_CEILING_MB} MB`,
  async () => {
    const viewer = await ViewerPage.open(browser, studyUrl(base, series.studyInstanceUid));
    try {
      const figures = await runMemoryScenario(viewer, 3, (line) => console.log(line));
      await viewer.screenshotViewport(join(ARTIFACTS, 'compare-difference.png'));
      const shown = await shownImage(viewer, 'mammo-denoise-denoised', false);
      assert.equal(shown.width, WIDTH);
      assert.ok((await denoisedInCache(viewer)) >= 2, 'denoised images stay cached within their budget');
      console.log(describeMemoryFigures(figures, `3 x ${WIDTH}x${HEIGHT} 16-bit`));
      assert.ok(figures.peakRendererMb < RENDERER_CEILING_MB, `the renderer peaked at ${figures.peakRendererMb} MB`);
    } finally {
      await viewer.close();
    }
  },
);

test(
  `a four-view exam of ${HOLOGIC_DETECTOR.width}x${HOLOGIC_DETECTOR.height} 16-bit, ` +
    `all four denoised in the screening layout: the renderer stays under ${SCREENING_CEILING_MB} MB`,
  async () => {
    const viewer = await ViewerPage.open(browser, studyUrl(base, exam.studyInstanceUid));
    try {
      await waitForScreening(viewer, 4, 300_000);
      const figures = await runScreeningMemoryScenario(viewer, (line) => console.log(line));
      await viewer.screenshotViewport(join(ARTIFACTS, 'four-views-denoised.png'));
      console.log(
        describeMemoryFigures(figures, `four views of ${HOLOGIC_DETECTOR.width}x${HOLOGIC_DETECTOR.height} 16-bit`),
      );
      assert.ok(figures.peakRendererMb < SCREENING_CEILING_MB, `the renderer peaked at ${figures.peakRendererMb} MB`);
    } finally {
      await viewer.close();
    }
  },
);
