// A real PACS end to end: Orthanc with its DICOMweb plugin holds the sample
// study (uploaded over its REST API); the prebuilt OHIF opens it through the
// local server's same-origin DICOMweb proxy; Denoise equals the Node engine,
// Compare shows two viewports, Save stores a derived series with STOW-RS that
// appears in the study browser without a reload, passes dciodvfy, and leaves
// the original byte-identical; saving again asks first. A PACS that refuses
// the STOW (403 from Orthanc's own request filter) gives an error and nothing
// is claimed or stored. Without a writable source (dicomjson) Save downloads.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Browser } from 'playwright-core';
import { listStudyInstances, retrieveInstance, readPart10, denoiseImage, haloFor } from '@mammo-denoise/core';
import { storedImageFromDataset } from '@mammo-denoise/core/node';
import { writeSampleStudy, type SampleStudy } from '../../scripts/sample/sampleStudy';
import { start } from '../../scripts/start/start';
import { fixtureCpuRunner, writeFixtureModelsDir } from '../fixtures/fixtureModel';
import { startOrthanc, type Orthanc } from '../fixtures/orthanc';
import { dciodvfyErrors } from '../fixtures/tools';
import { launchChromium, ViewerPage } from './viewerPage';

const ARTIFACTS = join(import.meta.dirname ?? '.', '..', 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'e2e-orthanc-'));
const modelsDir = join(work, 'models');
const model = writeFixtureModelsDir(modelsDir);
const SERIES_LABEL = `denoised (${model.id})`;

/** Orthanc's own filter answers 403 to every STOW-RS request: a PACS that refuses to store. */
const REFUSE_STOW = `
function IncomingHttpRequestFilter(method, uri, ip, username, httpHeaders)
  return not (method == 'POST' and string.find(uri, '^/dicom%-web/studies'))
end
`;

let sample: SampleStudy;
const uploaded = new Map<string, Uint8Array>(); // SOP Instance UID → the bytes uploaded
let orthanc: Orthanc;
let refusing: Orthanc;
const servers: Server[] = [];
let pacsBase: string;
let refusingBase: string;
let localBase: string;
let browser: Browser;
const timings: string[] = [];

async function serve(port: number, dicomweb?: string): Promise<string> {
  // The local study folder is the uploaded sample, so the dicomjson source offers the same study.
  const started = await start({
    port,
    models: modelsDir,
    build: servers.length === 0,
    dicom: join(work, 'sample'),
    ...(dicomweb ? { dicomweb } : {}),
  });
  servers.push(started.server);
  return started.base;
}

