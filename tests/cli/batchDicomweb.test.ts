// The batch tool against a real PACS (Orthanc with its DICOMweb plugin): a
// study read with --study/--from (QIDO-RS + WADO-RS) is denoised and stored
// back with --store (STOW-RS) as one new series in the same study; the
// originals are byte-identical afterwards; a rerun skips the denoised copies
// it finds and re-stores into the same series instead of adding another.
// Instances are asked for as stored and decoded by the tool: JPEG-LS and JPEG
// 2000 (which this Orthanc cannot transcode) denoise exactly as the files they
// came from, with one request each.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dcmjs, { type NaturalizedDataset } from 'dcmjs';
import { findSeries, listStudyInstances, retrieveInstance, readPart10, writePart10 } from '@mammo-denoise/core';
import { decodeStoredImage, storedImageFromDataset } from '@mammo-denoise/core/node';
import { startOrthanc, type Orthanc } from '../fixtures/orthanc';
import { reencode, TRANSFER_SYNTAX } from '../fixtures/scannerDicom';
import { dicomWebSources } from '../../cli/src/dicomwebSources';
import { writeFixtureModelsDir } from '../fixtures/fixtureModel';
import { mammogram } from './batchInputs';
import { runCli } from './runCli';

const root = mkdtempSync(join(tmpdir(), 'batch-dicomweb-'));
const modelsDir = join(root, 'models');
const uid = () => dcmjs.data.DicomMetaDictionary.uid();
const studyUid = uid();
const seriesUid = uid();
const SECRET = 'Bearer batch-secret-42';
let orthanc: Orthanc;
const originals = new Map<string, Uint8Array>();

before(async () => {
  writeFixtureModelsDir(modelsDir);
  orthanc = await startOrthanc();
  const images = [
    mammogram({
      bitsStored: 12,
      photometric: 'MONOCHROME2',
      width: 96,
      height: 80,
      studyInstanceUid: studyUid,
      seriesInstanceUid: seriesUid,
      seed: 'dw-1',
    }),
    mammogram({
      bitsStored: 12,
      photometric: 'MONOCHROME1',
      width: 90,
      height: 100,
      studyInstanceUid: studyUid,
      seriesInstanceUid: seriesUid,
      seed: 'dw-2',
      instanceNumber: 2,
    }),
  ];
  for (const dataset of images) {
    const bytes = writePart10(dataset);
    await orthanc.upload(bytes);
    originals.set(`${seriesUid}/${String(dataset.SOPInstanceUID)}`, bytes);
  }
  const report = {
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.88.11',
    SOPInstanceUID: uid(),
    StudyInstanceUID: studyUid,
    SeriesInstanceUID: uid(),
    Modality: 'SR',
    PatientID: 'BATCH-001',
    PatientName: 'Batch^Test',
    ValueType: 'CONTAINER',
    ContinuityOfContent: 'SEPARATE',
    ConceptNameCodeSequence: [
      { CodeValue: '111036', CodingSchemeDesignator: 'DCM', CodeMeaning: 'Mammography CAD Report' },
    ],
  };
  await orthanc.upload(writePart10(report));
});

after(async () => {
  await orthanc?.stop();
});

