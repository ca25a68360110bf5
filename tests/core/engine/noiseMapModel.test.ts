// A noise-conditioned model (two inputs: image and noise map) through the
// engine: the map reaches the graph with the asked strength, tiles equal the
// whole image within 1e-5, models without a noise map are fed exactly as
// before, and a card whose inputs do not match the graph fails with a message
// that says which names differ (it used to surface as "no execution provider").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import {
  denoiseImage,
  runTiles,
  computeIntensityMap,
  toModel,
  estimateNoiseLevel,
  noiseLevelInModelSpace,
  noiseMap,
  createOrtRunner,
  ModelContractError,
  type ModelRunner,
  paddedSize,
  haloFor,
  type StoredImage,
} from '@mammo-denoise/core';
import { Random } from '../../../training/src/data/random';
import { fixtureModel } from '../../fixtures/fixtureModel';
import { engineModels } from './engineModels';
import { NOISE_FIXTURE_NOISE_INPUT, noiseMapFixtureModel } from '../../fixtures/noiseMapFixtureModel';

const K = 2;
const noiseModel = noiseMapFixtureModel(K);
const io = {
  inputName: 'input',
  outputName: 'output',
  noiseMapInputName: NOISE_FIXTURE_NOISE_INPUT,
  executionProviders: ['cpu'],
};

/**
 * A 12-bit breast-like image of odd size (air on the left,
 * signal-dependent noise), so padding and reflection are exercised.
 */
function digitalImage(width = 151, height = 117): StoredImage {
  const random = Random.fromSeed('noise-map-model');
  const pixels = new Uint16Array(width * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const mean = x < width / 6 ? 50 : 800 + 2500 * (x / width) + 200 * Math.sin(y / 9);
      pixels[y * width + x] = Math.max(0, Math.min(4095, Math.round(mean + (3 + 0.01 * mean) * random.normal())));
    }
  }
  return {
    width,
    height,
    pixels,
    bitsStored: 12,
    signed: false,
    photometricInterpretation: 'MONOCHROME2',
    rescaleSlope: 1,
    rescaleIntercept: 0,
  };
}

/**
 * Stitched model-space output of runTiles over the padded image
 * (every tile runs: the image has tissue everywhere but the air).
 */
async function stitched(
  image: StoredImage,
  runner: ModelRunner,
  tileSize: number,
  strength?: number,
  halo = 2,
): Promise<Float32Array> {
  const map = computeIntensityMap(image);
  const padded = paddedSize(image.width, image.height);
  const out = new Float32Array(padded.width * padded.height).fill(Number.NaN);
  await runTiles(image, map, runner, { tileSize, halo, strength }, (tile, output) => {
    const { core, input } = tile;
    for (let row = 0; row < core.height; row += 1) {
      for (let col = 0; col < core.width; col += 1) {
        out[(core.y + row) * padded.width + core.x + col] = output
          ? (output[(core.y - input.y + row) * input.width + core.x - input.x + col] as number)
          : Number.NaN;
      }
    }
  });
  return out;
}

test(
  'the noise map arrives with the asked strength: ' +
    'input − output = k · strength · NLF(3x3 mean), computed on the whole image',
  async () => {
    const image = digitalImage();
    const runner = await createOrtRunner(ort, noiseModel, io);
    assert.equal(runner.takesNoiseMap, true);
    const map = computeIntensityMap(image);
    const nlfModel = noiseLevelInModelSpace(estimateNoiseLevel(image, map), map);
    // The whole image's map, from its model-space values with a reflected 1-pixel margin (noiseLevel.ts's convention).
    const { width: w, height: h } = image;
    const reflect = (i: number, n: number): number => (i < 0 ? -i : i >= n ? 2 * n - 2 - i : i);
    const margin = new Float32Array((w + 2) * (h + 2));
    for (let y = -1; y <= h; y += 1)
      for (let x = -1; x <= w; x += 1)
        margin[(y + 1) * (w + 2) + x + 1] = toModel(map, image.pixels[reflect(y, h) * w + reflect(x, w)] as number);
    for (const strength of [1, 1.25, 0.5]) {
      const expected = noiseMap(margin, w, h, nlfModel, strength);
      const out = await stitched(image, runner, 48, strength);
      const padW = paddedSize(w, h).width;
      let worst = 0;
      for (let y = 0; y < h; y += 1) {
        for (let x = 0; x < w; x += 1) {
          const fed = ((margin[(y + 1) * (w + 2) + x + 1] as number) - (out[y * padW + x] as number)) / K;
          if (!(x < w / 6)) worst = Math.max(worst, Math.abs(fed - (expected[y * w + x] as number)));
        }
      }
      assert.ok(worst < 1e-6, `strength ${strength}: the map fed differs from strength x NLF by up to ${worst}`);
    }
    await runner.release();
  },
);