before(async () => {
  const t0 = Date.now();
  sample = writeSampleStudy(join(work, 'sample'));
  [orthanc, refusing] = await Promise.all([startOrthanc(), startOrthanc({ luaScript: REFUSE_STOW })]);
  for (const file of sample.files) {
    const bytes = new Uint8Array(readFileSync(file));
    const sop = String(readPart10(bytes, { untilPixelData: true }).SOPInstanceUID);
    uploaded.set(sop, bytes);
    assert.equal((await orthanc.upload(bytes)).status, 'Success');
    assert.equal((await refusing.upload(bytes)).status, 'Success');
  }
  pacsBase = await serve(3971, orthanc.dicomWebRoot);
  refusingBase = await serve(3972, refusing.dicomWebRoot);
  localBase = await serve(3973);
  browser = await launchChromium();
  timings.push(
    `setup (sample, 2 Orthancs, upload, build, 3 servers, browser) ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
});

after(async () => {
  await browser?.close();
  for (const server of servers) server.close();
  await orthanc?.stop();
  await refusing?.stop();
  console.log(`Orthanc e2e timings: ${timings.join('; ')}`);
});

type Shown = { imageId: string; values: number[] };

/** Stored values of the image a viewport shows, read from Cornerstone's cache. */
async function shownPixels(viewer: ViewerPage, viewportIndex = 0): Promise<Shown> {
  return viewer.page.evaluate((index) => {
    const cs = (
      window as unknown as {
        cornerstone: {
          getRenderingEngines(): Array<{ getViewports(): Array<{ getCurrentImageId(): string }> }>;
          cache: { getImage(id: string): { voxelManager: { getScalarData(): ArrayLike<number> } } };
        };
      }
    ).cornerstone;
    const viewport = cs.getRenderingEngines()[0]!.getViewports()[index]!;
    const imageId = viewport.getCurrentImageId();
    return { imageId, values: Array.from(cs.cache.getImage(imageId).voxelManager.getScalarData()) };
  }, viewportIndex);
}

/** OHIF's study browser panel (its thumbnails carry the series descriptions). */
const studyBrowser = (viewer: ViewerPage) => viewer.page.locator('[data-cy="studyBrowser-panel"]');

/** The SOP Instance UID in a WADO-RS image id (…/instances/<uid>/frames/1). */
function sopOf(imageId: string): string {
  const match = /\/instances\/([0-9.]+)\/frames\//.exec(imageId);
  assert.ok(match?.[1], `not a WADO-RS image id: ${imageId}`);
  return match[1];
}

function pixelsOf(part10: Uint8Array): Uint16Array {
  const dataset = readPart10(part10);
  const buffer = (dataset.PixelData as ArrayBuffer[])[0]!;
  return new Uint16Array(buffer.slice(0, Number(dataset.Rows) * Number(dataset.Columns) * 2));
}

async function denoiseInViewer(viewer: ViewerPage): Promise<{ original: Shown; denoised: Shown }> {
  await viewer.waitForImages(1);
  const original = await shownPixels(viewer);
  await viewer.pressToolbar('MammoDenoise');
  await viewer.waitForLabel('denoised', 600_000);
  const denoised = await shownPixels(viewer);
  assert.match(denoised.imageId, new RegExp(`^denoised:${model.id}:`));
  return { original, denoised };
}

test(
  'Orthanc over DICOMweb: Denoise equals the Node engine, Compare, ' +
    'Save stores a derived series shown without reload; the original is unchanged; saving again asks',
  async () => {
    const t0 = Date.now();
    const viewer = await ViewerPage.open(browser, `${pacsBase}/denoise?StudyInstanceUIDs=${sample.studyInstanceUid}`);
    try {
      const { original, denoised } = await denoiseInViewer(viewer);
      assert.match(
        original.imageId,
        /^wadors:http:\/\/localhost:3971\/dicomweb\/studies\//,
        'images come through the same-origin proxy',
      );
      const sourceSop = sopOf(original.imageId);
      const sourceBytes = uploaded.get(sourceSop);
      assert.ok(sourceBytes, `the viewer shows an uploaded instance (${sourceSop})`);
      timings.push(`open + Denoise ${((Date.now() - t0) / 1000).toFixed(1)} s`);

      // The same image through the same engine in Node.
      const stored = storedImageFromDataset(readPart10(sourceBytes));
      assert.ok(stored.ok);
      assert.deepEqual(original.values, Array.from(stored.image.pixels), 'the viewer shows the stored values');
      const runner = await fixtureCpuRunner(ort);
      const expected = await denoiseImage(stored.image, runner, { tileSize: 512, halo: haloFor(20) });
      await runner.release();
      const range = 2 ** stored.image.bitsStored - 1;
      let worst = 0;
      for (let i = 0; i < expected.pixels.length; i += 1)
        worst = Math.max(worst, Math.abs((denoised.values[i] as number) - (expected.pixels[i] as number)));
      assert.ok(worst <= 1e-3 * range + 1, `max difference ${worst} of range ${range}`);
      await viewer.screenshotViewport(join(ARTIFACTS, 'orthanc-denoised.png'));

      await viewer.openCompare();
      const compare = await viewer.viewportStates();
      assert.deepEqual(compare.map((s) => s.id).sort(), ['mammo-denoise-denoised', 'mammo-denoise-original']);
      await viewer.screenshotViewport(join(ARTIFACTS, 'orthanc-compare.png'));

      // Save, from Compare's denoised pane; a marker on window proves the page never reloads.
      await viewer.page.evaluate(() => {
        (window as unknown as { __noReload: boolean }).__noReload = true;
      });
      await viewer.page.locator('.cornerstone-canvas').nth(1).click();
      const tSave = Date.now();
      await viewer.pressToolbar('MammoDenoiseSave');
      await viewer.page.getByText('Saved denoised series').first().waitFor({ timeout: 120_000 });
      await studyBrowser(viewer).getByText(SERIES_LABEL).first().waitFor({ timeout: 60_000 });
      timings.push(`Save until the series is in the study browser ${((Date.now() - tSave) / 1000).toFixed(1)} s`);
      assert.equal(
        await viewer.page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload),
        true,
        'no reload',
      );
      await viewer.page.screenshot({ path: join(ARTIFACTS, 'orthanc-saved.png') });

      // Orthanc holds it: a derived image of the source, with the viewer's denoised pixels.
      const target = { root: orthanc.dicomWebRoot };
      const instances = await listStudyInstances(target, sample.studyInstanceUid);
      assert.equal(
        instances.length,
        3,
        `the study holds the 2 originals and 1 derived image: ${JSON.stringify(instances)}`,
      );
      const derivedRef = instances.find((i) => !uploaded.has(i.sopUid))!;
      const derivedBytes = await retrieveInstance(
        target,
        sample.studyInstanceUid,
        derivedRef.seriesUid,
        derivedRef.sopUid,
      );
      const derived = readPart10(derivedBytes);
      assert.deepEqual(derived.ImageType, ['DERIVED', 'SECONDARY']);
      assert.equal(derived.SOPClassUID, '1.2.840.10008.5.1.4.1.1.1.2', 'same IOD as the source (MG For Presentation)');
      assert.match(String(derived.SeriesDescription), new RegExp(`denoised \\(${model.id}\\)`));
      assert.match(
        String(derived.DerivationDescription),
        new RegExp(`${model.id} version 0\\.0\\.0-fixture.*sha256 ${model.sha256}`),
      );
      const source = (derived.SourceImageSequence as Array<{ ReferencedSOPInstanceUID: string }>)[0];
      assert.equal(source?.ReferencedSOPInstanceUID, sourceSop);
      assert.deepEqual(
        Array.from(pixelsOf(derivedBytes)),
        denoised.values,
        'the stored pixels are the ones the viewer showed',
      );
      const derivedPath = join(work, 'derived-from-orthanc.dcm');
      writeFileSync(derivedPath, derivedBytes);
      assert.deepEqual(dciodvfyErrors(derivedPath), []);

      // The original, fetched again, is byte-identical to what was uploaded.
      for (const [sop, bytes] of uploaded) {
        const again = await retrieveInstance(
          target,
          sample.studyInstanceUid,
          instances.find((i) => i.sopUid === sop)!.seriesUid,
          sop,
        );
        assert.equal(Buffer.compare(Buffer.from(again), Buffer.from(bytes)), 0, `original ${sop} unchanged`);
      }

      // Saving the same image with the same model again (hotkey S this time) asks in the viewport
      // (OHIF's viewport dialog, not a browser confirm); keeping the existing one stores nothing.
      let browserDialogs = 0;
      viewer.page.on('dialog', (d) => {
        browserDialogs += 1;
        void d.dismiss();
      });
      await viewer.page.keyboard.press('s');
      const question = viewer.page
        .getByText(
          new RegExp(
            'already saved denoised by fixture-residual 0\\.0\\.0-fixture.*' +
              'Save another copy as a new series, or keep the existing one',
          ),
        )
        .first();
      await question.waitFor({ timeout: 60_000 });
      await viewer.screenshotViewport(join(ARTIFACTS, 'orthanc-resave-question.png'));
      await viewer.page.getByRole('button', { name: 'Keep the existing one' }).click();
      await question.waitFor({ state: 'hidden', timeout: 10_000 });
      assert.equal(browserDialogs, 0, 'no browser confirm()');
      await viewer.page
        .getByText('The existing denoised image was kept; nothing new was saved.')
        .first()
        .waitFor({ timeout: 30_000 });
      assert.equal((await listStudyInstances(target, sample.studyInstanceUid)).length, 3, 'declining stores nothing');
    } finally {
      await viewer.close();
    }
    timings.push(`whole Orthanc test ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  },
);

test('a PACS that refuses the STOW: Save says so with the status, claims nothing, and nothing is stored', async () => {
  const viewer = await ViewerPage.open(browser, `${refusingBase}/denoise?StudyInstanceUIDs=${sample.studyInstanceUid}`);
  try {
    await denoiseInViewer(viewer);
    await viewer.pressToolbar('MammoDenoiseSave');
    const error = viewer.page.getByText(/STOW-RS\) failed: HTTP 403/).first();
    await error.waitFor({ timeout: 120_000 });
    const text = (await error.textContent()) ?? '';
    assert.match(text, /Nothing was saved\. The original image is unchanged\./);
    assert.equal(await viewer.page.getByText('Saved denoised series').count(), 0, 'no success is claimed');
    assert.equal(await studyBrowser(viewer).getByText(SERIES_LABEL).count(), 0, 'no new series in the study browser');
    await viewer.page.screenshot({ path: join(ARTIFACTS, 'orthanc-save-refused.png') });
    assert.equal(
      (await listStudyInstances({ root: refusing.dicomWebRoot }, sample.studyInstanceUid)).length,
      2,
      'the PACS holds only the originals',
    );
  } finally {
    await viewer.close();
  }
});

