// Derived DICOM: derive → write → read round trip, dciodvfy reports no error,
// the original is referenced and untouched, the model is named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deriveDenoised, MG_FOR_PRESENTATION, SECONDARY_CAPTURE, readPart10, writePart10 } from '@mammo-denoise/core';
import { storedImageFromDataset } from '@mammo-denoise/core/node';
import { mammographyDataset } from '../../../scripts/sample/sampleStudy';
import { dciodvfyErrors } from '../../fixtures/tools';

const dir = mkdtempSync(join(tmpdir(), 'derive-'));
const model = { id: 'mias-dae-residual', version: '1.0.0', sha256: 'b'.repeat(64) };

function source(photometric: 'MONOCHROME1' | 'MONOCHROME2' = 'MONOCHROME2') {
  const pixels = Uint16Array.from({ length: 64 * 48 }, (_, i) => (i * 37) % 4096);
  return readPart10(
    writePart10(
      mammographyDataset({
        pixels,
        width: 64,
        height: 48,
        bitsStored: 12,
        photometricInterpretation: photometric,
        laterality: 'R',
        view: 'MLO',
        studyInstanceUid: '2.25.1001',
        seriesInstanceUid: '2.25.1002',
        sopInstanceUid: '2.25.1003',
        instanceNumber: 3,
        seriesDescription: 'R MLO',
        patientName: 'Test^Patient',
        patientId: 'T1',
        spacing: 0.07,
      }),
    ),
  );
}

/** dciodvfy's Error lines (warnings and DICOMDIR hints are allowed). */

test('the sample mammogram itself passes dciodvfy', () => {
  const path = join(dir, 'source.dcm');
  writeFileSync(path, writePart10(source()));
  assert.deepEqual(dciodvfyErrors(path), []);
});

for (const iod of ['same-iod', 'secondary-capture'] as const) {
  test(`derived ${iod}: round trip keeps pixels, geometry and view; references the source; passes dciodvfy`, () => {
    const original = source('MONOCHROME1');
    const stored = storedImageFromDataset(original);
    assert.ok(stored.ok);
    const denoised = stored.image.pixels.map((v) => Math.min(4095, v + 1)) as Uint16Array;
    const derived = deriveDenoised(original, denoised, {
      model,
      iod,
      seriesInstanceUid: '2.25.2002',
      sopInstanceUid: '2.25.2003',
    });
    const path = join(dir, `${iod}.dcm`);
    writeFileSync(path, writePart10(derived));
    const back = readPart10(new Uint8Array(readFileSync(path)));
    assert.equal(back.SOPClassUID, iod === 'same-iod' ? MG_FOR_PRESENTATION : SECONDARY_CAPTURE);
    assert.equal(back.StudyInstanceUID, '2.25.1001');
    assert.equal(back.SeriesInstanceUID, '2.25.2002');
    assert.notEqual(back.SOPInstanceUID, original.SOPInstanceUID);
    assert.deepEqual(back.ImageType, ['DERIVED', 'SECONDARY']);
    assert.match(String(back.SeriesDescription), /denoised/);
    assert.match(
      String(back.DerivationDescription),
      new RegExp(`${model.id} version 1\\.0\\.0 \\(ONNX sha256 b{64}\\)`),
    );
    const code = (back.DerivationCodeSequence as Array<Record<string, string>>)[0];
    assert.equal(code?.CodingSchemeDesignator, 'DCM');
    const ref = (back.SourceImageSequence as Array<Record<string, unknown>>)[0];
    assert.equal(ref?.ReferencedSOPInstanceUID, '2.25.1003');
    assert.equal(ref?.ReferencedSOPClassUID, MG_FOR_PRESENTATION);
    for (const key of [
      'Rows',
      'Columns',
      'PixelSpacing',
      'PhotometricInterpretation',
      'BitsAllocated',
      'BitsStored',
      'HighBit',
      'PixelRepresentation',
      'ImageLaterality',
      'PatientID',
    ]) {
      assert.deepEqual(back[key], original[key], key);
    }
    if (iod === 'same-iod') assert.deepEqual(back.ViewCodeSequence, original.ViewCodeSequence);
    const again = storedImageFromDataset(back);
    assert.ok(again.ok);
    assert.deepEqual(again.image.pixels, denoised);
    assert.deepEqual(dciodvfyErrors(path), []);
  });
}

test('the source dataset is not modified by deriving', () => {
  const original = source();
  const snapshot = JSON.stringify(original, (_k, v) =>
    v instanceof ArrayBuffer ? [...new Uint8Array(v)].join(',') : v,
  );
  const stored = storedImageFromDataset(original);
  assert.ok(stored.ok);
  deriveDenoised(original, stored.image.pixels, { model });
  assert.equal(
    JSON.stringify(original, (_k, v) => (v instanceof ArrayBuffer ? [...new Uint8Array(v)].join(',') : v)),
    snapshot,
  );
  assert.throws(() => deriveDenoised(original, new Uint16Array(10), { model }), /do not match the source's 64x48/);
});

test('images that cannot be denoised are refused with the reason', () => {
  const base = source();
  const refused = (changes: Record<string, unknown>) => {
    const r = storedImageFromDataset({ ...base, ...changes });
    assert.equal(r.ok, false);
    return r.ok ? '' : r.reason;
  };
  assert.match(refused({ NumberOfFrames: 40 }), /multi-frame object \(40 frames, e\.g\. breast tomosynthesis\)/);
  assert.match(refused({ PhotometricInterpretation: 'RGB', SamplesPerPixel: 3 }), /colour image \(RGB, 3 samples/);
  assert.match(
    refused({ PhotometricInterpretation: 'YBR_FULL_422', SamplesPerPixel: 3 }),
    /colour image \(YBR_FULL_422/,
  );
  assert.match(refused({ PixelData: undefined }), /no pixel data/);
  assert.match(refused({ PixelData: [new ArrayBuffer(100)] }), /truncated: 100 bytes for a 64x48 image/);
  assert.match(
    refused({ _meta: { TransferSyntaxUID: '1.2.840.10008.1.2.4.90' } }),
    /compressed \(transfer syntax 1\.2\.840\.10008\.1\.2\.4\.90\)/,
  );
});

test('stored values are masked to BitsStored and sign-extended', () => {
  const base = source();
  const raw = new Uint16Array(64 * 48).fill(0xf000 | 0x0fff);
  const unsigned = storedImageFromDataset({ ...base, PixelData: [raw.buffer] });
  assert.ok(unsigned.ok && unsigned.image.pixels[0] === 4095);
  const signed = storedImageFromDataset({ ...base, PixelRepresentation: 1, PixelData: [raw.buffer] });
  assert.ok(signed.ok && signed.image.pixels[0] === -1 && signed.image.pixels instanceof Int16Array);
});