test(
  '--study --from --store: the study is denoised into one new series in the PACS; ' +
    'originals unchanged; a rerun adds no second series',
  async () => {
    const target = { root: orthanc.dicomWebRoot };
    const out = join(root, 'out');
    const run = await runCli(
      [
        '--study',
        studyUid,
        '--from',
        orthanc.dicomWebRoot,
        '--store',
        orthanc.dicomWebRoot,
        '--models',
        modelsDir,
        '--out',
        out,
      ],
      { DICOMWEB_AUTHORIZATION: SECRET },
    );
    assert.equal(run.code, 1, `${run.stdout}${run.stderr}\n${orthanc.log().slice(-2000)}`);
    assert.match(run.stdout, /2 ok, 0 failed, 1 skipped/);
    assert.match(run.stdout, /skipped .*: not denoised: it has no pixel data/);
    assert.equal(run.stdout.split('\n').filter((l) => /^ok .*\(stored\)/.test(l)).length, 2);
    assert.ok(!`${run.stdout}${run.stderr}`.includes('batch-secret'), 'the authorization value is never printed');

    const series = await findSeries(target, studyUid);
    const derived = series.filter((s) => s.seriesUid !== seriesUid && s.modality === 'MG');
    assert.equal(derived.length, 1, JSON.stringify(series));
    assert.match(derived[0]!.description, /denoised \(fixture-residual\)/);
    const listed = await listStudyInstances(target, studyUid);
    assert.equal(listed.length, 5);
    for (const ref of listed.filter((i) => i.seriesUid === derived[0]!.seriesUid)) {
      const stored = readPart10(await retrieveInstance(target, studyUid, ref.seriesUid, ref.sopUid));
      assert.deepEqual(stored.ImageType, ['DERIVED', 'SECONDARY']);
      const source = (stored.SourceImageSequence as Array<Record<string, unknown>>)[0]?.ReferencedSOPInstanceUID;
      assert.ok(originals.has(`${seriesUid}/${String(source)}`), `references an original, got ${String(source)}`);
      const local = readPart10(new Uint8Array(readFileSync(join(out, seriesUid, `${String(source)}.dcm`))));
      assert.equal(local.SOPInstanceUID, ref.sopUid, 'the stored copy is the written file');
    }
    for (const [key, bytes] of originals) {
      const [series_, sop] = key.split('/') as [string, string];
      assert.deepEqual(
        await retrieveInstance(target, studyUid, series_, sop),
        bytes,
        `original ${sop} is byte-identical`,
      );
    }

    const rerun = await runCli([
      '--study',
      studyUid,
      '--from',
      orthanc.dicomWebRoot,
      '--store',
      orthanc.dicomWebRoot,
      '--models',
      modelsDir,
      '--out',
      out,
      '--overwrite',
    ]);
    assert.equal(rerun.code, 1, rerun.stdout + rerun.stderr);
    assert.match(rerun.stdout, /2 ok, 0 failed, 3 skipped/);
    assert.equal(rerun.stdout.split('\n').filter((l) => /itself a denoised copy/.test(l)).length, 2);
    assert.equal((await findSeries(target, studyUid)).length, series.length, 'no second denoised series');
    assert.equal((await listStudyInstances(target, studyUid)).length, 5);
  },
);

test(
  'a study the server does not have, or a server that cannot be reached, ' + 'stops with exit code 2 and says so',
  async () => {
    const missing = await runCli([
      '--study',
      '2.25.999',
      '--from',
      orthanc.dicomWebRoot,
      '--models',
      modelsDir,
      '--out',
      join(root, 'none'),
    ]);
    assert.equal(missing.code, 2, missing.stdout + missing.stderr);
    assert.match(missing.stderr, /study 2\.25\.999 has no instances on http:\/\/127\.0\.0\.1:\d+\/dicom-web/);
    const down = await runCli(
      [
        '--study',
        studyUid,
        '--from',
        'http://127.0.0.1:9/dicom-web',
        '--models',
        modelsDir,
        '--out',
        join(root, 'none'),
      ],
      { DICOMWEB_AUTHORIZATION: SECRET },
    );
    assert.equal(down.code, 2);
    assert.match(down.stderr, /listing the instances of study .* could not be reached/);
    assert.ok(!down.stderr.includes('batch-secret'));
  },
);

const transferSyntaxOf = (dataset: NaturalizedDataset): unknown =>
  (dataset._meta as Record<string, unknown> | undefined)?.TransferSyntaxUID;

/**
 * One 12-bit mammogram stored in Orthanc compressed (JPEG-LS lossless
 * unless said), in its own study, and the same image uncompressed on disk.
 */
