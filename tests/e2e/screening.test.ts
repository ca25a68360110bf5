// Issue 16: a screening study hangs as a radiologist reads it, RCC | LCC over
// RMLO | LMLO, right breast on the left of the screen, chest walls meeting at
// the midline (Cornerstone flips and display area, pixels untouched), each
// view tagged and marked guessed where the header did not name it; two views
// get one row, one image OHIF's single viewport; Denoise denoises every view,
// one after another in the one worker, while zoom and pan still render.
// Phantom studies of 1914x2294 (the RSNA GE exam's size), real OHIF 3.13.2.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { start, studyUrl } from '../../scripts/start/start';
import { SCREENING_VIEWS, writeScreeningStudy, type ScreeningStudy } from '../../scripts/sample/screeningStudy';
import { GENERATED_DIR, writeFixtureModelsDir } from '../fixtures/fixtureModel';
import { chestWallX, screeningState, waitForScreening, type ScreeningViewportState } from './screeningPage';
import { launchChromium, ViewerPage } from './viewerPage';

const ARTIFACTS = join(import.meta.dirname ?? '.', '..', 'artifacts', 'screening');
const DOCS = join(import.meta.dirname ?? '.', '..', '..', 'docs');
mkdirSync(ARTIFACTS, { recursive: true });
const root = join(GENERATED_DIR, 'screening-e2e');
let fourViews: ScreeningStudy;
let guessed: ScreeningStudy;
let ccPair: ScreeningStudy;
let single: ScreeningStudy;
let current: ScreeningStudy;
let server: Server;
let base: string;
let browser: Browser;

