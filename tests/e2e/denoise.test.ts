// The radiologist's path in the real, prebuilt OHIF in Debian's Chromium:
// open the sample study in the Denoise mode, press Denoise, and the viewport
// shows the engine's output for that image (checked against the same engine in
// Node); press again, and the original returns, pixel-exact.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { readPart10, denoiseImage, haloFor } from '@mammo-denoise/core';
import { storedImageFromDataset } from '@mammo-denoise/core/node';
import { start } from '../../scripts/start/start';
import { fixtureCpuRunner, fixtureModel, writeFixtureModelsDir } from '../fixtures/fixtureModel';
import { launchChromium, ViewerPage } from './viewerPage';

const ARTIFACTS = join(import.meta.dirname ?? '.', '..', 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });
const modelsDir = mkdtempSync(join(tmpdir(), 'e2e-models-'));
const model = writeFixtureModelsDir(modelsDir);
const second = addSecondModel(modelsDir);

/** A second configured model (the paper's architecture, untrained), listed after the default. */
function addSecondModel(dir: string): { id: string; name: string } {
  const { bytes } = fixtureModel('paper');
  const id = 'fixture-paper';
  const name = 'Second test fixture';
  const defaultCard = JSON.parse(readFileSync(join(dir, `${model.id}.json`), 'utf8')) as Record<string, unknown> & {
    onnx: Record<string, unknown>;
  };
  writeFileSync(join(dir, `${id}.onnx`), bytes);
  const card = {
    ...defaultCard,
    id,
    name,
    onnx: {
      ...defaultCard.onnx,
      file: `${id}.onnx`,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      bytes: bytes.length,
    },
    architecture: { id: 'paper' },
  };
  writeFileSync(join(dir, `${id}.json`), JSON.stringify(card, null, 2));
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { default: string; models: unknown[] };
  index.models.push({ id, onnx: `${id}.onnx`, card: `${id}.json` });
  writeFileSync(join(dir, 'index.json'), JSON.stringify(index, null, 2));
  return { id, name };
}
let server: Server;
let base: string;
let studyUid: string;
let studiesRoot: string;
let browser: Browser;

