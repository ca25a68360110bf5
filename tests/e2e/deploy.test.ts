// The PACS admin's path (docs/deploying.md, "Deploying into an existing OHIF"): `npm run
// build`, copy the folder next to the stock, prebuilt OHIF 3.13.2 at a
// non-default prefix, append app-config.fragment.js to OHIF's own
// app-config.js and nothing else of ours; the sample study opens and Denoise
// works. The three configuration errors of issue 4 (a missing model, a wrong
// hash, an unreachable URL) each say what is wrong in the viewer while the
// study stays viewable.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { fetchOhif } from '../../scripts/ohif/fetchOhif';
import { writeSampleStudy } from '../../scripts/sample/sampleStudy';
import { dicomJsonDataSource } from '../../scripts/start/appConfig';
import { dicomJsonStudies, scanDicomFolder } from '../../scripts/start/dicomJsonStudies';
import { createStaticServer } from '../../scripts/start/staticServer';
import { defaultModelFor, parseModelCard, parseModelIndex } from '@mammo-denoise/core';
import { launchChromium, ViewerPage } from './viewerPage';

const repoRoot = resolve(import.meta.dirname ?? '.', '..', '..');
const ARTIFACTS = join(repoRoot, 'tests', 'artifacts');
/**
 * The shipped model the index serves the sample study with (a 12-bit digital image): the deployed viewer must use it.
 */
const DEFAULT_MODEL = defaultModelFor(
  parseModelIndex(JSON.parse(readFileSync(join(repoRoot, 'models', 'index.json'), 'utf8')), 'models/index.json'),
  { bitsStored: 12 },
);
const DEFAULT_CARD = parseModelCard(
  JSON.parse(readFileSync(join(repoRoot, 'models', `${DEFAULT_MODEL}.json`), 'utf8')),
  `${DEFAULT_MODEL}.json`,
);
/** The shipped default's version, as its card says: the viewer's label must name it. */
const DEFAULT_VERSION = DEFAULT_CARD.version;
/** A noise-conditioned model runs at strength 1 unless asked: its label and image ids say so. */
const AT_DEFAULT_STRENGTH = DEFAULT_CARD.io.noiseMapInputName
  ? { label: ' · strength 1x', runId: `${DEFAULT_MODEL}@1` }
  : { label: '', runId: DEFAULT_MODEL };
