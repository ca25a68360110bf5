// Bad input in the stock, prebuilt OHIF 3.13.2 with our mode: for each case the
// viewer says what is wrong and what still works, the original stays displayed
// with its pixels unmodified, and nothing is saved (no request other than GET
// and HEAD leaves the page, no download starts). Cases: multi-frame, RGB,
// YBR_FULL, no pixel data, truncated and corrupt pixel streams, a model that
// fails to download or its sha256 check, no WebGPU and no threads (a server
// without COOP/COEP), a worker that crashes mid-image, and the user switching
// images or studies while a denoise runs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { start } from '../../scripts/start/start';
import { GENERATED_DIR, writeFixtureModelsDir } from '../fixtures/fixtureModel';
import { writeBadInputStudy, writeNoModalityStudy, type ScannerStudy } from '../fixtures/scannerDicom';
import { notifications, openSeries, shownImage } from './scannerPage';
import { launchChromium, ViewerPage } from './viewerPage';

const ARTIFACTS = join(import.meta.dirname ?? '.', '..', 'artifacts', 'bad-input');
mkdirSync(ARTIFACTS, { recursive: true });
const root = join(GENERATED_DIR, 'bad-input-e2e');
const servers: Server[] = [];
let bad: ScannerStudy;
let other: ScannerStudy;
let browser: Browser;

/** A viewer server on `port` with the fixture model, optionally with a broken models folder or extension settings. */
async function viewerServer(
  port: number,
  options: { models?: (dir: string) => void; extensionConfiguration?: Record<string, unknown> } = {},
): Promise<string> {
  const modelsDir = mkdtempSync(join(tmpdir(), 'e2e-bad-models-'));
  writeFixtureModelsDir(modelsDir);
  options.models?.(modelsDir);
  const started = await start({
    port,
    models: modelsDir,
    build: true,
    dicom: root,
    extensionConfiguration: { tileSize: 64, ...options.extensionConfiguration },
  });
  servers.push(started.server);
  return started.base;
}

/**
 * The same viewer behind a proxy that drops COOP/COEP, as a server configured
 * without them would: the page is not cross-origin isolated, so WASM gets one thread.
 */
