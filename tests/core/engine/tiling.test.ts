// Tiling must be invisible: stitched tiles equal whole-image inference, skipped
// background tiles are exact copies, and odd sizes come back at their size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import {
  computeIntensityMap,
  toModel,
  createOrtRunner,
  NoExecutionProviderError,
  denoiseImage,
  DenoiseCancelledError,
  forEachCorePixel,
  runTiles,
  haloFor,
  paddedSize,
  planTiles,
  reflectIndex,
  type StoredImage,
} from '@mammo-denoise/core';
import { fixtureModel } from '../../fixtures/fixtureModel';
import { engineModels } from './engineModels';

function mammogramLike(width: number, height: number): StoredImage {
  const pixels = new Uint16Array(width * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const inside = (x / width) ** 2 + ((y - height / 2) / (height / 2)) ** 2 < 0.8;
      pixels[y * width + x] = inside
        ? 1500 + Math.round(1000 * Math.sin(x / 5) * Math.cos(y / 7) + ((x * 7919 + y * 104729) % 400))
        : 60 + ((x + y) % 5);
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
 * The same phantom at 8 bits with salt-and-pepper: exact 0/255 pixels exercise the impulse switch across tile seams.
 */
function eightBitWithImpulses(width: number, height: number): StoredImage {
  const twelve = mammogramLike(width, height);
  const pixels = Uint8Array.from(twelve.pixels, (v, i) =>
    i % 19 === 0 ? 255 : i % 23 === 0 ? 0 : Math.min(254, Math.max(1, Math.round(v / 11))),
  );
  return { ...twelve, pixels, bitsStored: 8 };
}

test('tiles cover every pixel once, start at even origins and carry the halo', () => {
  const tiles = planTiles(300, 202, 64, 24);
  const seen = new Uint8Array(300 * 202);
  for (const t of tiles) {
    assert.equal(t.core.x % 2, 0);
    assert.equal(t.core.y % 2, 0);
    assert.equal(t.input.width % 2, 0);
    assert.equal(t.input.height % 2, 0);
    assert.ok(t.core.x - t.input.x === Math.min(24, t.core.x));
    for (let y = t.core.y; y < t.core.y + t.core.height; y += 1)
      for (let x = t.core.x; x < t.core.x + t.core.width; x += 1) seen[y * 300 + x] += 1;
  }
  assert.ok(seen.every((n) => n === 1));
  assert.equal(haloFor(20), 24);
  assert.equal(haloFor(25), 26);
  assert.deepEqual(paddedSize(301, 203), { width: 302, height: 204 });
  assert.equal(reflectIndex(301, 301), 299);
  assert.throws(() => planTiles(301, 200, 64, 24), /even-padded/);
});

// Noise-conditioned models (a second input) are checked the same way in noiseMapModel.test.ts.
for (const model of (await engineModels()).filter((m) => !m.noiseMapInputName))
  for (const [kind, phantom] of [
    ['12-bit', mammogramLike],
    ['8-bit with impulses', eightBitWithImpulses],
  ] as const) {
    test(
      `${model.name}: tiled inference equals whole-image inference within 1e-5 ` + `(${kind}, odd size, CPU provider)`,
      async () => {
        const runner = await createOrtRunner(ort, model.bytes, {
          inputName: 'input',
          outputName: 'output',
          executionProviders: ['cpu'],
        });
        const image = phantom(181, 139);
        const map = computeIntensityMap(image);
        const { width, height } = paddedSize(image.width, image.height);
        const whole = new Float32Array(width * height);
        for (let y = 0; y < height; y += 1)
          for (let x = 0; x < width; x += 1)
            whole[y * width + x] = toModel(
              map,
              image.pixels[reflectIndex(y, image.height) * image.width + reflectIndex(x, image.width)] as number,
            );
        const reference = await runner.run(whole, height, width);
        const tiled = new Float32Array(image.width * image.height).fill(Number.NaN);
        const halo = haloFor(model.receptiveFieldRadius);
        const progress = await runTiles(image, map, runner, { tileSize: 48, halo }, (tile, output) => {
          assert.ok(output, 'this phantom has tissue in every tile');
          forEachCorePixel(image, tile, (dst, src) => {
            tiled[dst] = output[src] as number;
          });
        });
        assert.equal(progress.tilesTotal, 12);
        let worst = 0;
        for (let y = 0; y < image.height; y += 1)
          for (let x = 0; x < image.width; x += 1)
            worst = Math.max(
              worst,
              Math.abs((tiled[y * image.width + x] as number) - (reference[y * width + x] as number)),
            );
        assert.ok(worst <= 1e-5, `max difference ${worst}`);
        await runner.release();
      },
    );
  }

test('tiles without tissue are not run and come back as exact copies; the input is untouched', async () => {
  const { bytes, receptiveFieldRadius } = fixtureModel();
  const runner = await createOrtRunner(ort, bytes, {
    inputName: 'input',
    outputName: 'output',
    executionProviders: ['cpu'],
  });
  const image = mammogramLike(256, 128);
  // Background only in the right half.
  for (let y = 0; y < 128; y += 1) for (let x = 128; x < 256; x += 1) image.pixels[y * 256 + x] = 60;
  const before = image.pixels.slice();
  const progresses: number[] = [];
  const result = await denoiseImage(image, runner, {
    tileSize: 32,
    halo: haloFor(receptiveFieldRadius),
    onProgress: (p) => progresses.push(p.tilesDone),
  });
  assert.deepEqual(image.pixels, before);
  assert.ok(result.pixels instanceof Uint16Array);
  assert.ok(result.stats.tilesSkipped >= 8, `skipped ${result.stats.tilesSkipped}`);
  for (let y = 0; y < 128; y += 1) for (let x = 128 + 32; x < 256; x += 1) assert.equal(result.pixels[y * 256 + x], 60);
  let changed = 0;
  for (let i = 0; i < 128 * 64; i += 1)
    if (result.pixels[Math.floor(i / 64) * 256 + (i % 64)] !== before[Math.floor(i / 64) * 256 + (i % 64)])
      changed += 1;
  assert.ok(changed > 1000, 'tissue was processed');
  assert.deepEqual(
    progresses,
    Array.from({ length: result.stats.tilesTotal + 1 }, (_, i) => i),
  );
  await runner.release();
});

test('cancelling stops between tiles with DenoiseCancelledError', async () => {
  const { bytes } = fixtureModel();
  const runner = await createOrtRunner(ort, bytes, {
    inputName: 'input',
    outputName: 'output',
    executionProviders: ['cpu'],
  });
  const controller = new AbortController();
  let seen = 0;
  await assert.rejects(
    denoiseImage(mammogramLike(128, 128), runner, {
      tileSize: 32,
      halo: 24,
      signal: controller.signal,
      onProgress: (p) => {
        seen = p.tilesDone;
        if (p.tilesDone === 2) controller.abort();
      },
    }),
    DenoiseCancelledError,
  );
  assert.equal(seen, 2);
  await runner.release();
});

test(
  'a cancel that arrives as a task (a worker message) ' +
    'stops the run within a tile, even with a runner that never yields',
  async () => {
    // onnxruntime-web's single-threaded WASM run settles without giving the event loop a turn, so a worker's
    // "cancel" (or a newer "denoise") message would wait for every tile; this runner does the same.
    const microtaskOnly = {
      executionProvider: 'wasm',
      run: async (input: Float32Array) => input,
      release: async () => undefined,
    };
    const controller = new AbortController();
    let seen = 0;
    await assert.rejects(
      denoiseImage(mammogramLike(256, 256), microtaskOnly, {
        tileSize: 32,
        halo: 24,
        signal: controller.signal,
        onProgress: (p) => {
          seen = p.tilesDone;
          if (p.tilesDone === 1) setTimeout(() => controller.abort(), 0);
        },
      }),
      DenoiseCancelledError,
    );
    assert.ok(seen <= 2, `stopped after ${seen} tiles of 64`);
  },
);

test('execution providers fall back in order and say why; none at all is a clear error', async () => {
  const { bytes } = fixtureModel();
  const reasons: string[] = [];
  const runner = await createOrtRunner(ort, bytes, {
    inputName: 'input',
    outputName: 'output',
    executionProviders: ['no-such-ep', 'cpu'],
    onFallback: (p, r) => reasons.push(`${p}: ${r}`),
  });
  assert.equal(runner.executionProvider, 'cpu');
  assert.equal(reasons.length, 1);
  assert.match(reasons[0]!, /^no-such-ep: /);
  await runner.release();
  await assert.rejects(
    createOrtRunner(ort, bytes, { inputName: 'input', outputName: 'output', executionProviders: ['no-such-ep'] }),
    NoExecutionProviderError,
  );
  await assert.rejects(
    createOrtRunner(ort, bytes, { inputName: 'image', outputName: 'output', executionProviders: ['cpu'] }),
    /graph has inputs \["input"\].*card names the input \["image"\] \(io\.inputName\)/,
  );
});
