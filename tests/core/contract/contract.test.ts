// The model contract as code (core/src/contract): the text written into the
// cards comes from the same constants the engine runs on, and the tile policy
// honours a card's io.sizeMultiple. Guards issue 14's "contract is prose" finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  computeIntensityMap,
  EIGHT_BIT_TISSUE_THRESHOLD,
  eightBitToModel,
  haloFor,
  isValidTileSize,
  modelToEightBit,
  normalisationText,
  paddedSize,
  planTiles,
  tilingFor,
  DEFAULT_TILE_SIZE,
} from '@mammo-denoise/core';

const MODELS = join(import.meta.dirname ?? '', '..', '..', '..', 'models');

test("the film card's normalisation text is the one the contract writes", () => {
  const card = JSON.parse(readFileSync(join(MODELS, 'mias-dae-residual.json'), 'utf8')) as {
    io: { normalization: string };
  };
  assert.equal(card.io.normalization, normalisationText('film'));
  assert.match(normalisationText('digital'), /0\.5\/99\.5 percentiles .* value \/ 255.* noise_sigma: per pixel/);
});

test(
  '8-bit values go in as /255 and come back rounded and clipped; ' + "the engine's 8-bit map uses the same threshold",
  () => {
    assert.equal(eightBitToModel(51), 51 / 255);
    for (let v = 0; v <= 255; v += 1) assert.equal(modelToEightBit(eightBitToModel(v)), v);
    assert.equal(modelToEightBit(1.2), 255);
    assert.equal(modelToEightBit(-0.1), 0);
    const map = computeIntensityMap({
      width: 1,
      height: 1,
      pixels: new Uint8Array(1),
      bitsStored: 8,
      signed: false,
      photometricInterpretation: 'MONOCHROME2',
      rescaleSlope: 1,
      rescaleIntercept: 0,
    });
    assert.equal(map.tissueThreshold, EIGHT_BIT_TISSUE_THRESHOLD);
  },
);

test('tile sizes: even, 64..2048, 512 by default; the halo and size multiple come from the card', () => {
  assert.equal(DEFAULT_TILE_SIZE, 512);
  for (const ok of [64, 512, 2048]) assert.ok(isValidTileSize(ok));
  for (const bad of [62, 63, 2050, 511, '512', 512.5]) assert.ok(!isValidTileSize(bad));
  assert.equal(haloFor(20), 24);
  assert.equal(haloFor(25), 26);
  assert.equal(haloFor(25, 4), 28);
  assert.deepEqual(tilingFor({ receptiveFieldRadius: 30, sizeMultiple: 2 }, 256), {
    tileSize: 256,
    halo: 30,
    sizeMultiple: 2,
  });
});

test('a card asking for multiples of 4 gets images padded, tiles and halos on that grid', () => {
  assert.deepEqual(paddedSize(301, 202, 4), { width: 304, height: 204 });
  const tiles = planTiles(304, 204, 64, 28, 4);
  for (const t of tiles) for (const v of [t.core.x, t.core.y, t.input.x, t.input.y]) assert.equal(v % 4, 0);
  assert.throws(() => planTiles(304, 204, 62, 28, 4), /multiple of 4/);
  assert.throws(() => planTiles(304, 204, 64, 26, 4), /multiple of 4/);
});