async function compressedStudy(
  transferSyntax: string = TRANSFER_SYNTAX.jpegLsLossless,
): Promise<{ studyUid: string; seriesUid: string; sopUid: string; uncompressedFile: string }> {
  const dir = mkdtempSync(join(root, 'jpegls-'));
  const study = uid();
  const series = uid();
  const dataset = mammogram({
    bitsStored: 12,
    photometric: 'MONOCHROME2',
    width: 96,
    height: 80,
    studyInstanceUid: study,
    seriesInstanceUid: series,
    seed: 'dw-jls',
  });
  const uncompressedFile = join(dir, 'original.dcm');
  writeFileSync(uncompressedFile, writePart10(dataset));
  reencode(uncompressedFile, join(dir, 'jpegls.dcm'), transferSyntax);
  await orthanc.upload(new Uint8Array(readFileSync(join(dir, 'jpegls.dcm'))));
  return { studyUid: study, seriesUid: series, sopUid: String(dataset.SOPInstanceUID), uncompressedFile };
}

for (const syntax of [TRANSFER_SYNTAX.jpegLsLossless, TRANSFER_SYNTAX.jpeg2000Lossless]) {
  test(
    `an instance the PACS stores compressed (${syntax}) is read as stored, ` +
      'decoded here and denoised exactly as its uncompressed original',
    async () => {
      const study = await compressedStudy(syntax);
      const stored = readPart10(
        await retrieveInstance({ root: orthanc.dicomWebRoot }, study.studyUid, study.seriesUid, study.sopUid),
      );
      assert.equal(transferSyntaxOf(stored), syntax, 'Orthanc holds it compressed');
      const fromPacs = join(root, `pacs-out-${syntax}`);
      const run = await runCli([
        '--study',
        study.studyUid,
        '--from',
        orthanc.dicomWebRoot,
        '--models',
        modelsDir,
        '--out',
        fromPacs,
      ]);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      const fromFile = join(root, `file-out-${syntax}`);
      const local = await runCli([study.uncompressedFile, '--models', modelsDir, '--out', fromFile]);
      assert.equal(local.code, 0, local.stdout + local.stderr);
      const viaPacs = readPart10(new Uint8Array(readFileSync(join(fromPacs, study.seriesUid, `${study.sopUid}.dcm`))));
      const viaFile = readPart10(new Uint8Array(readFileSync(join(fromFile, 'original.dcm'))));
      assert.deepEqual(
        new Uint8Array(viaPacs.PixelData as ArrayBuffer),
        new Uint8Array(viaFile.PixelData as ArrayBuffer),
      );
      assert.notEqual(viaPacs.LossyImageCompression, '01', 'a lossless source stays lossless');
    },
  );
}

test(
  'each instance is fetched once, as stored (transfer-syntax=*): ' + 'the server is never asked to transcode',
  async () => {
    const study = await compressedStudy(TRANSFER_SYNTAX.jpeg2000Lossless);
    const asked: string[] = [];
    const recording: typeof fetch = async (input, init) => {
      asked.push(new Headers(init?.headers).get('Accept') ?? '');
      return fetch(input, init);
    };
    const [source] = await dicomWebSources({ root: orthanc.dicomWebRoot, fetch: recording }, study.studyUid);
    const asStored = readPart10(await source!.read());
    assert.equal(transferSyntaxOf(asStored), TRANSFER_SYNTAX.jpeg2000Lossless);
    const retrievals = asked.filter((a) => /application\/dicom"; transfer-syntax=/.test(a));
    assert.deepEqual(retrievals, ['multipart/related; type="application/dicom"; transfer-syntax=*'], asked.join('\n'));
    const decoded = await decodeStoredImage(asStored);
    const original = storedImageFromDataset(readPart10(new Uint8Array(readFileSync(study.uncompressedFile))));
    assert.ok(decoded.ok && original.ok);
    assert.deepEqual(decoded.image.pixels, original.image.pixels);
  },
);
