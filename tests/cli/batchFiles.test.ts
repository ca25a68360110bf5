// The batch tool on a folder as an admin would meet it: good images are
// denoised into derived DICOM exactly as the engine computes them, everything
// else is reported per file without stopping the batch, inputs stay
// byte-identical, existing outputs are not overwritten without --overwrite,
// and the exit code says whether every file was denoised.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { MG_FOR_PRESENTATION, SECONDARY_CAPTURE, readPart10, denoiseImage, haloFor } from '@mammo-denoise/core';
import { storedImageFromDataset } from '@mammo-denoise/core/node';
import { fixtureCpuRunner, fixtureModel, writeFixtureModelsDir } from '../fixtures/fixtureModel';
import { dciodvfyErrors } from '../fixtures/tools';
import { hashTree, writeBatchFolder, type BatchFolder } from './batchInputs';
import { runCli } from './runCli';

const root = mkdtempSync(join(tmpdir(), 'batch-files-'));
const modelsDir = join(root, 'models');
let model: { id: string; sha256: string };
let folder: BatchFolder;

before(() => {
  model = writeFixtureModelsDir(modelsDir);
  folder = writeBatchFolder(join(root, 'study'));
});

test(
  'a mixed folder: good images denoised exactly as the engine does, ' +
    'the rest reported per file, exit code 1, inputs unchanged',
  async () => {
    const inputsBefore = hashTree(folder.dir);
    const out = join(root, 'out-mixed');
    const run = await runCli([folder.dir, '--models', modelsDir, '--out', out, '--threads', '1']);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const lineFor = (name: string) => run.stdout.split('\n').find((l) => l.includes(name)) ?? `(no line for ${name})`;
    assert.match(lineFor('good-8bit.dcm'), /^ok /);
    assert.match(lineFor('good-12bit-mono1.dcm'), /^ok /);
    assert.match(lineFor('multi-frame.dcm'), /^skipped .*multi-frame object \(3 frames/);
    assert.match(lineFor('rgb.dcm'), /^skipped .*colour image \(RGB, 3 samples per pixel\)/);
    assert.match(lineFor('report.dcm'), /^skipped .*no pixel data/);
    assert.match(lineFor('corrupt.dcm'), /^failed .*not a readable DICOM Part 10 file/);
    assert.match(run.stdout, /2 ok, 1 failed, 3 skipped in [0-9.]+ s, [0-9.]+ images\/s, [0-9.]+ megapixels\/s/);
    assert.deepEqual(hashTree(folder.dir), inputsBefore, 'inputs are byte-identical');
    assert.deepEqual(Object.keys(hashTree(out)).sort(), ['good-8bit.dcm', 'nested/good-12bit-mono1.dcm']);

    const runner = await fixtureCpuRunner(ort);
    try {
      for (const [name, sopUid] of Object.entries(folder.good)) {
        const source = readPart10(new Uint8Array(readFileSync(join(folder.dir, name))));
        const derived = readPart10(new Uint8Array(readFileSync(join(out, name))));
        assert.deepEqual(derived.ImageType, ['DERIVED', 'SECONDARY'], name);
        assert.equal(derived.SOPClassUID, MG_FOR_PRESENTATION, name);
        assert.equal(derived.StudyInstanceUID, folder.studyInstanceUid, name);
        assert.notEqual(derived.SeriesInstanceUID, source.SeriesInstanceUID, name);
        assert.notEqual(derived.SOPInstanceUID, sopUid, name);
        const reference = (derived.SourceImageSequence as Array<Record<string, unknown>>)[0];
        assert.equal(reference?.ReferencedSOPInstanceUID, sopUid, name);
        assert.match(
          String(derived.DerivationDescription),
          new RegExp(`${model.id} version 0\\.0\\.0-fixture \\(ONNX sha256 ${model.sha256}\\)`),
        );
        for (const key of ['PhotometricInterpretation', 'BitsStored', 'Rows', 'Columns', 'PixelSpacing'])
          assert.deepEqual(derived[key], source[key], `${name} ${key}`);
        assert.deepEqual(dciodvfyErrors(join(out, name)), [], `${name} passes dciodvfy`);

        const original = storedImageFromDataset(source);
        const written = storedImageFromDataset(derived);
        assert.ok(original.ok && written.ok);
        const expected = await denoiseImage(original.image, runner, {
          tileSize: 512,
          halo: haloFor(fixtureModel().receptiveFieldRadius),
        });
        assert.deepEqual(written.image.pixels, expected.pixels, `${name}: the file holds the engine's output`);
        assert.ok(
          expected.pixels.some((v, i) => v !== original.image.pixels[i]),
          `${name}: denoising changed pixels`,
        );
      }
    } finally {
      await runner.release();
    }
    // Both good images share one derived series (they came from one source series).
    const series = Object.keys(folder.good).map(
      (name) => readPart10(new Uint8Array(readFileSync(join(out, name)))).SeriesInstanceUID,
    );
    assert.equal(series[0], series[1]);
  },
);

test('a rerun refuses to overwrite existing outputs without --overwrite, and replaces them with it', async () => {
  const good = join(root, 'good-only');
  cpSync(join(folder.dir, 'good-8bit.dcm'), join(good, 'a.dcm'));
  const out = join(root, 'out-rerun');
  const first = await runCli([good, '--models', modelsDir, '--out', out]);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.match(first.stdout, /1 ok, 0 failed, 0 skipped/);
  writeFileSync(join(out, 'a.dcm'), 'an earlier output the admin keeps');
  const again = await runCli([good, '--models', modelsDir, '--out', out]);
  assert.equal(again.code, 1);
  assert.match(again.stdout, /skipped .*a\.dcm: .*already exists \(--overwrite replaces it\)/);
  assert.equal(readFileSync(join(out, 'a.dcm'), 'utf8'), 'an earlier output the admin keeps');
  const forced = await runCli([
    good,
    '--models',
    modelsDir,
    '--out',
    out,
    '--overwrite',
    '--sop-class',
    'secondary-capture',
  ]);
  assert.equal(forced.code, 0, forced.stdout + forced.stderr);
  assert.equal(readPart10(new Uint8Array(readFileSync(join(out, 'a.dcm')))).SOPClassUID, SECONDARY_CAPTURE);
  assert.deepEqual(dciodvfyErrors(join(out, 'a.dcm')), []);
});

test('the default output folder is <input>-denoised; the input folder itself is refused as --out', async () => {
  const good = join(root, 'default-out');
  cpSync(join(folder.dir, 'good-8bit.dcm'), join(good, 'b.dcm'));
  const before = hashTree(good);
  const run = await runCli([good, '--models', modelsDir]);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.ok(existsSync(join(`${good}-denoised`, 'b.dcm')));
  const intoInput = await runCli([good, '--models', modelsDir, '--out', good, '--overwrite']);
  assert.equal(intoInput.code, 2);
  assert.match(intoInput.stderr, /--out .* is an input folder/);
  assert.deepEqual(hashTree(good), before);
});

test(
  'a model that fails its sha256 check, ' +
    'an unknown model id and bad options stop before any file, with exit code 2',
  async () => {
    const tampered = join(root, 'models-tampered');
    cpSync(modelsDir, tampered, { recursive: true });
    const cardPath = join(tampered, `${model.id}.json`);
    const card = JSON.parse(readFileSync(cardPath, 'utf8')) as { onnx: { sha256: string } };
    card.onnx.sha256 = 'f'.repeat(64);
    writeFileSync(cardPath, JSON.stringify(card));
    const out = join(root, 'out-none');
    const bad = await runCli([folder.dir, '--models', tampered, '--out', out]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /failed its integrity check: sha256 [0-9a-f]{64}, expected f{64}/);
    assert.match(bad.stderr, /nothing was denoised/);
    const unknown = await runCli([folder.dir, '--models', modelsDir, '--model', 'no-such-model', '--out', out]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /model "no-such-model" is not in .*index\.json \(it lists fixture-residual\)/);
    const noModels = await runCli([folder.dir, '--models', join(root, 'nowhere'), '--out', out]);
    assert.equal(noModels.code, 2);
    assert.match(noModels.stderr, /model index .*index\.json could not be fetched: HTTP 404/);
    const tile = await runCli([folder.dir, '--models', modelsDir, '--tile-size', '100001']);
    assert.equal(tile.code, 2);
    assert.match(tile.stderr, /--tile-size .* must be an even integer from 64 to 2048/);
    const none = await runCli(['--models', modelsDir]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /give DICOM files or folders, or --study <uid> --from <dicomweb root>/);
    assert.equal(existsSync(out), false, 'nothing was written');
  },
);

test(
  'a store target that cannot be reached fails each file ' + 'with a message that never shows the authorization value',
  async () => {
    const good = join(root, 'store-fail');
    cpSync(join(folder.dir, 'good-8bit.dcm'), join(good, 'c.dcm'));
    const secret = 'Bearer do-not-print-7d1f';
    const run = await runCli(
      [good, '--models', modelsDir, '--out', join(root, 'out-store-fail'), '--store', 'http://127.0.0.1:9/dicom-web'],
      { DICOMWEB_AUTHORIZATION: secret },
    );
    assert.equal(run.code, 1);
    assert.match(run.stdout, /failed .*c\.dcm: denoised and written to .*, but not stored: .*could not be reached/);
    assert.ok(!`${run.stdout}${run.stderr}`.includes('do-not-print'), 'the authorization value is never printed');
  },
);