async function withoutIsolation(upstreamPort: number, port: number): Promise<string> {
  const proxy = createServer((req, res) => {
    const upstream = request(
      { host: '127.0.0.1', port: upstreamPort, path: req.url, method: req.method, headers: req.headers },
      (up) => {
        const headers = { ...up.headers };
        for (const name of ['cross-origin-opener-policy', 'cross-origin-embedder-policy']) delete headers[name];
        res.writeHead(up.statusCode ?? 502, headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (error) => res.writeHead(502).end(error.message));
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', () => resolve()));
  servers.push(proxy);
  return `http://localhost:${port}`;
}

/** Records anything that could save: non-GET requests and downloads. */
function saveWatch(viewer: ViewerPage): () => string[] {
  const seen: string[] = [];
  viewer.page.on('request', (r) => {
    if (r.method() !== 'GET' && r.method() !== 'HEAD') seen.push(`${r.method()} ${r.url()}`);
  });
  viewer.page.on('download', (d) => seen.push(`download ${d.suggestedFilename()}`));
  return () => seen;
}

async function pressDenoiseExpectingError(viewer: ViewerPage, pattern: RegExp): Promise<string> {
  await viewer.pressToolbar('MammoDenoise');
  const toast = viewer.page.locator('[data-sonner-toast]').filter({ hasText: pattern }).first();
  await toast.waitFor({ timeout: 60_000 }).catch(async (error: Error) => {
    throw new Error(`${error.message}; notifications shown: ${(await notifications(viewer)).join(' | ') || 'none'}`);
  });
  return (await toast.textContent()) ?? '';
}

/** Follows a viewer link inside the running app, as a link in OHIF does (history push, then the router's popstate). */
async function followInApp(viewer: ViewerPage, path: string): Promise<void> {
  await viewer.page.evaluate((to) => {
    window.history.pushState({}, '', to);
    window.dispatchEvent(new PopStateEvent('popstate', { state: {} }));
  }, path);
}

const studyUrl = (base: string, study: ScannerStudy) =>
  `${base}/denoise?StudyInstanceUIDs=${study.studyInstanceUid}&url=/studies/index.json`;
const WHAT_STILL_WORKS = /original image stays displayed and unmodified; nothing was saved/;

before(async () => {
  rmSync(root, { recursive: true, force: true });
  bad = writeBadInputStudy(join(root, 'bad'));
  other = writeNoModalityStudy(join(root, 'other'));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  for (const s of servers) s.close();
});

test(
  'multi-frame, RGB, YBR_FULL, no pixel data, truncated and corrupt pixel streams: ' +
    'a message, the original untouched, nothing saved',
  async () => {
    const base = await viewerServer(3961);
    const viewer = await ViewerPage.open(browser, studyUrl(base, bad));
    const saves = saveWatch(viewer);
    try {
      await viewer.waitForImages(1);
      const cases: Array<[string, RegExp]> = [
        ['rgb', /colour image \(RGB\); only greyscale MONOCHROME1\/2 images are denoised/],
        // The loader converts YBR_FULL to RGB as it decodes, so either name is what it holds.
        ['ybr-full', /colour image \((YBR_FULL|RGB)\); only greyscale MONOCHROME1\/2 images are denoised/],
        ['no-pixel-data', /could not be read .*: it has no pixel data, or its pixel stream is corrupt or truncated/],
        ['truncated', /pixel data holds \d+ values for a 320x384 image: it is missing, truncated or corrupt/],
        ['corrupt-jpegls', /could not be read .*JPEG-LS.*corrupt or truncated/],
        // Last: its cine player stays on screen.
        [
          'multi-frame',
          /multi-frame object \(3 frames, e\.g\. breast tomosynthesis\); only single-frame images are denoised/,
        ],
      ];
      // Each message is distinct, so earlier notifications still on screen never satisfy a later case.
      for (const [id, why] of cases) {
        await openSeries(viewer, id);
        const before = await shownImage(viewer);
        const message = await pressDenoiseExpectingError(viewer, why);
        assert.match(message, WHAT_STILL_WORKS, `${id}: says what still works`);
        const after = await shownImage(viewer);
        assert.equal(after.imageId, before.imageId, `${id}: the original stays displayed`);
        assert.deepEqual(after.values, before.values, `${id}: its pixels are unmodified`);
        assert.equal(
          await viewer.page.locator('[data-testid="denoise-label"][data-state="denoised"]').count(),
          0,
          `${id}: nothing claims to be denoised`,
        );
        await viewer.screenshotViewport(join(ARTIFACTS, `${id}.png`));
      }
      // The good image of the same study still denoises.
      await openSeries(viewer, 'good');
      await viewer.pressToolbar('MammoDenoise');
      await viewer.waitForLabel('denoised', 300_000);
      assert.deepEqual(saves(), [], 'nothing was saved');
    } finally {
      await viewer.close();
    }
  },
);

test(
  'a model that fails to download, or fails its sha256 check: ' +
    'a message, the original untouched, nothing cached or saved',
  async () => {
    const missing = await viewerServer(3962, { models: (dir) => rmSync(join(dir, 'fixture-residual.onnx')) });
    const wrongHash = await viewerServer(3963, {
      extensionConfiguration: { modelSha256: { 'fixture-residual': 'ab'.repeat(32) } },
    });
    for (const [base, why] of [
      [missing, /could not be downloaded: HTTP 404/],
      [wrongHash, /failed its integrity check: sha256 [0-9a-f]{64}, expected (ab){32}/],
    ] as const) {
      const viewer = await ViewerPage.open(browser, studyUrl(base, bad));
      const saves = saveWatch(viewer);
      try {
        await viewer.waitForImages(1);
        const before = await shownImage(viewer);
        const message = await pressDenoiseExpectingError(viewer, why);
        assert.match(message, WHAT_STILL_WORKS);
        const after = await shownImage(viewer);
        assert.equal(after.imageId, before.imageId);
        assert.deepEqual(after.values, before.values);
        const cached = await viewer.page.evaluate(async () =>
          (
            await Promise.all((await caches.keys()).map(async (k) => (await (await caches.open(k)).keys()).length))
          ).reduce((a, b) => a + b, 0),
        );
        assert.equal(cached, 0, 'no model was cached');
        assert.deepEqual(saves(), []);
      } finally {
        await viewer.close();
      }
    }
  },
);

test('no WebGPU and no threads (no COOP/COEP): falls back to WASM on one thread and says so', async () => {
  const isolatedPort = 3964;
  await viewerServer(isolatedPort, {
    extensionConfiguration: { executionProviders: ['webgpu', 'wasm'], numThreads: 4 },
  });
  const base = await withoutIsolation(isolatedPort, 3965);
  const viewer = await ViewerPage.open(browser, studyUrl(base, bad));
  try {
    await viewer.waitForImages(1);
    assert.equal(await viewer.page.evaluate(() => crossOriginIsolated), false);
    await viewer.pressToolbar('MammoDenoise');
    const label = await viewer.waitForLabel('denoised', 300_000);
    assert.match(label, /· WASM/);
    const notice = viewer.page.locator('[data-sonner-toast]').filter({ hasText: 'Denoising runs on WASM' }).first();
    await notice.waitFor({ timeout: 10_000 });
    const text = (await notice.textContent()) ?? '';
    assert.match(text, /WebGPU is unavailable/);
    assert.match(text, /one thread, because the page is not cross-origin isolated/);
  } finally {
    await viewer.close();
  }
});

test(
  'a worker that crashes mid-image, and switching image or study while a denoise runs: ' +
    'the original stays, nothing is saved',
  async () => {
    const base = `http://localhost:3961`;
    const viewer = await ViewerPage.open(browser, studyUrl(base, bad));
    const saves = saveWatch(viewer);
    try {
      // Keeps a handle on the denoising worker (created by the extension with the name "mammo-denoise").
      await viewer.context.addInitScript(`(() => {
      const Native = window.Worker;
      window.__denoiseWorkers = [];
      window.Worker = class extends Native {
        constructor(url, options) {
          super(url, options);
          if (options && options.name === 'mammo-denoise') window.__denoiseWorkers.push(this);
        }
      };
    })()`);
      await viewer.page.reload();
      await viewer.waitForImages(1);
      await openSeries(viewer, 'good');
      const original = await shownImage(viewer);
      // A real out-of-memory cannot be provoked reliably here: the worker's error event is dispatched
      // at its first progress report, which is what the browser delivers when a worker dies.
      await viewer.page.evaluate(() => {
        const observer = new MutationObserver(() => {
          const label = document.querySelector('[data-testid="denoise-label"][data-state="working"]');
          const worker = (window as unknown as { __denoiseWorkers?: Worker[] }).__denoiseWorkers?.at(-1);
          if (label && /tiles\)/.test(label.textContent ?? '') && worker) {
            observer.disconnect();
            worker.dispatchEvent(new ErrorEvent('error', { message: 'Out of memory' }));
          }
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      });
      const crash = await pressDenoiseExpectingError(
        viewer,
        /the denoising worker crashed: Out of memory \(it may have run out of memory\)/,
      );
      assert.match(crash, WHAT_STILL_WORKS);
      const afterCrash = await shownImage(viewer);
      assert.equal(afterCrash.imageId, original.imageId);
      assert.deepEqual(afterCrash.values, original.values);
      // A fresh worker takes over on the next press.
      await viewer.pressToolbar('MammoDenoise');
      await viewer.waitForLabel('denoised', 300_000);
      await viewer.pressToolbar('MammoDenoise');
      await viewer.page.locator('[data-testid="denoise-label"]').waitFor({ state: 'detached', timeout: 30_000 });

      // Switch image while the model runs: the run is cancelled and the new image is never replaced.
      await openSeries(viewer, 'multi-frame');
      const multi = await shownImage(viewer);
      await openSeries(viewer, 'good-2');
      await viewer.pressToolbar('MammoDenoise');
      await viewer.page.locator('[data-testid="denoise-label"][data-state="working"]').waitFor({ timeout: 30_000 });
      await openSeries(viewer, 'multi-frame');
      await viewer.page.waitForTimeout(8_000);
      const switched = await shownImage(viewer);
      assert.equal(switched.imageId, multi.imageId, 'the image the user switched to stays displayed');
      assert.deepEqual(switched.values, multi.values);
      assert.equal(
        await viewer.page.locator('[data-testid="denoise-label"]').count(),
        0,
        'no label left over from the cancelled run',
      );
      assert.equal(
        (await notifications(viewer)).filter((t) => /Denoising failed/.test(t) && !/crashed/.test(t)).length,
        0,
        'a cancel is not reported as a failure',
      );

      // Switch study while the model runs: the other study opens and shows its original, never the old study's result.
      await openSeries(viewer, 'good-3');
      await viewer.pressToolbar('MammoDenoise');
      await viewer.page.locator('[data-testid="denoise-label"][data-state="working"]').waitFor({ timeout: 30_000 });
      // The study panel lists only the study the link names, so the user follows the other study's own link.
      // Followed inside the app, as OHIF's own links are (react-router: history push, no page load), so the
      // page, its worker and the run in flight live on: a reload would end them and prove nothing.
      assert.equal(
        await viewer.page
          .locator('[data-cy="study-browser-thumbnail"], [data-cy="study-browser-thumbnail-no-image"]')
          .filter({ hasText: 'no-modality:' })
          .count(),
        0,
        'the panel holds only the linked study',
      );
      await viewer.page.evaluate(() => Object.assign(window, { __beforeSwitch: true }));
      await followInApp(viewer, studyUrl('', other));
      await viewer.page.waitForFunction(
        () =>
          (
            (window as unknown as { __mainViewport: () => { getCurrentImageId(): string } | undefined })
              .__mainViewport()
              ?.getCurrentImageId() ?? ''
          ).endsWith('/other/no-modality.dcm'),
        undefined,
        { timeout: 60_000, polling: 250 },
      );
      await viewer.waitForImages(1);
      assert.equal(
        await viewer.page.evaluate(() => (window as unknown as { __beforeSwitch?: boolean }).__beforeSwitch),
        true,
        'the same page: no reload',
      );
      await viewer.page.waitForTimeout(5_000);
      const otherStudy = await shownImage(viewer);
      assert.match(
        otherStudy.imageId,
        /\/other\/no-modality\.dcm$/,
        "the other study stays displayed, not the old study's result",
      );
      assert.equal(otherStudy.values.length, other.cases[0]!.stored!.pixels.length);
      assert.equal(await viewer.page.locator('[data-testid="denoise-label"]').count(), 0);
      assert.deepEqual(saves(), [], 'nothing was saved');
      await viewer.screenshotViewport(join(ARTIFACTS, 'switched-study.png'));
    } finally {
      await viewer.close();
    }
  },
);