test('without a writable data source (the local dicomjson sample), Save downloads the derived .dcm', async () => {
  const viewer = await ViewerPage.open(
    browser,
    `${localBase}/denoise?StudyInstanceUIDs=${sample.studyInstanceUid}&url=/studies/index.json`,
  );
  try {
    const { original, denoised } = await denoiseInViewer(viewer);
    const download = viewer.page.waitForEvent('download');
    await viewer.pressToolbar('MammoDenoiseSave');
    const file = await download;
    assert.match(file.suggestedFilename(), new RegExp(`-denoised-${model.id}\\.dcm$`));
    const path = join(work, 'downloaded.dcm');
    await file.saveAs(path);
    const bytes = new Uint8Array(readFileSync(path));
    const dataset = readPart10(bytes);
    assert.deepEqual(dataset.ImageType, ['DERIVED', 'SECONDARY']);
    assert.equal(dataset.StudyInstanceUID, sample.studyInstanceUid);
    assert.match(String(dataset.SeriesDescription), /denoised/);
    assert.deepEqual(
      Array.from(pixelsOf(bytes)),
      denoised.values,
      'the file holds the denoised image the viewer showed',
    );
    assert.notDeepEqual(denoised.values, original.values);
    const downloadedPath = join(work, 'downloaded-check.dcm');
    writeFileSync(downloadedPath, bytes);
    assert.deepEqual(dciodvfyErrors(downloadedPath), []);
    await viewer.page.getByText('Downloaded denoised DICOM').first().waitFor({ timeout: 30_000 });
  } finally {
    await viewer.close();
  }
});