before(async () => {
  const started = await start({ port: 3917, models: modelsDir, build: true });
  server = started.server;
  base = started.base;
  studiesRoot = started.studiesRoot;
  studyUid = started.studies.find((s) => s.PatientID === 'PHANTOM-001')!.StudyInstanceUID;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** Stored values of the image the active viewport shows, read from Cornerstone's cache. */
async function shownPixels(viewer: ViewerPage): Promise<{ imageId: string; values: number[] }> {
  return viewer.page.evaluate(() => {
    const cs = (
      window as unknown as {
        cornerstone: {
          getRenderingEngines(): Array<{ getViewports(): Array<{ getCurrentImageId(): string }> }>;
          cache: { getImage(id: string): { voxelManager: { getScalarData(): ArrayLike<number> } } };
        };
      }
    ).cornerstone;
    const viewport = cs.getRenderingEngines()[0]!.getViewports()[0]!;
    const imageId = viewport.getCurrentImageId();
    return { imageId, values: Array.from(cs.cache.getImage(imageId).voxelManager.getScalarData()) };
  });
}

/**
 * The sample study is one breast's CC and MLO, so it hangs as the screening layout's CC | MLO row (issue 16) and
 * Denoise acts on both views: waits until every viewport's label is denoised (and names `text`, if given).
 */
async function waitForAllDenoised(viewer: ViewerPage, text = ''): Promise<void> {
  await viewer.page.waitForFunction(
    (t) => {
      const labels = [...document.querySelectorAll('[data-testid="denoise-label"]')];
      return (
        labels.length === document.querySelectorAll('.cornerstone-canvas').length &&
        labels.every((l) => (l as HTMLElement).dataset.state === 'denoised' && (l.textContent ?? '').includes(t))
      );
    },
    text,
    { timeout: 600_000, polling: 500 },
  );
}

test(
  "Denoise shows the engine's output for the stored pixels; " + 'pressing again restores the original exactly',
  async () => {
    const viewer = await ViewerPage.open(
      browser,
      `${base}/denoise?StudyInstanceUIDs=${studyUid}&url=/studies/index.json`,
    );
    try {
      await viewer.waitForImages(1);
      const original = await shownPixels(viewer);
      await viewer.screenshotViewport(join(ARTIFACTS, 'viewer-original.png'));

      await viewer.pressToolbar('MammoDenoise');
      await waitForAllDenoised(viewer);
      const label = await viewer.waitForLabel('denoised', 600_000);
      assert.match(label, /DENOISED · Untrained test fixture 0\.0\.0-fixture · (WASM|WebGPU)/);
      const denoised = await shownPixels(viewer);
      assert.match(denoised.imageId, new RegExp(`^denoised:${model.id}:`));
      await viewer.screenshotViewport(join(ARTIFACTS, 'viewer-denoised.png'));

      // The same image through the same engine in Node.
      const file = original.imageId.replace(/^dicomweb:\/studies\/files\//, '');
      const stored = storedImageFromDataset(readPart10(new Uint8Array(readFileSync(join(studiesRoot, file)))));
      assert.ok(stored.ok);
      assert.deepEqual(
        original.values.slice(0, 5000),
        Array.from(stored.image.pixels.slice(0, 5000)),
        'the viewer shows the stored values',
      );
      const runner = await fixtureCpuRunner(ort);
      const expected = await denoiseImage(stored.image, runner, { tileSize: 512, halo: haloFor(20) });
      await runner.release();
      const range = 2 ** stored.image.bitsStored - 1;
      let worst = 0;
      let changed = 0;
      for (let i = 0; i < expected.pixels.length; i += 1) {
        worst = Math.max(worst, Math.abs((denoised.values[i] as number) - (expected.pixels[i] as number)));
        if (denoised.values[i] !== original.values[i]) changed += 1;
      }
      assert.ok(worst <= 1e-3 * range + 1, `max difference ${worst} of range ${range}`);
      assert.ok(changed > expected.pixels.length * 0.1, `denoising changed ${changed} pixels`);

      await viewer.pressToolbar('MammoDenoise');
      await viewer.page.waitForFunction(
        () => document.querySelectorAll('[data-testid="denoise-label"]').length === 0,
        undefined,
        { timeout: 30_000 },
      );
      const back = await shownPixels(viewer);
      assert.equal(back.imageId, original.imageId);
      assert.deepEqual(back.values, original.values);
      await viewer.screenshotViewport(join(ARTIFACTS, 'viewer-original-again.png'));
    } finally {
      await viewer.close();
    }
  },
);

test('Compare lays out original | denoised; zoom and window/level on one follow on the other', async () => {
  const viewer = await ViewerPage.open(
    browser,
    `${base}/denoise?StudyInstanceUIDs=${studyUid}&url=/studies/index.json`,
  );
  try {
    await viewer.waitForImages(1);
    const canvases = await viewer.page.locator('.cornerstone-canvas').count();
    await viewer.openCompare();
    const before = await viewer.viewportStates();
    const original = before.find((s) => s.id === 'mammo-denoise-original');
    const denoised = before.find((s) => s.id === 'mammo-denoise-denoised');
    assert.ok(original && denoised, `two compare viewports, got ${before.map((s) => s.id).join(', ')}`);
    assert.equal(denoised.imageId, `denoised:${model.id}:${original.imageId}`);
    await viewer.setView('mammo-denoise-original', { zoom: 2.5, voi: { lower: 1500, upper: 3000 } });
    await viewer.waitForView('mammo-denoise-denoised', { zoom: 2.5, voiLower: 1500 });
    await viewer.screenshotViewport(join(ARTIFACTS, 'viewer-compare.png'));
    await viewer.pressToolbar('MammoDenoiseCompare');
    // Back to the layout Compare was opened from.
    await viewer.page.waitForFunction((n) => document.querySelectorAll('.cornerstone-canvas').length === n, canvases, {
      timeout: 20_000,
    });
  } finally {
    await viewer.close();
  }
});

test(
  'the model picker next to Denoise lists the default first; ' + 'picking a model while Denoise is on shows its result',
  async () => {
    const viewer = await ViewerPage.open(
      browser,
      `${base}/denoise?StudyInstanceUIDs=${studyUid}&url=/studies/index.json`,
    );
    try {
      await viewer.waitForImages(1);
      await viewer.page.locator('[data-cy="MammoDenoise"]').first().hover();
      await viewer.page
        .getByText('Denoise (D): show the active image denoised by Untrained test fixture')
        .first()
        .waitFor({ timeout: 10_000 });
      const entries = await viewer.openModelPicker();
      assert.deepEqual(entries, [
        'Denoise',
        '✓ Untrained test fixture 0.0.0-fixture (default)',
        'Second test fixture 0.0.0-fixture',
      ]);
      await viewer.page.keyboard.press('Escape');

      await viewer.pressToolbar('MammoDenoise');
      await waitForAllDenoised(viewer);
      assert.match(await viewer.waitForLabel('denoised', 600_000), /DENOISED · Untrained test fixture/);
      await viewer.pickModel(second.id);
      await waitForAllDenoised(viewer, second.name);
      const shown = await shownPixels(viewer);
      assert.match(shown.imageId, new RegExp(`^denoised:${second.id}:`));
      assert.deepEqual((await viewer.openModelPicker()).slice(1), [
        'Untrained test fixture 0.0.0-fixture (default)',
        '✓ Second test fixture 0.0.0-fixture',
      ]);
      await viewer.page.keyboard.press('Escape');
      await viewer.screenshotViewport(join(ARTIFACTS, 'viewer-second-model.png'));

      // M cycles back to the default, and the viewport follows.
      await viewer.page.locator('.cornerstone-canvas').first().click();
      await viewer.page.keyboard.press('m');
      await waitForAllDenoised(viewer, 'Untrained test fixture');
      assert.match((await shownPixels(viewer)).imageId, new RegExp(`^denoised:${model.id}:`));
    } finally {
      await viewer.close();
    }
  },
);

test(
  'Difference in Compare shows denoised − original with its own window; ' +
    'window/level of the original no longer drives it',
  async () => {
    const viewer = await ViewerPage.open(
      browser,
      `${base}/denoise?StudyInstanceUIDs=${studyUid}&url=/studies/index.json`,
    );
    try {
      await viewer.waitForImages(1);
      await viewer.openCompare();
      const voiBefore = (await viewer.viewportStates()).find((s) => s.id === 'mammo-denoise-original')!.voi;
      await viewer.pressToolbar('MammoDenoiseDifference');
      const label = await viewer.waitForLabel('difference', 120_000);
      assert.match(
        label,
        new RegExp(
          'DIFFERENCE: denoised − original · Untrained test fixture .* ' +
            'mid-grey = no change, white = brighter after denoising · window ±\\d',
        ),
      );
      await viewer.screenshotViewport(join(ARTIFACTS, 'viewer-compare-difference.png'));

      const check = await viewer.page.evaluate(() => {
        const cs = (
          window as unknown as {
            cornerstone: {
              getRenderingEngines(): Array<{
                getViewport(id: string): {
                  getCurrentImageId(): string;
                  getProperties(): { voiRange: { lower: number; upper: number }; invert: boolean };
                };
              }>;
              cache: { getImage(id: string): { voxelManager: { getScalarData(): ArrayLike<number> } } };
            };
          }
        ).cornerstone;
        const engine = cs.getRenderingEngines()[0]!;
        const right = engine.getViewport('mammo-denoise-denoised');
        const left = engine.getViewport('mammo-denoise-original');
        const differenceId = right.getCurrentImageId();
        const sourceId = left.getCurrentImageId();
        const modelId = differenceId.split(':')[1];
        const diff = cs.cache.getImage(differenceId).voxelManager.getScalarData();
        const original = cs.cache.getImage(sourceId).voxelManager.getScalarData();
        const denoised = cs.cache.getImage(`denoised:${modelId}:${sourceId}`).voxelManager.getScalarData();
        let worst = 0;
        let nonZero = 0;
        for (let i = 0; i < diff.length; i += 1) {
          worst = Math.max(worst, Math.abs((diff[i] as number) - ((denoised[i] as number) - (original[i] as number))));
          if (diff[i] !== 0) nonZero += 1;
        }
        return {
          differenceId,
          sourceId,
          worst,
          nonZero,
          length: diff.length,
          rightVoi: right.getProperties().voiRange,
          rightInvert: right.getProperties().invert,
          leftVoi: left.getProperties().voiRange,
        };
      });
      assert.equal(check.differenceId, `denoised-difference:${model.id}:${check.sourceId}`);
      assert.equal(check.worst, 0, 'difference = denoised − original, pixel by pixel');
      assert.ok(check.nonZero > check.length * 0.1, `${check.nonZero} changed pixels`);
      assert.ok(
        check.rightVoi.upper > 0 && Math.abs(check.rightVoi.lower + check.rightVoi.upper) < 1e-6,
        `difference window symmetric about 0: ${JSON.stringify(check.rightVoi)}`,
      );
      assert.equal(check.rightInvert, false);
      assert.deepEqual(check.leftVoi, voiBefore, 'the original keeps its window');

      // Window the original: the difference keeps its own window; back to denoised, it takes the original's again.
      await viewer.setVoi('mammo-denoise-original', { lower: 1500, upper: 3000 });
      const during = (await viewer.viewportStates()).find((s) => s.id === 'mammo-denoise-denoised')!;
      assert.deepEqual(during.voi, check.rightVoi);
      await viewer.pressToolbar('MammoDenoiseDifference');
      await viewer.waitForLabel('denoised', 60_000);
      const back = (await viewer.viewportStates()).find((s) => s.id === 'mammo-denoise-denoised')!;
      assert.equal(back.imageId, `denoised:${model.id}:${check.sourceId}`);
      assert.deepEqual(back.voi, { lower: 1500, upper: 3000 });
      await viewer.setVoi('mammo-denoise-original', { lower: 1000, upper: 2500 });
      await viewer.waitForView('mammo-denoise-denoised', { voiLower: 1000 });
    } finally {
      await viewer.close();
    }
  },
);
