// WebGPU must denoise exactly as WASM does: a radiologist with a GPU must see
// the same image as one without. Chromium's WebGPU here is SwiftShader (a
// software adapter, --enable-unsafe-webgpu on a localhost page), so the image
// is small. Each page allows one provider only, so no silent fallback can make
// the comparison pass; a WebGPU failure fails the test with the viewer's reason.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { readPart10, writePart10, computeIntensityMap } from '@mammo-denoise/core';
import { storedImageFromDataset } from '@mammo-denoise/core/node';
import { generatePhantom } from '../../scripts/sample/phantom';
import { mammographyDataset } from '../../scripts/sample/sampleStudy';
import { start } from '../../scripts/start/start';
import { writeFixtureModelsDir } from '../fixtures/fixtureModel';
import { launchChromium, ViewerPage } from './viewerPage';

const ARTIFACTS = join(import.meta.dirname ?? '.', '..', 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });
const SIZE = 256;
/**
 * 16 bits, so that rounding to stored integers (about 1/60000 of the model's range here) cannot hide a 1e-4 difference.
 */
const BITS = 16;
const TOLERANCE = 1e-4;

const work = mkdtempSync(join(tmpdir(), 'e2e-webgpu-'));
const modelsDir = join(work, 'models');
const dicomDir = join(work, 'dicom');
const model = writeFixtureModelsDir(modelsDir);
const dicomFile = join(dicomDir, 'small-16bit.dcm');
const servers: Server[] = [];
let browser: Browser;

before(() => {
  mkdirSync(dicomDir, { recursive: true });
  const { pixels } = generatePhantom({
    width: SIZE,
    height: SIZE,
    bitsStored: BITS,
    seed: 'webgpu-parity',
    noiseSigma: 600,
  });
  const dataset = mammographyDataset({
    pixels,
    width: SIZE,
    height: SIZE,
    bitsStored: BITS,
    photometricInterpretation: 'MONOCHROME2',
    laterality: 'L',
    view: 'CC',
    studyInstanceUid: '2.25.99120260001',
    seriesInstanceUid: '2.25.99120260002',
    sopInstanceUid: '2.25.99120260003',
    instanceNumber: 1,
    seriesDescription: 'WebGPU parity 256x256 16-bit',
    patientName: 'Parity^WebGPU',
    patientId: 'WEBGPU-001',
    spacing: 0.1,
  });
  writeFileSync(dicomFile, writePart10(dataset));
});

after(async () => {
  await browser?.close();
  for (const server of servers) server.close();
});

/** Denoises the image in a viewer allowing only `provider`; returns the label and the denoised stored values. */
async function denoiseWith(
  provider: 'webgpu' | 'wasm',
  port: number,
  build: boolean,
): Promise<{ label: string; values: number[]; ms: number }> {
  const started = await start({
    port,
    models: modelsDir,
    dicom: dicomDir,
    build,
    extensionConfiguration: { executionProviders: [provider], tileSize: 512 },
  });
  servers.push(started.server);
  const study = started.studies.find((s) => s.PatientID === 'WEBGPU-001');
  assert.ok(study, 'the generated study is listed');
  const viewer = await ViewerPage.open(
    browser,
    `${started.base}/denoise?StudyInstanceUIDs=${study.StudyInstanceUID}&url=/studies/index.json`,
  );
  try {
    await viewer.waitForImages(1);
    await viewer.pressToolbar('MammoDenoise');
    const outcome = await viewer.waitForDenoisedOrFailure(300_000);
    if (outcome.failure)
      assert.fail(
        `${provider} did not denoise: ${outcome.failure}\n${viewer.console
          .filter((l) => /webgpu|gpu|ort|error/i.test(l))
          .slice(-10)
          .join('\n')}`,
      );
    await viewer.screenshotViewport(join(ARTIFACTS, `webgpu-parity-${provider}.png`));
    const values = await viewer.page.evaluate(() => {
      const cs = (
        window as unknown as {
          cornerstone: {
            getRenderingEngines(): Array<{ getViewports(): Array<{ getCurrentImageId(): string }> }>;
            cache: { getImage(id: string): { voxelManager: { getScalarData(): ArrayLike<number> } } };
          };
        }
      ).cornerstone;
      const id = cs.getRenderingEngines()[0]!.getViewports()[0]!.getCurrentImageId();
      if (!id.startsWith('denoised:')) throw new Error(`the viewport shows ${id}, not a denoised image`);
      return Array.from(cs.cache.getImage(id).voxelManager.getScalarData());
    });
    const ms = Number(
      await viewer.page.locator('[data-testid="denoise-label"]').first().getAttribute('data-milliseconds'),
    );
    return { label: outcome.label, values, ms };
  } finally {
    await viewer.close();
    started.server.close();
  }
}

test(
  `WebGPU (SwiftShader) gives the WASM result within ${TOLERANCE} of ` +
    `the model's [0, 1] range on a ${SIZE}x${SIZE} ${BITS}-bit image`,
  async () => {
    browser = await launchChromium(['--enable-unsafe-webgpu']);
    const wasm = await denoiseWith('wasm', 3981, true);
    assert.match(wasm.label, new RegExp(`DENOISED · Untrained test fixture .* · WASM`));
    const webgpu = await denoiseWith('webgpu', 3982, false);
    assert.match(webgpu.label, /DENOISED · Untrained test fixture .* · WebGPU/, 'the label says WebGPU ran');

    const stored = storedImageFromDataset(readPart10(new Uint8Array(readFileSync(dicomFile))));
    assert.ok(stored.ok);
    const map = computeIntensityMap(stored.image);
    const scale = map.high - map.low;
    assert.equal(webgpu.values.length, SIZE * SIZE);
    assert.equal(wasm.values.length, SIZE * SIZE);
    let worst = 0;
    let differing = 0;
    let changed = 0;
    for (let i = 0; i < wasm.values.length; i += 1) {
      const d = Math.abs((webgpu.values[i] as number) - (wasm.values[i] as number));
      if (d > worst) worst = d;
      if (d > 0) differing += 1;
      if (wasm.values[i] !== stored.image.pixels[i]) changed += 1;
    }
    assert.ok(
      changed > wasm.values.length * 0.1,
      `the model changed ${changed} pixels, so the comparison means something`,
    );
    console.log(
      `WebGPU vs WASM: max difference ${worst} stored units = ${(worst / scale).toExponential(2)} of the model range ` +
        `(1 unit = ${(1 / scale).toExponential(2)}); ${differing} of ${wasm.values.length} pixels differ; ` +
        `WASM ${wasm.ms} ms, WebGPU ${webgpu.ms} ms; model ${model.id}`,
    );
    assert.ok(
      worst / scale <= TOLERANCE,
      `max difference ${worst} stored units is ${(worst / scale).toExponential(2)} ` +
        `of the model range, above ${TOLERANCE}`,
    );
  },
);
