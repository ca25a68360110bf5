// The batch tool on what scanners and archives store (issue 12: a real folder
// used to give "its pixel data is compressed ... decompress it first" for every
// mammogram): every lossless syntax is denoised exactly as its uncompressed
// twin; lossy sources give derived images marked Lossy Image Compression 01;
// damaged and multi-frame files are refused by name; dcmjs's warnings appear
// once, in the file's line, never raw. --transfer-syntax writes JPEG 2000 or
// JPEG-LS lossless that round-trips and passes dciodvfy.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { readPart10, writePart10, transferSyntaxOf, TRANSFER_SYNTAX } from '@mammo-denoise/core';
import { decodeStoredImage, storedImageFromDataset } from '@mammo-denoise/core/node';
import {
  fileWithLongAge,
  gdcmRaw,
  headerStrippedFile,
  originalDataset,
  PIXEL_KINDS,
  writeLosslessCases,
  writeLossyCases,
  type CompressedCase,
} from '../fixtures/compressedDicom';
import { writeFixtureModelsDir } from '../fixtures/fixtureModel';
import { truncateLastFragment } from '../fixtures/scannerDicom';
import { dciodvfyErrors } from '../fixtures/tools';
import { runCli } from './runCli';

const root = mkdtempSync(join(tmpdir(), 'batch-compressed-'));
const modelsDir = join(root, 'models');
const compressed = join(root, 'compressed');
const twins = join(root, 'uncompressed');
let lossless: CompressedCase[];
let lossy: CompressedCase[];

const read = (path: string) => readPart10(new Uint8Array(readFileSync(path)));
const pixelBytes = (path: string) => new Uint8Array(read(path).PixelData as ArrayBuffer);

before(() => {
  writeFixtureModelsDir(modelsDir);
  lossless = writeLosslessCases(compressed);
  lossy = writeLossyCases(join(compressed, 'lossy'));
  // Each compressed file's uncompressed twin (gdcmconv --raw) goes to its own folder, under the same name.
  mkdirSync(twins, { recursive: true });
  for (const c of [...lossless, ...lossy]) renameSync(c.gdcmRawPath, join(twins, basename(c.path)));
  const damaged = join(compressed, 'damaged');
  mkdirSync(damaged);
  const j2k = lossless.find((c) => c.id === 'u12-mono1-j2k')!;
  writeFileSync(
    join(damaged, 'j2k-last-fragment-halved.dcm'),
    truncateLastFragment(new Uint8Array(readFileSync(j2k.path))),
  );
  const whole = new Uint8Array(readFileSync(lossless.find((c) => c.id === 'u16-mono2-jpeg-ls')!.path));
  writeFileSync(join(damaged, 'jpeg-ls-cut-in-half.dcm'), whole.subarray(0, Math.floor(whole.length / 2)));
  const { dataset } = originalDataset(PIXEL_KINDS[1]!);
  const frame = (dataset.PixelData as ArrayBuffer[])[0]!;
  const frames = new Uint8Array(frame.byteLength * 2);
  frames.set(new Uint8Array(frame), 0);
  frames.set(new Uint8Array(frame), frame.byteLength);
  writeFileSync(
    join(damaged, 'multi-frame.dcm'),
    writePart10({ ...dataset, NumberOfFrames: 2, PixelData: [frames.buffer] }),
  );
  writeFileSync(join(compressed, 'long-age.dcm'), fileWithLongAge());
  writeFileSync(join(compressed, 'header-stripped.dcm'), headerStrippedFile());
});

