// The batch tool with no --model picks each image's model by the one rule
// (8 bits stored or fewer: the film default; more: the digital default; a kind
// the index does not name: "default"), and --strength reaches a
// noise-conditioned model and is recorded in the derived image, with UIDs of
// its own per strength. Models without a noise map are written exactly as
// before. Runs the real CLI on a fixture index with both kinds.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { readPart10, denoiseImage, createOrtRunner, haloFor } from '@mammo-denoise/core';
import { storedImageFromDataset } from '@mammo-denoise/core/node';
import { writeFixtureModelsDir } from '../fixtures/fixtureModel';
import {
  DIGITAL_FIXTURE_ID,
  FILM_FIXTURE_ID,
  NOISE_FIXTURE_NOISE_INPUT,
  noiseMapFixtureModel,
  writeTwoKindModelsDir,
} from '../fixtures/noiseMapFixtureModel';
import { writeBatchFolder } from './batchInputs';
import { runCli } from './runCli';

const root = mkdtempSync(join(tmpdir(), 'batch-strength-'));
const twoKinds = join(root, 'models-two-kinds');
const filmOnly = join(root, 'models-film-only');
const study = join(root, 'study');
const EIGHT = 'good-8bit.dcm';
const TWELVE = 'nested/good-12bit-mono1.dcm';

before(() => {
  writeTwoKindModelsDir(twoKinds, { k: 1 });
  writeTwoKindModelsDir(filmOnly, { digitalDefault: false });
  const all = writeBatchFolder(join(root, 'all'));
  for (const name of [EIGHT, TWELVE]) cpSync(join(all.dir, name), join(study, name));
});

const derived = (out: string, name: string) => readPart10(new Uint8Array(readFileSync(join(out, name))));

test(
  'no --model: the 8-bit image gets the film default, ' +
    'the 12-bit one the digital default at --strength, as the engine computes it',
  async () => {
    const out = join(root, 'out-125');
    const run = await runCli([study, '--models', twoKinds, '--out', out, '--strength', '1.25', '--threads', '1']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(
      run.stdout,
      new RegExp(
        `^model by image: ${FILM_FIXTURE_ID} 0\\.0\\.0-fixture for 8 bits stored or fewer, ` +
          `${DIGITAL_FIXTURE_ID} 0\\.0\\.0-fixture at strength 1\\.25x for more`,
        'm',
      ),
    );
    assert.match(run.stdout, new RegExp(`ok .*good-8bit\\.dcm .*, ${FILM_FIXTURE_ID} 0\\.0\\.0-fixture\\)$`, 'm'));
    assert.match(
      run.stdout,
      new RegExp(
        `ok .*good-12bit-mono1\\.dcm .*, ${DIGITAL_FIXTURE_ID} 0\\.0\\.0-fixture at strength 1\\.25x\\)$`,
        'm',
      ),
    );

    const film = derived(out, EIGHT);
    assert.match(
      String(film.DerivationDescription),
      new RegExp(
        `^Denoised by model ${FILM_FIXTURE_ID} version 0\\.0\\.0-fixture \\(ONNX sha256 [0-9a-f]{64}\\); research use`,
      ),
    );
    assert.match(String(film.SeriesDescription), new RegExp(`denoised \\(${FILM_FIXTURE_ID}\\)$`));
    const digital = derived(out, TWELVE);
    assert.match(
      String(digital.DerivationDescription),
      new RegExp(
        `^Denoised by model ${DIGITAL_FIXTURE_ID} version 0\\.0\\.0-fixture \\(ONNX sha256 [0-9a-f]{64}\\) ` +
          'at noise-map strength 1\\.25x; research use',
      ),
    );
    assert.match(String(digital.SeriesDescription), new RegExp(`denoised \\(${DIGITAL_FIXTURE_ID} 1\\.25x\\)$`));
    assert.match(String(digital.ImageComments), /at noise-map strength 1\.25x\. Not for primary diagnosis/);

    const source = storedImageFromDataset(readPart10(new Uint8Array(readFileSync(join(study, TWELVE)))));
    const written = storedImageFromDataset(digital);
    assert.ok(source.ok && written.ok);
    const runner = await createOrtRunner(ort, noiseMapFixtureModel(1), {
      inputName: 'input',
      outputName: 'output',
      noiseMapInputName: NOISE_FIXTURE_NOISE_INPUT,
      executionProviders: ['cpu'],
    });
    try {
      const expected = await denoiseImage(source.image, runner, { tileSize: 512, halo: haloFor(1), strength: 1.25 });
      assert.deepEqual(written.image.pixels, expected.pixels, 'the file holds the engine output at strength 1.25');
      assert.ok(
        expected.pixels.some((v, i) => v !== source.image.pixels[i]),
        'the noise map changed pixels',
      );
    } finally {
      await runner.release();
    }
  },
);

test(
  'each strength is its own derivation (own series and instance UIDs); ' + "the film image's UIDs do not depend on it",
  async () => {
    const out = join(root, 'out-1');
    const run = await runCli([study, '--models', twoKinds, '--out', out, '--threads', '1']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(
      String(derived(out, TWELVE).DerivationDescription),
      /at noise-map strength 1x;/,
      'no --strength records the default, 1x',
    );
    assert.notEqual(derived(out, TWELVE).SeriesInstanceUID, derived(join(root, 'out-125'), TWELVE).SeriesInstanceUID);
    assert.notEqual(derived(out, TWELVE).SOPInstanceUID, derived(join(root, 'out-125'), TWELVE).SOPInstanceUID);
    assert.equal(derived(out, EIGHT).SOPInstanceUID, derived(join(root, 'out-125'), EIGHT).SOPInstanceUID);
  },
);

test(
  'an index without a digital default sends the 12-bit image to "default"; ' +
    '--strength where no model takes a noise map, or out of range, is a usage error',
  async () => {
    const out = join(root, 'out-film-only');
    const run = await runCli([study, '--models', filmOnly, '--out', out, '--threads', '1']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, new RegExp(`^model ${FILM_FIXTURE_ID} 0\\.0\\.0-fixture \\(sha256 checked`, 'm'));
    assert.match(
      String(derived(out, TWELVE).DerivationDescription),
      new RegExp(`^Denoised by model ${FILM_FIXTURE_ID} `),
    );

    const mias = join(root, 'models-mias');
    writeFixtureModelsDir(mias);
    const ignored = await runCli([study, '--models', mias, '--out', join(root, 'out-none'), '--strength', '1.5']);
    assert.equal(ignored.code, 2);
    assert.match(
      ignored.stderr,
      /--strength applies only to models that take a noise map; fixture-residual takes none/,
    );
    for (const bad of ['3', '0.1', 'strong', '']) {
      const refused = await runCli([study, '--models', twoKinds, '--out', join(root, 'out-none'), '--strength', bad]);
      assert.equal(refused.code, 2, bad);
      assert.match(refused.stderr, /--strength <x>.* must be a number from 0\.25 to 2/, bad);
    }
  },
);