test(
  'tiles equal whole-image inference within 1e-5 (odd size, ' + 'tiles of 32, 48 and one tile for the whole image)',
  async () => {
    const image = digitalImage();
    const runner = await createOrtRunner(ort, noiseModel, io);
    const whole = await stitched(image, runner, 512, 1.5);
    for (const tileSize of [32, 48]) {
      const tiled = await stitched(image, runner, tileSize, 1.5);
      let worst = 0;
      for (let i = 0; i < whole.length; i += 1)
        if (!Number.isNaN(whole[i] as number))
          worst = Math.max(worst, Math.abs((whole[i] as number) - (tiled[i] as number)));
      assert.ok(worst <= 1e-5, `tile ${tileSize}: largest difference ${worst}`);
    }
    await runner.release();
  },
);

for (const model of (await engineModels()).filter((m) => m.noiseMapInputName))
  test(
    `${model.name}: tiles equal whole-image inference within 1e-5 (odd size, ` +
      'tiles of 48 and one tile for the whole image)',
    async () => {
      const image = digitalImage();
      const runner = await createOrtRunner(ort, model.bytes, { ...io, noiseMapInputName: model.noiseMapInputName });
      const halo = haloFor(model.receptiveFieldRadius);
      const stitchedWith = async (tileSize: number): Promise<Float32Array> =>
        stitched(image, runner, tileSize, 1, halo);
      const whole = await stitchedWith(512);
      const tiled = await stitchedWith(48);
      let worst = 0;
      for (let i = 0; i < whole.length; i += 1)
        if (!Number.isNaN(whole[i] as number))
          worst = Math.max(worst, Math.abs((whole[i] as number) - (tiled[i] as number)));
      assert.ok(worst <= 1e-5, `largest difference ${worst}`);
      await runner.release();
    },
  );

test('denoiseImage with strength changes stored pixels by the map; strength outside 0.25..2 is refused', async () => {
  const image = digitalImage();
  const runner = await createOrtRunner(ort, noiseModel, io);
  const weak = await denoiseImage(image, runner, { tileSize: 64, halo: 2, strength: 0.5 });
  const strong = await denoiseImage(image, runner, { tileSize: 64, halo: 2, strength: 2 });
  let weakChange = 0;
  let strongChange = 0;
  for (let i = 0; i < image.pixels.length; i += 1) {
    weakChange += (image.pixels[i] as number) - (weak.pixels[i] as number);
    strongChange += (image.pixels[i] as number) - (strong.pixels[i] as number);
  }
  const ratio = strongChange / weakChange;
  assert.ok(
    weakChange > 0 && Math.abs(ratio - 4) < 0.05,
    `strength 2 vs 0.5 should remove 4x as much: ${strongChange} vs ${weakChange}`,
  );
  await assert.rejects(
    denoiseImage(image, runner, { tileSize: 64, halo: 2, strength: 3 }),
    /strength must be a number from 0\.25 to 2, got 3/,
  );
  await runner.release();
});

test(
  'a model without a noise-map input is never handed one; ' +
    "a noise-conditioned one gets one per tile of the tile's size",
  async () => {
    const image = digitalImage(40, 30);
    const maps: Array<Float32Array | undefined> = [];
    const plain: ModelRunner = {
      executionProvider: 'fake',
      run: async (input, _h, _w, noise) => {
        maps.push(noise);
        if (noise) assert.equal(noise.length, input.length);
        return input;
      },
      release: async () => {},
    };
    await denoiseImage(image, plain, { tileSize: 16, halo: 2, strength: 1.5 });
    assert.ok(maps.length > 0 && !maps.some(Boolean));
    const conditioned: ModelRunner = { ...plain, takesNoiseMap: true };
    maps.length = 0;
    await denoiseImage(image, conditioned, { tileSize: 16, halo: 2 });
    assert.ok(maps.length > 0 && maps.every((m) => m instanceof Float32Array));
  },
);

test(
  'a card whose inputs do not match the graph fails with a message naming both, ' + 'on every provider at once',
  async () => {
    // A noise-map graph read with a card that names no noise map.
    await assert.rejects(
      createOrtRunner(ort, noiseModel, {
        inputName: 'input',
        outputName: 'output',
        executionProviders: ['cpu', 'wasm'],
      }),
      (e: Error) =>
        e instanceof ModelContractError &&
        /graph has inputs \["input", "noise_sigma"\].*names only \["input"\].*io\.noiseMapInputName/.test(e.message),
    );
    // A card naming a noise map the graph calls otherwise.
    await assert.rejects(
      createOrtRunner(ort, noiseModel, { ...io, noiseMapInputName: 'sigma' }),
      (e: Error) => e instanceof ModelContractError && /card names the input \["sigma"\]/.test(e.message),
    );
    // A MIAS-style single-input graph whose card claims a noise map.
    await assert.rejects(
      createOrtRunner(ort, fixtureModel().bytes, io),
      (e: Error) =>
        e instanceof ModelContractError && /graph has inputs \["input"\].*\["noise_sigma"\]/.test(e.message),
    );
    // The output.
    await assert.rejects(
      createOrtRunner(ort, noiseModel, { ...io, outputName: 'denoised' }),
      /card names the output "denoised" \(io\.outputName\)/,
    );
    // Both inputs named, but the run is given no map.
    const runner = await createOrtRunner(ort, noiseModel, io);
    await assert.rejects(runner.run(new Float32Array(4), 2, 2), /takes a noise map "noise_sigma" of 2x2, got none/);
    await runner.release();
  },
);