test(
  'a folder in every syntax: lossless ones denoised exactly as their uncompressed twins, ' +
    'lossy ones marked, damaged ones refused, warnings once per line',
  async () => {
    const out = join(root, 'out');
    const twinsOut = join(root, 'twins-out');
    const run = await runCli([compressed, '--models', modelsDir, '--out', out, '--threads', '1']);
    const twinRun = await runCli([twins, '--models', modelsDir, '--out', twinsOut, '--threads', '1']);
    assert.equal(twinRun.code, 0, twinRun.stdout + twinRun.stderr);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const lines = run.stdout.split('\n');
    const lineFor = (name: string) =>
      lines.find((l) => l.includes(`${name} `) || l.includes(`${name}:`)) ?? `(no line for ${name})`;
    assert.match(run.stdout, new RegExp(`${lossless.length + lossy.length + 2} ok, 0 failed, 3 skipped`));

    for (const c of lossless) {
      assert.match(lineFor(basename(c.path)), /^ok /, c.id);
      assert.doesNotMatch(lineFor(basename(c.path)), /lossy/, c.id);
      const name = basename(c.path);
      assert.deepEqual(
        pixelBytes(join(out, name)),
        pixelBytes(join(twinsOut, name)),
        `${c.id}: same output as its uncompressed twin`,
      );
      assert.notEqual(read(join(out, name)).LossyImageCompression, '01');
    }
    for (const c of lossy) {
      const name = basename(c.path);
      assert.match(
        lineFor(name),
        /^ok .*\[lossy-compressed source: the derived image says Lossy Image Compression 01\]/,
        c.id,
      );
      const derived = read(join(out, 'lossy', name));
      assert.equal(derived.LossyImageCompression, '01', c.id);
      assert.match(String(derived.DerivationDescription), /source pixels were lossy /, c.id);
      assert.ok(derived.LossyImageCompressionMethod, `${c.id}: method recorded`);
      assert.deepEqual(dciodvfyErrors(join(out, 'lossy', name)), [], `${c.id}: dciodvfy`);
    }
    assert.match(
      lineFor('j2k-last-fragment-halved.dcm'),
      /^skipped .*JPEG 2000 lossless pixel data could not be decoded/,
    );
    assert.match(lineFor('jpeg-ls-cut-in-half.dcm'), /^skipped .*the file is truncated/);
    assert.match(lineFor('multi-frame.dcm'), /^skipped .*multi-frame object \(2 frames/);
    // Read as dcmjs warns, and written back cut to 4 characters (dcmjs says that too): both in the one line.
    assert.match(
      lineFor('long-age.dcm'),
      new RegExp(
        '^ok .*\\[warnings: Invalid length for fixed length tag, vr AS, length 4 != 6; ' +
          'Truncating value 045YRS of PatientAge because it is longer than 4\\]$',
      ),
    );
    assert.equal(run.stdout.split('Invalid length for fixed length tag').length - 1, 1, 'the warning is reported once');
    // As the RSNA screening files: SOP Class UID only in the file
    // meta, Type 2 attributes and the meta group length gone.
    assert.match(
      lineFor('header-stripped.dcm'),
      new RegExp(
        '^ok .*\\[warnings: the file meta information has no group length \\(0002,0000\\); ' +
          'SOP Class UID taken from the file meta \\(0002,0002\\)\\]$',
      ),
    );
    assert.deepEqual(
      dciodvfyErrors(join(out, 'header-stripped.dcm')),
      [],
      'the derived image of a stripped header passes dciodvfy',
    );
    assert.equal(run.stderr, '', 'nothing raw on the terminal');
  },
);

for (const [choice, uid] of [
  ['jpeg2000-lossless', TRANSFER_SYNTAX.jpeg2000Lossless],
  ['jpeg-ls-lossless', TRANSFER_SYNTAX.jpegLsLossless],
] as const) {
  test(
    `--transfer-syntax ${choice}: compressed outputs decode to the uncompressed outputs, ` +
      'match gdcmconv --raw and pass dciodvfy',
    async () => {
      const inputs = join(root, `originals-${choice}`);
      mkdirSync(inputs);
      for (const kind of PIXEL_KINDS)
        writeFileSync(join(inputs, `${kind.id}.dcm`), writePart10(originalDataset(kind).dataset));
      const plain = join(root, `plain-${choice}`);
      const packed = join(root, `packed-${choice}`);
      assert.equal((await runCli([inputs, '--models', modelsDir, '--out', plain, '--threads', '1'])).code, 0);
      const run = await runCli([
        inputs,
        '--models',
        modelsDir,
        '--out',
        packed,
        '--threads',
        '1',
        '--transfer-syntax',
        choice,
      ]);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      for (const name of readdirSync(packed)) {
        const written = read(join(packed, name));
        assert.equal(transferSyntaxOf(written), uid, name);
        const ours = await decodeStoredImage(written);
        const expected = storedImageFromDataset(read(join(plain, name)));
        assert.ok(ours.ok && expected.ok, name);
        assert.deepEqual(ours.image.pixels, expected.image.pixels, `${name}: lossless round trip`);
        const viaGdcm = join(root, `${choice}-${name}.gdcm-raw.dcm`);
        gdcmRaw(join(packed, name), viaGdcm);
        const gdcm = storedImageFromDataset(read(viaGdcm));
        assert.ok(gdcm.ok, name);
        assert.deepEqual(gdcm.image.pixels, expected.image.pixels, `${name}: GDCM decodes it to the same pixels`);
        // MG For Presentation allows unsigned pixels only: the signed kinds fail dciodvfy as their sources do.
        if (!written.PixelRepresentation) assert.deepEqual(dciodvfyErrors(join(packed, name)), [], `${name}: dciodvfy`);
      }
    },
  );
}

test('--transfer-syntax names an unknown syntax: usage error, nothing written', async () => {
  const run = await runCli([
    compressed,
    '--models',
    modelsDir,
    '--out',
    join(root, 'none'),
    '--transfer-syntax',
    'jpeg-baseline',
  ]);
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.match(
    run.stderr,
    new RegExp(
      '--transfer-syntax.*jpeg-baseline.*' +
        'Allowed choices are explicit-little-endian, jpeg2000-lossless, jpeg-ls-lossless',
      's',
    ),
  );
});
