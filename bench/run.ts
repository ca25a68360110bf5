#!/usr/bin/env node
/**
 * npm run bench: time to denoise the sample image (2048x1664, 12-bit) with
 * onnxruntime-node (1 and 2 threads) and in the real viewer in Chromium with
 * onnxruntime-web on WASM (1 and 2 threads) and WebGPU (with
 * --enable-unsafe-webgpu; headless Chromium's adapter is SwiftShader, a
 * software renderer: a correctness path, not a speed figure). Then a
 * full-field digital case (4096x3328, 12-bit) with the model the index serves
 * such images (its digital default), on onnxruntime-node and in the viewer on
 * WASM, 2 threads each, next to the MIAS default, and the time to estimate
 * that image's noise level. Then the renderer's peak memory for three
 * 5355x4915 16-bit images, all denoised, in Compare with Difference (issue
 * 15's floor; alone: npx tsx bench/memory.ts), and Denoise-all over the four
 * screening views against one view (issue 16's 4.5x; alone: npx tsx
 * bench/screening.ts). Prints tables.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_TILE_SIZE, parseModelCard, parseModelIndex, readPart10 } from '@mammo-denoise/core';
import { storedImageFromDataset } from '@mammo-denoise/core/node';
import { start } from '../scripts/start/start';
import { writeFixtureModelsDir } from '../tests/fixtures/fixtureModel';
import { launchChromium, ViewerPage } from '../tests/e2e/viewerPage';
import { timeBatch } from './batchTiming';
import { describeDecodeTiming, timeJpeg2000Decode } from './decodeCase';
import { timeNodeEngine } from './nodeEngine';
import { describeMemoryFloor, measureMemoryFloor } from './memoryCase';
import {
  describeDenoiseAll,
  describeScreeningMemory,
  measureDenoiseAll,
  measureScreeningMemory,
} from './screeningCase';
import {
  digitalDefault,
  LARGE,
  LARGE_PATIENT_ID,
  readBenchModel,
  timeNoiseLevel,
  writeLargeDigitalStudy,
} from './digitalCase';

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));

function modelsFolder(): { dir: string; note: string } {
  const dir = join(repoRoot, 'models');
  if (existsSync(join(dir, 'index.json'))) return { dir, note: 'the default model in models/' };
  const fixture = mkdtempSync(join(tmpdir(), 'bench-models-'));
  writeFixtureModelsDir(fixture);
  return {
    dir: fixture,
    note: 'an untrained network of the shipped architecture (no model in models/ yet; the cost is the same)',
  };
}

async function browserTiming(
  base: string,
  studyUid: string,
  extraArgs: string[],
  timeout: number,
): Promise<{ ms: number; label: string }> {
  // Generous for the large image: it loads 13.6 million pixels before Denoise can be pressed.
  const browser = await launchChromium(extraArgs);
  try {
    const viewer = await ViewerPage.open(
      browser,
      `${base}/denoise?StudyInstanceUIDs=${studyUid}&url=/studies/index.json`,
    );
    await viewer.waitForImages(1, 120_000);
    await viewer.pressToolbar('MammoDenoise');
    const label = await viewer.waitForLabel('denoised', timeout);
    const ms = Number(
      await viewer.page.locator('[data-testid="denoise-label"]').first().getAttribute('data-milliseconds'),
    );
    await viewer.close();
    return { ms, label };
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  // The pixel decoder first (no model, no viewer): also alone with `npx tsx bench/decode.ts`.
  console.log(describeDecodeTiming(await timeJpeg2000Decode()));
  const models = modelsFolder();
  const index = parseModelIndex(JSON.parse(readFileSync(join(models.dir, 'index.json'), 'utf8')), 'index');
  const entry = index.models.find((m) => m.id === index.default)!;
  const card = parseModelCard(JSON.parse(readFileSync(join(models.dir, entry.card), 'utf8')), entry.card);
  const onnx = new Uint8Array(readFileSync(join(models.dir, entry.onnx)));
  console.log(`model: ${card.id} ${card.version} (${models.note})`);

  const rows: Array<[string, string, string]> = [];
  let built = false;
  // SwiftShader runs WebGPU on the CPU: give it a bounded time and report if it does not finish.
  const variants: Array<{ name: string; config: Record<string, unknown>; args: string[]; timeout: number }> = [
    {
      name: 'onnxruntime-web WASM, 1 thread',
      config: { executionProviders: ['wasm'], numThreads: 1 },
      args: [],
      timeout: 900_000,
    },
    {
      name: 'onnxruntime-web WASM, 2 threads',
      config: { executionProviders: ['wasm'], numThreads: 2 },
      args: [],
      timeout: 900_000,
    },
    {
      name: 'onnxruntime-web WebGPU (SwiftShader, software)',
      config: { executionProviders: ['webgpu'] },
      args: ['--enable-unsafe-webgpu'],
      timeout: Number(process.env.BENCH_WEBGPU_TIMEOUT_MS ?? 300_000),
    },
  ];
  let sample: string | null = null;
  for (const variant of variants) {
    const started = await start({
      port: 3931,
      models: models.dir,
      build: !built,
      extensionConfiguration: variant.config,
    });
    built = true;
    sample = join(started.studiesRoot, 'phantom-L-CC.dcm');
    try {
      const phantom = started.studies.find((s) => s.PatientID === 'PHANTOM-001')!;
      const { ms, label } = await browserTiming(started.base, phantom.StudyInstanceUID, variant.args, variant.timeout);
      rows.push([variant.name, `${(ms / 1000).toFixed(1)} s`, `ran on ${label.split(' · ').slice(-2, -1)[0] ?? '?'}`]);
    } catch (error) {
      const timedOut = /Timeout/.test((error as Error).message);
      rows.push([
        variant.name,
        timedOut ? `> ${variant.timeout / 1000} s` : 'failed',
        timedOut ? 'did not finish in the time allowed' : ((error as Error).message.split('\n')[0] ?? ''),
      ]);
    } finally {
      console.log(`${rows.at(-1)?.join(': ')}`);
      started.server.close();
    }
  }
  const stored = storedImageFromDataset(readPart10(new Uint8Array(readFileSync(sample!))));
  if (!stored.ok) throw new Error(stored.reason);
  for (const threads of [1, 2]) {
    const t = await timeNodeEngine(onnx, stored.image, threads, DEFAULT_TILE_SIZE, card.io);
    rows.push([
      `onnxruntime-node CPU, ${threads} thread${threads > 1 ? 's' : ''}`,
      `${(t.milliseconds / 1000).toFixed(1)} s`,
      `${t.tiles} tiles, ${t.skipped} skipped`,
    ]);
  }
  const studyFiles = [sample!, sample!.replace('phantom-L-CC.dcm', 'phantom-L-MLO.dcm')];
  const batchOut = mkdtempSync(join(tmpdir(), 'bench-batch-'));
  const batch = await timeBatch(models.dir, studyFiles, batchOut, 2);
  if (batch.ok !== studyFiles.length)
    throw new Error(`the batch tool denoised ${batch.ok} of ${studyFiles.length} sample images`);
  rows.push([
    'ohif-denoise batch (read, denoise, derive, write), 2 threads',
    `${(batch.seconds / batch.ok).toFixed(1)} s per image`,
    `${(batch.megapixels / batch.seconds).toFixed(2)} megapixels/s over the ${batch.ok}-image sample study`,
  ]);
  console.log(
    `\nDenoise the sample image (${stored.image.width}x${stored.image.height}, ` +
      `${stored.image.bitsStored}-bit), tile 512, halo 24:\n`,
  );
  printTable(rows);
  await largeDigitalCase(models.dir, card.id);
  // Issue 15: the renderer's peak for a screening-sized series, every image denoised, in Compare with Difference.
  console.log(`\n${describeMemoryFloor(await measureMemoryFloor())}`);
  // Issue 16: Denoise-all over the four screening views against one view (alone: npx tsx bench/screening.ts).
  console.log(`\n${describeDenoiseAll(await measureDenoiseAll(models.dir))}`);
  console.log(`\n${describeScreeningMemory(await measureScreeningMemory())}`);
}

function printTable(rows: ReadonlyArray<readonly [string, string, string]>): void {
  console.log('| engine | time | note |\n|---|---|---|');
  for (const [a, b, c] of rows) console.log(`| ${a} | ${b} | ${c} |`);
}

/**
 * The issue-13 targets: at most 10 s on onnxruntime-node, 15 s on
 * WASM in the viewer, 2 threads each, for the digital default.
 */
