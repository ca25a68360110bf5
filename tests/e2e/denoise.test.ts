// The radiologist's path in the real, prebuilt OHIF in Debian's Chromium:
// open the sample study in the Denoise mode, press Denoise, and the viewport
// shows the engine's output for that image (checked against the same engine in
// Node); press again, and the original returns, pixel-exact.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { readPart10 } from '../../extension/src/dicom/part10';
import { storedImageFromDataset } from '../../extension/src/dicom/storedImage';
import { denoiseImage } from '../../extension/src/engine/denoiseImage';
import { createOrtRunner } from '../../extension/src/engine/runner';
import { haloFor } from '../../extension/src/engine/tiling';
import { start } from '../../scripts/start/start';
import { fixtureModel, writeFixtureModelsDir } from '../fixtures/fixtureModel';
import { launchChromium, ViewerPage } from './viewerPage';

const ARTIFACTS = join(import.meta.dirname ?? '.', '..', 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });
const modelsDir = mkdtempSync(join(tmpdir(), 'e2e-models-'));
const model = writeFixtureModelsDir(modelsDir);
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
    const cs = (window as unknown as { cornerstone: { getRenderingEngines(): Array<{ getViewports(): Array<{ getCurrentImageId(): string }> }>; cache: { getImage(id: string): { voxelManager: { getScalarData(): ArrayLike<number> } } } } }).cornerstone;
    const viewport = cs.getRenderingEngines()[0]!.getViewports()[0]!;
    const imageId = viewport.getCurrentImageId();
    return { imageId, values: Array.from(cs.cache.getImage(imageId).voxelManager.getScalarData()) };
  });
}

test('Denoise shows the engine\'s output for the stored pixels; pressing again restores the original exactly', async () => {
  const viewer = await ViewerPage.open(browser, `${base}/denoise?StudyInstanceUIDs=${studyUid}&url=/studies/index.json`);
  try {
    await viewer.waitForImages(1);
    const original = await shownPixels(viewer);
    await viewer.screenshotViewport(join(ARTIFACTS, 'viewer-original.png'));

    await viewer.pressToolbar('MammoDenoise');
    const label = await viewer.waitForLabel('denoised', 600_000);
    assert.match(label, /DENOISED · Untrained test fixture 0\.0\.0-fixture · (WASM|WebGPU)/);
    const denoised = await shownPixels(viewer);
    assert.match(denoised.imageId, new RegExp(`^denoised:${model.id}:`));
    await viewer.screenshotViewport(join(ARTIFACTS, 'viewer-denoised.png'));

    // The same image through the same engine in Node.
    const file = original.imageId.replace(/^dicomweb:\/studies\/files\//, '');
    const stored = storedImageFromDataset(readPart10(new Uint8Array(readFileSync(join(studiesRoot, file)))));
    assert.ok(stored.ok);
    assert.deepEqual(original.values.slice(0, 5000), Array.from(stored.image.pixels.slice(0, 5000)), 'the viewer shows the stored values');
    const runner = await createOrtRunner(ort, fixtureModel().bytes, { inputName: 'input', outputName: 'output', executionProviders: ['cpu'] });
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
    await viewer.page.locator('[data-testid="denoise-label"]').waitFor({ state: 'detached', timeout: 30_000 });
    const back = await shownPixels(viewer);
    assert.equal(back.imageId, original.imageId);
    assert.deepEqual(back.values, original.values);
    await viewer.screenshotViewport(join(ARTIFACTS, 'viewer-original-again.png'));
  } finally {
    await viewer.close();
  }
});

test('Compare lays out original | denoised; zoom and window/level on one follow on the other', async () => {
  const viewer = await ViewerPage.open(browser, `${base}/denoise?StudyInstanceUIDs=${studyUid}&url=/studies/index.json`);
  try {
    await viewer.waitForImages(1);
    await viewer.pressToolbar('MammoDenoiseCompare');
    await viewer.waitForImages(2);
    await viewer.waitForLabel('denoised', 600_000);
    type ViewportState = { id: string; zoom: number; imageId: string; voi: { lower: number; upper: number } };
    const states = () =>
      viewer.page.evaluate(() => {
        const cs = (window as unknown as { cornerstone: { getRenderingEngines(): Array<{ getViewports(): Array<{ id: string; getZoom(): number; getCurrentImageId(): string; getProperties(): { voiRange: { lower: number; upper: number } } }> }> } }).cornerstone;
        return cs.getRenderingEngines()[0]!.getViewports().map((vp) => ({ id: vp.id, zoom: vp.getZoom(), imageId: vp.getCurrentImageId(), voi: vp.getProperties().voiRange }));
      }) as Promise<ViewportState[]>;
    const before = await states();
    const original = before.find((s) => s.id === 'mammo-denoise-original');
    const denoised = before.find((s) => s.id === 'mammo-denoise-denoised');
    assert.ok(original && denoised, `two compare viewports, got ${before.map((s) => s.id).join(', ')}`);
    assert.equal(denoised.imageId, `denoised:${model.id}:${original.imageId}`);
    // Zoom and window the original the way the tools do (set + render, which fires the camera/VOI events the synchronizers listen to).
    await viewer.page.evaluate(() => {
      const cs = (window as unknown as { cornerstone: { getRenderingEngines(): Array<{ getViewport(id: string): { setZoom(z: number): void; setProperties(p: unknown): void; render(): void } }> } }).cornerstone;
      const vp = cs.getRenderingEngines()[0]!.getViewport('mammo-denoise-original');
      vp.setZoom(2.5);
      vp.setProperties({ voiRange: { lower: 1500, upper: 3000 } });
      vp.render();
    });
    await viewer.page.waitForFunction(() => {
      const cs = (window as unknown as { cornerstone: { getRenderingEngines(): Array<{ getViewport(id: string): { getZoom(): number; getProperties(): { voiRange: { lower: number } } } }> } }).cornerstone;
      const vp = cs.getRenderingEngines()[0]!.getViewport('mammo-denoise-denoised');
      return Math.abs(vp.getZoom() - 2.5) < 0.01 && Math.abs(vp.getProperties().voiRange.lower - 1500) < 1;
    }, undefined, { timeout: 10_000 });
    await viewer.screenshotViewport(join(ARTIFACTS, 'viewer-compare.png'));
    await viewer.pressToolbar('MammoDenoiseCompare');
    await viewer.page.waitForFunction(() => document.querySelectorAll('.cornerstone-canvas').length === 1, undefined, { timeout: 20_000 });
  } finally {
    await viewer.close();
  }
});