before(async () => {
  rmSync(root, { recursive: true, force: true });
  fourViews = writeScreeningStudy(join(root, 'four'), { uidRoot: '2.25.160401', patientId: 'SCREEN-4' });
  // As the RSNA export: ImageLaterality only (no ViewPosition, view code or PatientOrientation).
  guessed = writeScreeningStudy(join(root, 'guessed'), {
    uidRoot: '2.25.160402',
    patientId: 'SCREEN-G',
    omit: ['ViewPosition', 'ViewCodeSequence', 'PatientOrientation'],
    description: 'Screening without ViewPosition',
  });
  ccPair = writeScreeningStudy(join(root, 'pair'), {
    uidRoot: '2.25.160403',
    patientId: 'SCREEN-2',
    views: SCREENING_VIEWS.filter((v) => v.view === 'CC'),
    description: 'CC pair',
  });
  single = writeScreeningStudy(join(root, 'single'), {
    uidRoot: '2.25.160404',
    patientId: 'SCREEN-1',
    views: [SCREENING_VIEWS[3]],
    description: 'One LMLO',
  });
  // A patient with two exams a year apart (small phantoms: this test is about hanging, not speed).
  const small = { width: 480, height: 576, bitsStored: 12, noiseSigma: 40 };
  writeScreeningStudy(join(root, 'with-prior', 'prior'), {
    uidRoot: '2.25.160405',
    patientId: 'SCREEN-P',
    studyDate: '20250105',
    phantom: { ...small, seed: 'prior-2025' },
    description: 'Screening 2025',
  });
  current = writeScreeningStudy(join(root, 'with-prior', 'current'), {
    uidRoot: '2.25.160406',
    patientId: 'SCREEN-P',
    studyDate: '20260107',
    phantom: { ...small, seed: 'current-2026' },
    description: 'Screening 2026',
  });
  const modelsDir = mkdtempSync(join(tmpdir(), 'e2e-screening-models-'));
  writeFixtureModelsDir(modelsDir);
  const started = await start({
    port: 4021,
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

const fileOf = (state: ScreeningViewportState) =>
  /screening-([RL](?:CC|MLO))\.dcm/.exec(state.imageId)?.[1] ?? state.imageId;

/**
 * The chest wall sits at the viewport edge that meets the screen's midline: right edge for R, left for L (within 1%).
 */
function assertChestWallAtMidline(states: ScreeningViewportState[]): void {
  for (const state of states) {
    const laterality = fileOf(state)[0];
    // The phantoms are stored the usual way: a right breast's chest wall at its stored right edge.
    const x = chestWallX(state, laterality === 'R' ? 'right' : 'left');
    const expected = laterality === 'R' ? 1 : 0;
    assert.ok(
      Math.abs(x - expected) < 0.01,
      `${state.id} (${fileOf(state)}): chest wall at ${x.toFixed(3)} of the viewport, expected ${expected}`,
    );
  }
}

/**
 * The layout settles after the images load (and after a re-hang):
 * waits until the chest walls are in place, then asserts.
 */
async function waitForChestWalls(
  viewer: ViewerPage,
  count: number,
  timeout = 30_000,
): Promise<ScreeningViewportState[]> {
  const started = Date.now();
  for (;;) {
    const states = await waitForScreening(viewer, count);
    try {
      assertChestWallAtMidline(states);
      return states;
    } catch (error) {
      if (Date.now() - started > timeout) throw error;
      await viewer.page.waitForTimeout(250);
    }
  }
}

test('four views: RCC | LCC over RMLO | LMLO, chest walls at the midline, views from the header', async () => {
  const viewer = await ViewerPage.open(browser, studyUrl(base, fourViews.studyInstanceUid));
  try {
    await viewer.waitForImages(4);
    const states = await waitForChestWalls(viewer, 4);
    assert.deepEqual(states.map(fileOf), ['RCC', 'LCC', 'RMLO', 'LMLO']);
    assert.deepEqual(
      states.map((s) => s.tag),
      ['RCC', 'LCC', 'RMLO', 'LMLO'],
    );
    assert.deepEqual(
      states.map((s) => s.guessed),
      [false, false, false, false],
    );
    // Right breast on the left of the screen.
    assert.ok((states[0] as ScreeningViewportState).pageLeft < (states[1] as ScreeningViewportState).pageLeft);
    await viewer.screenshotViewport(join(ARTIFACTS, 'four-views.png'));
    // Linked pan is mirrored within a pair: the right CC dragged towards the midline takes the left CC towards it
    // too; the MLOs do not move.
    const pans = await viewer.page.evaluate(`(() => {
      const engine = window.cornerstone.getRenderingEngines()[0];
      const vp = (id) => engine.getViewport(id);
      vp('mammo-screening-rcc').setPan([40, -12]);
      vp('mammo-screening-rcc').render();
      return ['mammo-screening-lcc', 'mammo-screening-lmlo'].map((id) => vp(id).getPan().map(Math.round));
    })()`);
    assert.deepEqual(pans, [
      [-40, -12],
      [0, 0],
    ]);
    // docs/screening.png is tracked: refreshed only when asked (MAMMO_DENOISE_UPDATE_DOCS=1), never by a plain run.
    if (process.env.MAMMO_DENOISE_UPDATE_DOCS === '1')
      copyFileSync(join(ARTIFACTS, 'four-views.png'), join(DOCS, 'screening.png'));
  } finally {
    await viewer.close();
  }
});

test(
  'missing ViewPosition, view code and PatientOrientation: ' +
    'views guessed from the pixels, each marked guessed, same places',
  async () => {
    const viewer = await ViewerPage.open(browser, studyUrl(base, guessed.studyInstanceUid));
    try {
      await viewer.waitForImages(4);
      // The first hanging uses laterality alone; the pixels, once loaded, re-hang the MLOs.
      const started = Date.now();
      let states = await waitForScreening(viewer, 4);
      while (states.map(fileOf).join() !== 'RCC,LCC,RMLO,LMLO' && Date.now() - started < 60_000) {
        await viewer.page.waitForTimeout(500);
        states = await waitForScreening(viewer, 4);
      }
      assert.deepEqual(states.map(fileOf), ['RCC', 'LCC', 'RMLO', 'LMLO']);
      assert.deepEqual(
        states.map((s) => s.guessed),
        [true, true, true, true],
      );
      await waitForChestWalls(viewer, 4);
      const texts = await viewer.page.locator('[data-testid="screening-view"]').allTextContents();
      assert.ok(
        texts.every((t) => /guessed: view from the image/.test(t)),
        texts.join(' | '),
      );
      await viewer.screenshotViewport(join(ARTIFACTS, 'guessed-views.png'));
    } finally {
      await viewer.close();
    }
  },
);

test('two views (the CC pair): one row, RCC | LCC, chest walls at the midline', async () => {
  const viewer = await ViewerPage.open(browser, studyUrl(base, ccPair.studyInstanceUid));
  try {
    await viewer.waitForImages(2);
    const states = await waitForChestWalls(viewer, 2);
    assert.deepEqual(states.map(fileOf), ['RCC', 'LCC']);
    assert.equal(await viewer.page.locator('.cornerstone-canvas').count(), 2, 'no empty MLO row');
  } finally {
    await viewer.close();
  }
});

test('a single image keeps OHIF’s single viewport, and Denoise acts on it alone', async () => {
  const viewer = await ViewerPage.open(browser, studyUrl(base, single.studyInstanceUid));
  try {
    await viewer.waitForImages(1);
    assert.equal(await viewer.page.locator('.cornerstone-canvas').count(), 1);
    assert.deepEqual(await screeningState(viewer), [], 'not the screening protocol');
  } finally {
    await viewer.close();
  }
});

/** Renders counted by the page's probe (Cornerstone's IMAGE_RENDERED). */
const renders = (viewer: ViewerPage) =>
  viewer.page.evaluate(() => (window as unknown as { __renders: number }).__renders);

test(
  'Denoise in the layout denoises all four views in the one worker, ' +
    'not much slower than one view at a time, and zoom/pan render meanwhile',
  async () => {
    // One view's time: the single 1914x2294 image of the same phantom.
    const one = await ViewerPage.open(browser, studyUrl(base, single.studyInstanceUid));
    let oneSeconds: number;
    try {
      await one.waitForImages(1);
      const t0 = Date.now();
      await one.pressToolbar('MammoDenoise');
      const outcome = await one.waitForDenoisedOrFailure(600_000);
      assert.equal(outcome.failure, undefined, outcome.failure);
      // The engine's own time for the image (the label's), not the wall time from the press, which also holds
      // the model's first session: one view's time is then not inflated and the ratio not flattered.
      const engine = /· ([\d.]+) s/.exec(outcome.label);
      assert.ok(engine, outcome.label);
      oneSeconds = Number(engine[1]);
      console.log(
        `one view: ${oneSeconds.toFixed(1)} s in the engine, ${((Date.now() - t0) / 1000).toFixed(1)} s from the press`,
      );
    } finally {
      await one.close();
    }

    const viewer = await ViewerPage.open(browser, studyUrl(base, fourViews.studyInstanceUid));
    try {
      await viewer.waitForImages(4);
      await waitForScreening(viewer, 4);
      const t0 = Date.now();
      await viewer.pressToolbar('MammoDenoise');
      // Every viewport shows its own progress while it waits or works.
      await viewer.page.waitForFunction(
        () => document.querySelectorAll('[data-testid="denoise-label"]').length === 4,
        undefined,
        { timeout: 60_000 },
      );
      // Meanwhile zoom (linked within the CC pair) renders within 2 s.
      const before = await renders(viewer);
      const zoomStarted = Date.now();
      await viewer.setView('mammo-screening-rcc', { zoom: 1.5 });
      await viewer.waitForView('mammo-screening-lcc', { zoom: 1.5 }, 10_000);
      await viewer.page.waitForFunction((n) => (window as unknown as { __renders: number }).__renders > n, before, {
        timeout: 10_000,
      });
      const zoomSeconds = (Date.now() - zoomStarted) / 1000;
      await viewer.page.waitForFunction(
        () => document.querySelectorAll('[data-testid="denoise-label"][data-state="denoised"]').length === 4,
        undefined,
        { timeout: 600_000, polling: 500 },
      );
      const allSeconds = (Date.now() - t0) / 1000;
      const states = await viewer.viewportStates();
      const shown = states.filter((s) => s.id.startsWith('mammo-screening-'));
      assert.equal(shown.length, 4);
      assert.ok(
        shown.every((s) => s.imageId.startsWith('denoised:')),
        JSON.stringify(shown.map((s) => s.imageId)),
      );
      console.log(
        `denoise-all: one view ${oneSeconds.toFixed(1)} s, ` +
          `all four ${allSeconds.toFixed(1)} s (${(allSeconds / oneSeconds).toFixed(2)}x, ` +
          `floor 4.5x); zoom linked and rendered in ${zoomSeconds.toFixed(2)} s meanwhile`,
      );
      // The 4.5x floor is a speed target: npm run bench measures and prints it (bench/screeningCase.ts). Here, on a
      // loaded 2-core machine with zoom interleaved, a generous ceiling catches what breaks the design (views run
      // twice, in separate workers fighting for the cores, or each waiting for a render): 4.67x was measured in CI.
      assert.ok(
        allSeconds <= 6 * oneSeconds,
        `all four took ${allSeconds.toFixed(1)} s, ${(allSeconds / oneSeconds).toFixed(2)}x one view`,
      );
      assert.ok(zoomSeconds < 2, `zoom took ${zoomSeconds.toFixed(2)} s to render while denoising`);
      await viewer.screenshotViewport(join(ARTIFACTS, 'four-views-denoised.png'));
      // Pressed again: every view back to its original.
      await viewer.pressToolbar('MammoDenoise');
      await viewer.page.waitForFunction(
        () => document.querySelectorAll('[data-testid="denoise-label"]').length === 0,
        undefined,
        { timeout: 30_000 },
      );
      // Compare acts on the active view (the LCC): original | denoised of that image, then back to the four views.
      const lcc = (await screeningState(viewer)).find((v) => v.id === 'mammo-screening-lcc') as ScreeningViewportState;
      await viewer.page.mouse.click(lcc.pageLeft + lcc.pageWidth / 2, lcc.pageTop + lcc.pageHeight / 2);
      await viewer.pressToolbar('MammoDenoiseCompare');
      await viewer.waitForLabel('denoised', 120_000);
      await viewer.page.waitForFunction(
        () => document.querySelectorAll('.cornerstone-canvas').length === 2,
        undefined,
        {
          timeout: 30_000,
        },
      );
      const compared = (await viewer.viewportStates()).filter((s) => s.id.startsWith('mammo-denoise-'));
      assert.equal(compared.length, 2);
      assert.ok(
        compared.every((s) => /screening-LCC\.dcm$/.test(s.imageId)),
        JSON.stringify(compared.map((s) => s.imageId)),
      );
      await viewer.pressToolbar('MammoDenoiseCompare');
      const back = await waitForChestWalls(viewer, 4);
      assert.deepEqual(back.map(fileOf), ['RCC', 'LCC', 'RMLO', 'LMLO']);
    } finally {
      await viewer.close();
    }
  },
);

/** Presses Prior until the prior stage shows (a press before the prior is loaded finds the button disabled). */
async function pressPriorUntil(viewer: ViewerPage, ids: string[]): Promise<ScreeningViewportState[]> {
  for (let attempt = 0; attempt < 12; attempt += 1) {
    await viewer.pressToolbar('MammoScreeningPrior');
    const started = Date.now();
    while (Date.now() - started < 5_000) {
      const states = await screeningState(viewer);
      if (ids.every((id) => states.some((s) => s.id === id && s.imageId && s.tag))) return states;
      await viewer.page.waitForTimeout(250);
    }
  }
  throw new Error(`the prior stage did not show ${ids.join(', ')}: ${JSON.stringify(await screeningState(viewer))}`);
}

test(
  'a prior exam of the patient: Prior hangs current over prior (CC, then MLO, then back), ' +
    'tagged with its date, and Denoise takes both',
  async () => {
    const viewer = await ViewerPage.open(browser, studyUrl(base, current.studyInstanceUid));
    const fromStudy = (state: ScreeningViewportState) =>
      state.imageId.includes('/with-prior/prior/')
        ? 'prior'
        : state.imageId.includes('/with-prior/current/')
          ? 'current'
          : '?';
    try {
      await viewer.waitForImages(4);
      await waitForChestWalls(viewer, 4);
      const cc = await pressPriorUntil(viewer, ['mammo-screening-rcc-prior', 'mammo-screening-lcc-prior']);
      const shown = cc.filter((s) => s.imageId);
      assert.deepEqual(
        shown.map((s) => `${s.id} ${fileOf(s)} ${fromStudy(s)} ${s.prior ?? '-'}`),
        [
          'mammo-screening-rcc RCC current -',
          'mammo-screening-lcc LCC current -',
          'mammo-screening-rcc-prior RCC prior 2025-01-05',
          'mammo-screening-lcc-prior LCC prior 2025-01-05',
        ],
      );
      // Current row over the prior row, each mirrored back to back with the chest walls at the midline.
      const [rcc, lcc, rccPrior] = shown as [ScreeningViewportState, ScreeningViewportState, ScreeningViewportState];
      assert.ok(rcc.pageLeft < lcc.pageLeft && rcc.pageTop < rccPrior.pageTop);
      assertChestWallAtMidline(await waitForChestWalls(viewer, 4));
      await viewer.screenshotViewport(join(ARTIFACTS, 'prior-cc.png'));
      if (process.env.MAMMO_DENOISE_UPDATE_DOCS === '1')
        copyFileSync(join(ARTIFACTS, 'prior-cc.png'), join(DOCS, 'screening-prior.png'));
      // Denoise takes all four viewports of the stage, the prior's too.
      await viewer.pressToolbar('MammoDenoise');
      await viewer.page.waitForFunction(
        () => document.querySelectorAll('[data-testid="denoise-label"][data-state="denoised"]').length === 4,
        undefined,
        { timeout: 300_000, polling: 500 },
      );
      await viewer.pressToolbar('MammoDenoise');
      await viewer.page.waitForFunction(
        () => document.querySelectorAll('[data-testid="denoise-label"]').length === 0,
        undefined,
        { timeout: 30_000 },
      );
      // Pressed again: the MLO pairs; then back to the current exam's four views.
      await viewer.pressToolbar('MammoScreeningPrior');
      const mlo = await waitForStates(viewer, (states) =>
        ['mammo-screening-rmlo-prior', 'mammo-screening-lmlo-prior'].every((id) =>
          states.some((s) => s.id === id && s.imageId),
        ),
      );
      assert.deepEqual(
        mlo.filter((s) => s.imageId).map((s) => `${fileOf(s)} ${fromStudy(s)}`),
        ['RMLO current', 'LMLO current', 'RMLO prior', 'LMLO prior'],
      );
      await viewer.pressToolbar('MammoScreeningPrior');
      const back = await waitForStates(
        viewer,
        (states) => states.length === 4 && states.every((s) => s.imageId && !s.id.endsWith('-prior')),
      );
      assert.deepEqual(
        back.map((s) => `${fileOf(s)} ${fromStudy(s)}`),
        ['RCC current', 'LCC current', 'RMLO current', 'LMLO current'],
      );
    } finally {
      await viewer.close();
    }
  },
);

test('without an earlier exam of the patient the Prior button does nothing', async () => {
  const viewer = await ViewerPage.open(browser, studyUrl(base, fourViews.studyInstanceUid));
  try {
    await viewer.waitForImages(4);
    await waitForChestWalls(viewer, 4);
    await viewer.pressToolbar('MammoScreeningPrior');
    await viewer.page.waitForTimeout(2_000);
    const states = await screeningState(viewer);
    assert.deepEqual(
      states.map((s) => s.id),
      ['mammo-screening-rcc', 'mammo-screening-lcc', 'mammo-screening-rmlo', 'mammo-screening-lmlo'],
    );
  } finally {
    await viewer.close();
  }
});

async function waitForStates(
  viewer: ViewerPage,
  ready: (states: ScreeningViewportState[]) => boolean,
  timeout = 30_000,
): Promise<ScreeningViewportState[]> {
  const started = Date.now();
  for (;;) {
    const states = await screeningState(viewer);
    if (ready(states)) return states;
    if (Date.now() - started > timeout)
      throw new Error(`screening viewports not as expected: ${JSON.stringify(states)}`);
    await viewer.page.waitForTimeout(250);
  }
}