async function largeDigitalCase(modelsDir: string, miasDefaultId: string): Promise<void> {
  const digital = digitalDefault(modelsDir);
  const model = readBenchModel(modelsDir, digital.id);
  const noiseMap = model.card.io.noiseMapInputName;
  console.log(
    `\ndigital default: ${model.card.id} ${model.card.version} (${digital.note})` +
      (noiseMap ? `, noise map "${noiseMap}"` : ', no noise map'),
  );
  const dicomDir = mkdtempSync(join(tmpdir(), 'bench-ffdm-'));
  const image = writeLargeDigitalStudy(dicomDir);
  const rows: Array<[string, string, string]> = [];
  rows.push([
    'noise level estimate (Node, whole image, once per image)',
    `${(timeNoiseLevel(image) / 1000).toFixed(2)} s`,
    'estimateNoiseLevel, fastest of 3; runs only for models with a noise map',
  ]);
  const nodeModels = digital.id === miasDefaultId ? [digital.id] : [digital.id, miasDefaultId];
  for (const id of nodeModels) {
    const { card, onnx } = readBenchModel(modelsDir, id);
    const t = await timeNodeEngine(onnx, image, 2, DEFAULT_TILE_SIZE, card.io);
    const role = id === digital.id ? 'digital default' : 'MIAS default';
    rows.push([
      `onnxruntime-node CPU, 2 threads, ${role} ${card.id}`,
      `${(t.milliseconds / 1000).toFixed(1)} s`,
      `${t.tiles} tiles, ${t.skipped} skipped${id === digital.id ? '; target ≤ 10 s' : ''}`,
    ]);
    console.log(`${rows.at(-1)?.join(': ')}`);
  }
  // The viewer picks the model by the same rule (12 bits stored → the digital default), so pressing Denoise runs it.
  const started = await start({
    port: 3932,
    models: modelsDir,
    dicom: dicomDir,
    build: false,
    extensionConfiguration: { executionProviders: ['wasm'], numThreads: 2 },
  });
  try {
    const study = started.studies.find((s) => s.PatientID === LARGE_PATIENT_ID)!;
    const { ms, label } = await browserTiming(started.base, study.StudyInstanceUID, [], 900_000);
    rows.push([
      `onnxruntime-web WASM, 2 threads, in the viewer, digital default ${model.card.id}`,
      `${(ms / 1000).toFixed(1)} s`,
      `label: ${label}; target ≤ 15 s`,
    ]);
  } catch (error) {
    rows.push([
      `onnxruntime-web WASM, 2 threads, in the viewer, digital default ${model.card.id}`,
      'failed',
      (error as Error).message.split('\n')[0] ?? '',
    ]);
  } finally {
    started.server.close();
  }
  console.log(
    `\nDenoise a full-field digital image (${LARGE.width}x${LARGE.height}, ` +
      `${LARGE.bitsStored}-bit, synthetic), tile 512:\n`,
  );
  printTable(rows);
}

await main();