const PREFIX = '/plugins/mammo-denoise/';
const work = mkdtempSync(join(tmpdir(), 'deploy-'));
const deployed = join(work, 'plugins', 'mammo-denoise');
const generated = new Map<string, { body: string; type: string }>();
let server: Server;
let base: string;
let studyUid: string;
let browser: Browser;
let stockConfig: string;
let fragment: string;
let buildOutput: string;
let closedPort: number;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  // The real command an admin runs, with the shipped models/.
  buildOutput = execFileSync('npm', ['run', 'build', '--', '--out', deployed, '--prefix', PREFIX], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  fragment = readFileSync(join(deployed, 'app-config.fragment.js'), 'utf8');
  const ohif = fetchOhif();
  stockConfig = readFileSync(join(ohif, 'app-config.js'), 'utf8');
  const studies = join(work, 'studies');
  studyUid = writeSampleStudy(studies).studyInstanceUid;
  // A second models folder, broken the way a half-finished copy is: the index and card, no .onnx.
  const broken = join(work, 'broken-models');
  cpSync(join(deployed, 'extension', 'models'), broken, { recursive: true });
  for (const f of [`${DEFAULT_MODEL}.onnx`]) rmSync(join(broken, f), { force: true });
  generated.set('/studies/index.json', {
    body: JSON.stringify(dicomJsonStudies(scanDicomFolder(studies), studies, '/studies/files')),
    type: 'application/json; charset=utf-8',
  });
  server = createStaticServer({
    mounts: [
      { prefix: PREFIX, dir: deployed },
      { prefix: '/broken-models/', dir: broken },
      { prefix: '/studies/files/', dir: studies },
      { prefix: '/', dir: ohif },
    ],
    spaIndex: join(ohif, 'index.html'),
    generated,
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://localhost:${(server.address() as AddressInfo).port}`;
  const probe = createServer();
  await new Promise<void>((ok) => probe.listen(0, '127.0.0.1', ok));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((ok) => probe.close(ok));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
});

/**
 * The viewer's app-config.js: OHIF's stock file, the site's own data source
 * (here the sample study through OHIF's dicomjson source), then our fragment
 * verbatim, then `siteOverrides` (documented mammoDenoise options only).
 */
function serveAppConfig(siteOverrides = ''): void {
  const site =
    "\n// The site's data source.\n" +
    `window.config.dataSources = [${JSON.stringify(dicomJsonDataSource)}];\n` +
    "window.config.defaultDataSourceName = 'dicomjson';\n";
  generated.set('/app-config.js', {
    body: `${stockConfig}${site}\n${fragment}\n${siteOverrides}`,
    type: 'text/javascript; charset=utf-8',
  });
}

async function openStudy(): Promise<ViewerPage> {
  const viewer = await ViewerPage.open(
    browser,
    `${base}/denoise?StudyInstanceUIDs=${studyUid}&url=/studies/index.json`,
  );
  try {
    await viewer.waitForImages(1, 120_000);
  } catch (error) {
    await viewer.page.screenshot({ path: join(ARTIFACTS, 'deploy-not-rendered.png') });
    await viewer.close();
    throw new Error(
      'the study did not render (page: tests/artifacts/deploy-not-rendered.png); ' +
        `browser console:\n${viewer.console.slice(-30).join('\n')}`,
      { cause: error },
    );
  }
  return viewer;
}

function shownImageId(viewer: ViewerPage): Promise<string> {
  return viewer.page.evaluate(() => {
    const cs = (
      window as unknown as {
        cornerstone: { getRenderingEngines(): Array<{ getViewports(): Array<{ getCurrentImageId(): string }> }> };
      }
    ).cornerstone;
    return cs.getRenderingEngines()[0]!.getViewports()[0]!.getCurrentImageId();
  });
}

test(
  'npm run build writes a self-contained folder: bundles, worker, ' +
    'onnxruntime-web files, models, fragment, guide; sizes printed',
  () => {
    for (const path of [
      'extension/index.js',
      'mode/index.js',
      'extension/ort/ort-wasm-simd-threaded.asyncify.wasm',
      'extension/ort/ort-wasm-simd-threaded.asyncify.mjs',
      'extension/models/index.json',
      `extension/models/${DEFAULT_MODEL}.onnx`,
      `extension/models/${DEFAULT_MODEL}.json`,
      'app-config.fragment.js',
      'DEPLOY.md',
    ]) {
      assert.doesNotThrow(() => readFileSync(join(deployed, path)), path);
    }
    assert.match(fragment, new RegExp(`const mammoDenoise = '${PREFIX}';`));
    assert.match(buildOutput, new RegExp(`${DEFAULT_MODEL} \\(sha256 [0-9a-f]{12}…, matches its card\\)`));
    assert.match(buildOutput, /MiB {2}onnxruntime-web runtime/);
    assert.match(buildOutput, /MiB {2}total/);
  },
);

test(
  'the stock OHIF 3.13.2 with only the documented fragment: ' +
    'the sample study opens in the Denoise mode and Denoise works',
  async () => {
    serveAppConfig();
    const viewer = await openStudy();
    try {
      const original = await shownImageId(viewer);
      await viewer.pressToolbar('MammoDenoise');
      const label = await viewer.waitForLabel('denoised', 600_000);
      assert.match(
        label,
        new RegExp(
          `DENOISED · .* ${DEFAULT_VERSION.replaceAll('.', '\\.')}${AT_DEFAULT_STRENGTH.label} · (WASM|WebGPU)`,
        ),
      );
      assert.equal(await shownImageId(viewer), `denoised:${AT_DEFAULT_STRENGTH.runId}:${original}`);
      await viewer.screenshotViewport(join(ARTIFACTS, 'deploy-denoised.png'));
      // Served as the guide says: the worker's WASM ran multi-threaded only because COOP/COEP made the page isolated.
      assert.equal(await viewer.page.evaluate(() => crossOriginIsolated), true);
    } finally {
      await viewer.close();
    }
  },
);

// When each error can be known: an unreachable index when the extension starts (Denoise then stays off),
// a model file's absence or hash only when Denoise downloads it.
const CONFIG_ERRORS = [
  {
    name: 'a missing model (.onnx absent beside its index)',
    shown: 'on Denoise',
    overrides: () => `window.config.mammoDenoise.modelIndexUrl = '/broken-models/index.json';`,
    message: new RegExp(`${DEFAULT_MODEL}\\.onnx could not be downloaded: HTTP 404`),
  },
  {
    name: 'a wrong hash (pinned in the app config)',
    shown: 'on Denoise',
    overrides: () => `window.config.mammoDenoise.modelSha256 = { '${DEFAULT_MODEL}': '${'0'.repeat(64)}' };`,
    message: /failed its integrity check: sha256 [0-9a-f]{64}, expected 0{64}/,
  },
  // A port nothing listens on (Chromium refuses some low ports outright, which is a different failure).
  {
    name: 'an unreachable model URL',
    shown: 'on open',
    overrides: () => `window.config.mammoDenoise.modelIndexUrl = 'http://127.0.0.1:${closedPort}/models/index.json';`,
    message:
      /model index http:\/\/127\.0\.0\.1:\d+\/models\/index\.json could not be fetched.*The study stays viewable/,
  },
] as const;

for (const { name, shown, overrides, message } of CONFIG_ERRORS) {
  test(`configuration error, ${name}: the viewer says what is wrong and the study stays viewable`, async () => {
    serveAppConfig(overrides());
    const viewer = await ViewerPage.open(
      browser,
      `${base}/denoise?StudyInstanceUIDs=${studyUid}&url=/studies/index.json`,
    );
    try {
      // Listening from the start: a notification shown while the viewer starts lasts 15 s.
      const messageShown = viewer.page.getByText(message).first().waitFor({ timeout: 120_000 });
      await viewer.waitForImages(1, 120_000);
      const original = await shownImageId(viewer);
      if (shown === 'on Denoise') await viewer.pressToolbar('MammoDenoise');
      try {
        await messageShown;
      } catch (error) {
        await viewer.page.screenshot({ path: join(ARTIFACTS, 'deploy-error-not-shown.png') });
        // OHIF's notification service logs "show() NOT IMPLEMENTED" when called before its UI has mounted.
        const lost = viewer.console.filter((l) => /NOT IMPLEMENTED/.test(l));
        const lostNote = lost.length
          ? `; notifications raised before OHIF's notification UI existed were lost: ${lost.join('; ')}`
          : '';
        throw new Error(
          `no message matching ${message} (page: tests/artifacts/deploy-error-not-shown.png)${lostNote}; ` +
            `browser console:\n${viewer.console.slice(-20).join('\n')}`,
          { cause: error },
        );
      }
      await viewer.screenshotViewport(join(ARTIFACTS, `deploy-error-${name.split(' ').slice(0, 3).join('-')}.png`));
      assert.equal(await shownImageId(viewer), original, 'the original stays displayed');
      await viewer.waitForImages(1);
      assert.ok(
        !viewer.console.some((l) => l.startsWith('pageerror')),
        viewer.console.filter((l) => l.startsWith('pageerror')).join('\n'),
      );
    } finally {
      await viewer.close();
    }
  });
}
