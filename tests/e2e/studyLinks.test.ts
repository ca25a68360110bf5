// Issue 15: with a folder of several studies, every link `npm start` printed
// opened all of them ("Multiple Patients") and showed another patient's image.
// Each printed link, and a study opened from the worklist, must open exactly
// its own study. Four single-image studies of four patients, real OHIF 3.13.2.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { start, studyUrl } from '../../scripts/start/start';
import { GENERATED_DIR, writeFixtureModelsDir } from '../fixtures/fixtureModel';
import { writeFourPatients, type WrittenStudy } from '../fixtures/stackStudies';
import { shownImage } from './scannerPage';
import { launchChromium, ViewerPage } from './viewerPage';

const ARTIFACTS = join(import.meta.dirname ?? '.', '..', 'artifacts', 'study-links');
mkdirSync(ARTIFACTS, { recursive: true });
const root = join(GENERATED_DIR, 'study-links-e2e');
let studies: WrittenStudy[];
let printed: Array<{ StudyInstanceUID: string; PatientID: string }>;
let server: Server;
let base: string;
let browser: Browser;

before(async () => {
  studies = writeFourPatients(root);
  const modelsDir = mkdtempSync(join(tmpdir(), 'e2e-links-models-'));
  writeFixtureModelsDir(modelsDir);
  const started = await start({ port: 3991, models: modelsDir, build: true, dicom: root });
  server = started.server;
  base = started.base;
  printed = started.studies;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** The study the viewer opened: the folder of the image it shows, and the patients its metadata store holds. */
async function opened(viewer: ViewerPage): Promise<{ folder: string; studyUids: string[] }> {
  await viewer.waitForImages(1, 60_000);
  const { imageId } = await shownImage(viewer, undefined, false);
  const studyUids = await viewer.page.evaluate(() =>
    [...document.querySelectorAll('[data-cy="study-browser-thumbnail"], [data-cy="study-browser-thumbnail-no-image"]')]
      .length >= 0
      ? (
          window as unknown as {
            cornerstone: { getRenderingEngines(): Array<{ getViewports(): Array<{ getImageIds(): string[] }> }> };
          }
        ).cornerstone
          .getRenderingEngines()
          .flatMap((e) => e.getViewports())
          .flatMap((v) => v.getImageIds())
      : [],
  );
  return { folder: /\/(patient\d)\//.exec(imageId)?.[1] ?? imageId, studyUids };
}

test('each printed study link opens exactly its own study', async () => {
  assert.equal(printed.length, 4, 'npm start lists the four studies');
  for (const study of studies) {
    const url = studyUrl(base, study.studyInstanceUid);
    const viewer = await ViewerPage.open(browser, url);
    try {
      const shown = await opened(viewer);
      const folder = /\/(patient\d)\//.exec(study.files[0]!)?.[1];
      assert.equal(shown.folder, folder, `${url} shows ${shown.folder}`);
      const text = await viewer.page.locator('body').innerText();
      assert.doesNotMatch(text, /Multiple Patients/i, `${url}: one patient`);
      for (const other of studies.filter((s) => s !== study))
        assert.ok(
          !shown.studyUids.some((id) => id.includes(`/${/\/(patient\d)\//.exec(other.files[0]!)?.[1]}/`)),
          `${url} loaded ${other.patientId}'s images too`,
        );
      if (study === studies[0]) await viewer.page.screenshot({ path: join(ARTIFACTS, 'link-patient1.png') });
    } finally {
      await viewer.close();
    }
  }
});

test('every study opened from the worklist is that study', async () => {
  // OHIF's dicomjson worklist searches by one key (here the patient, mrn=, as the worklist link npm start prints does);
  // its mode link drops url=, so without the narrowing each study opened every study of the list, or none.
  for (const target of studies) {
    const folder = /\/(patient\d)\//.exec(target.files[0]!)?.[1];
    const list = await ViewerPage.open(browser, `${base}/?url=/studies/index.json&mrn=${target.patientId}`);
    try {
      await list.page.getByText(target.patientName).first().click({ timeout: 60_000 });
      const mode = list.page.getByText('Denoise', { exact: true }).first();
      await mode.waitFor({ timeout: 30_000 });
      if (target === studies[0]) await list.page.screenshot({ path: join(ARTIFACTS, 'worklist.png') });
      await mode.click();
      await list.page.waitForURL(new RegExp(`/denoise\\?.*StudyInstanceUIDs=${target.studyInstanceUid}`), {
        timeout: 30_000,
      });
      const shown = await opened(list);
      assert.equal(shown.folder, folder, `${target.patientId} from the worklist shows ${shown.folder}`);
      assert.doesNotMatch(await list.page.locator('body').innerText(), /Multiple Patients/i);
    } finally {
      await list.close();
    }
  }
});
