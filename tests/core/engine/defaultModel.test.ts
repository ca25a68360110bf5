// Which model serves an image (DECISIONS): BitsStored ≤ 8 → the film default,
// more → the digital default, a kind the index does not name → "default". The
// viewer, Save and the batch tool call this one rule; an index written before
// "defaults" existed must keep its meaning, and a misspelt kind must not fall
// back silently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  defaultModelFor,
  imageKindOf,
  ModelConfigError,
  parseModelIndex,
  catalogDefaults,
  loadModelCatalog,
} from '@mammo-denoise/core';
import { fileFetch } from '../../../cli/src/batchModel';
import { DIGITAL_FIXTURE_ID, FILM_FIXTURE_ID, writeTwoKindModelsDir } from '../../fixtures/noiseMapFixtureModel';

const models = [
  { id: 'mias', onnx: 'mias.onnx', card: 'mias.json' },
  { id: 'ffdm', onnx: 'ffdm.onnx', card: 'ffdm.json' },
];

test('8 bits or fewer stored is film, more is digital', () => {
  assert.equal(imageKindOf({ bitsStored: 8 }), 'film8bit');
  assert.equal(imageKindOf({ bitsStored: 6 }), 'film8bit');
  assert.equal(imageKindOf({ bitsStored: 9 }), 'digital');
  assert.equal(imageKindOf({ bitsStored: 12 }), 'digital');
  assert.equal(imageKindOf({ bitsStored: 16 }), 'digital');
});

test('each kind gets its default; a kind the index does not name gets "default"', () => {
  const both = parseModelIndex({ default: 'mias', defaults: { film8bit: 'mias', digital: 'ffdm' }, models }, 'index');
  assert.equal(defaultModelFor(both, { bitsStored: 8 }), 'mias');
  assert.equal(defaultModelFor(both, { bitsStored: 12 }), 'ffdm');
  const filmOnly = parseModelIndex({ default: 'ffdm', defaults: { film8bit: 'mias' }, models }, 'index');
  assert.equal(defaultModelFor(filmOnly, { bitsStored: 8 }), 'mias');
  assert.equal(defaultModelFor(filmOnly, { bitsStored: 16 }), 'ffdm');
  // models/index.json as it ships today: no "defaults", every image gets "default".
  const old = parseModelIndex({ default: 'mias', models }, 'index');
  assert.equal(old.defaults, undefined);
  assert.equal(defaultModelFor(old, { bitsStored: 8 }), 'mias');
  assert.equal(defaultModelFor(old, { bitsStored: 12 }), 'mias');
});

test('"defaults" naming an unknown kind or model, or not an object, is a configuration error that says so', () => {
  const parse = (defaults: unknown) => () => parseModelIndex({ default: 'mias', defaults, models }, 'index.json');
  assert.throws(
    parse({ digitial: 'ffdm' }),
    (e: Error) =>
      e instanceof ModelConfigError && /unknown kind of image "digitial" \(known: film8bit, digital\)/.test(e.message),
  );
  assert.throws(parse({ digital: 'ffdm-2' }), /defaults\.digital "ffdm-2" is not in "models" \(mias, ffdm\)/);
  assert.throws(parse({ digital: 3 }), /defaults\.digital must be a model id/);
  assert.throws(parse(['ffdm']), /"defaults" must be an object/);
});

test(
  'a loaded catalog carries the defaults per kind: ' + 'the one rule picks the same model from it as from the index',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'two-kinds-'));
    writeTwoKindModelsDir(dir);
    const catalog = await loadModelCatalog(pathToFileURL(join(dir, 'index.json')).href, { fetchImpl: fileFetch });
    assert.equal(catalog.defaultId, FILM_FIXTURE_ID);
    assert.equal(defaultModelFor(catalogDefaults(catalog), { bitsStored: 8 }), FILM_FIXTURE_ID);
    assert.equal(defaultModelFor(catalogDefaults(catalog), { bitsStored: 12 }), DIGITAL_FIXTURE_ID);
    assert.equal(catalog.models.find((m) => m.id === DIGITAL_FIXTURE_ID)?.card.io.noiseMapInputName, 'noise_sigma');
    assert.equal(catalog.models.find((m) => m.id === FILM_FIXTURE_ID)?.card.io.noiseMapInputName, undefined);
  },
);
