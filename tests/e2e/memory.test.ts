// Issue 15's memory finding: a series of three 5355x4915 16-bit images, one
// denoised, with Compare and Difference, peaked at 2.07-2.24 GiB in the tab's
// renderer. The floor: every image denoised, in Compare with Difference,
// under 1.5 GB (printed here; asserted against a generous ceiling). The images are made at test time; their breasts are small, so
// only the tiles near them run the model (a few minutes on WASM), while every
// buffer (original, denoised, difference, textures) is full size.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { start, studyUrl } from '../../scripts/start/start';
import { GENERATED_DIR, writeFixtureModelsDir } from '../fixtures/fixtureModel';
import { writeLargeSeries, type WrittenStudy } from '../fixtures/stackStudies';
import { shownImage } from './scannerPage';
import { launchChromium, ViewerPage } from './viewerPage';

const ARTIFACTS = join(import.meta.dirname ?? '.', '..', 'artifacts', 'memory');
mkdirSync(ARTIFACTS, { recursive: true });
const WIDTH = 5355;
const HEIGHT = 4915;
/**
 * Issue 15's floor is 1.5 GB; not met yet (see the phases this test prints:
 * OHIF alone, showing the first original of the three, measured 1.07-1.26 GB
 * here). Per DECISIONS (tests assert a generous ceiling), this guards against
 * going back to the unbounded caches and float copies, which with three
 * images denoised would pass 2.25 GiB.
 */
const RENDERER_CEILING_MB = 2304;
const root = join(GENERATED_DIR, 'memory-e2e');
let series: WrittenStudy;
let server: Server;
let base: string;
let browser: Browser;

before(async () => {
  series = writeLargeSeries(root, 'large', { count: 3, width: WIDTH, height: HEIGHT, breast: { width: 1400, height: 1800 }, uidRoot: '2.25.1517' });
  const modelsDir = mkdtempSync(join(tmpdir(), 'e2e-memory-models-'));
  writeFixtureModelsDir(modelsDir);
  // The product's defaults: tiles of 512 px; WASM (headless Chromium's WebGPU is a software adapter).
  const started = await start({ port: 3993, models: modelsDir, build: true, dicom: root, extensionConfiguration: { executionProviders: ['wasm'] } });
  server = started.server;
  base = started.base;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** Resident memory (MB) of Chromium's renderer processes (the page and its workers) and of its GPU process, from /proc. */
function chromiumMemory(): { rendererMb: number; gpuMb: number } {
  let renderer = 0;
  let gpu = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!args.includes('chromium')) continue;
      const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
      if (args.includes('--type=renderer')) renderer = Math.max(renderer, rss);
      else if (args.includes('--type=gpu-process')) gpu = Math.max(gpu, rss);
    } catch {
      // The process ended while being read.
    }
  }
  return { rendererMb: Math.round(renderer), gpuMb: Math.round(gpu) };
}

/** Denoised ids of the series held in Cornerstone's cache. */
async function denoisedInCache(viewer: ViewerPage): Promise<number> {
  return viewer.page.evaluate(`(() => {
    const cs = window.cornerstone;
    const ids = cs.getRenderingEngines().flatMap((e) => e.getViewports()).flatMap((v) => v.getImageIds()).map((id) => id.replace(/^denoised(-difference)?:[^:]+:/, ''));
    return [...new Set(ids)].filter((id) => cs.cache.getImage('denoised:fixture-residual:' + id)).length;
  })()`) as Promise<number>;
}

test(`three ${WIDTH}x${HEIGHT} 16-bit images, every one denoised, in Compare with Difference: the renderer stays under ${RENDERER_CEILING_MB} MB`, async () => {
  const viewer = await ViewerPage.open(browser, studyUrl(base, series.studyInstanceUid));
  let peak = { rendererMb: 0, gpuMb: 0 };
  const sample = () => {
    const now = chromiumMemory();
    peak = { rendererMb: Math.max(peak.rendererMb, now.rendererMb), gpuMb: Math.max(peak.gpuMb, now.gpuMb) };
  };
  const sampler = setInterval(sample, 500);
  // Peak per phase, so a regression says where the memory went.
  const phases: string[] = [];
  const phase = (name: string) => {
    sample();
    phases.push(`${name} ${peak.rendererMb}`);
  };
  const started = Date.now();
  try {
    // Mostly air, so the page object's "lit canvas" check does not apply: wait for the image itself to be shown.
    await viewer.page.waitForFunction(`(() => { if (!window.cornerstone) return false; const e = window.cornerstone.getEnabledElements().find((x) => !x.viewportId.startsWith('renderGPUViewport-')); const id = e && e.viewport.getCurrentImageId(); return !!id && !!window.cornerstone.cache.getImage(id) && e.viewport.viewportStatus === 'rendered'; })()`, undefined, { timeout: 180_000, polling: 500 });
    phase('shown');
    await viewer.pressToolbar('MammoDenoise');
    await viewer.waitForLabel('denoised', 900_000);
    phase('one denoised');
    // The neighbours are prefetched, hence denoised in the background: all three end up denoised.
    await viewer.page.waitForFunction(`(() => { const cs = window.cornerstone; return cs.getRenderingEngines().flatMap((e) => e.getViewports()).flatMap((v) => v.getImageIds()).filter((id) => id.startsWith('denoised:') && cs.cache.getImage(id)).length >= 3; })()`, undefined, { timeout: 900_000, polling: 1_000 });
    const denoisedAt = Date.now();
    phase('three denoised');
    await viewer.pressToolbar('MammoDenoiseCompare');
    await viewer.page.waitForFunction(`(() => window.cornerstone.getEnabledElements().some((e) => e.viewportId === 'mammo-denoise-denoised' && e.viewport.getCurrentImageId().startsWith('denoised:')))()`, undefined, { timeout: 300_000, polling: 500 });
    phase('compare');
    await viewer.pressToolbar('MammoDenoiseDifference');
    await viewer.waitForLabel('difference', 300_000);
    phase('difference');
    for (const index of [1, 2, 0]) {
      await viewer.scrollTo(index, 'mammo-denoise-denoised');
      await viewer.page.waitForFunction(`(() => window.cornerstone.getEnabledElements().some((e) => e.viewportId === 'mammo-denoise-denoised' && e.viewport.getCurrentImageId().startsWith('denoised-difference:') && window.cornerstone.cache.getImage(e.viewport.getCurrentImageId())))()`, undefined, { timeout: 300_000 });
      await viewer.waitForLabel('difference', 300_000);
    }
    phase('difference of each');
    await viewer.screenshotViewport(join(ARTIFACTS, 'compare-difference.png'));
    const shown = await shownImage(viewer, 'mammo-denoise-denoised', false);
    assert.equal(shown.width, WIDTH);
    assert.ok((await denoisedInCache(viewer)) >= 2, 'denoised images stay cached within their budget');
    console.log(`memory: 3 x ${WIDTH}x${HEIGHT} 16-bit, all denoised (${((denoisedAt - started) / 1000).toFixed(0)} s), Compare + Difference over all three: peak renderer RSS ${peak.rendererMb} MB, GPU process ${peak.gpuMb} MB (${((Date.now() - started) / 1000).toFixed(0)} s in all); peak so far after each step (MB): ${phases.join(', ')}`);
    assert.ok(peak.rendererMb < RENDERER_CEILING_MB, `the renderer peaked at ${peak.rendererMb} MB`);
  } finally {
    clearInterval(sampler);
    await viewer.close();
  }
});
