// The DICOMweb client against a real Orthanc (no mocks): STOW-RS stores and
// confirms exactly what the server confirmed, WADO-RS returns the stored bytes,
// QIDO-RS lists and finds series, and every failure (refused file, HTTP error,
// unreachable server) throws a DicomWebError that names the status and never
// the authorization value.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import {
  deterministicUid,
  DicomWebError,
  findSeries,
  listStudyInstances,
  multipartRelated,
  parseMultipart,
  retrieveInstance,
  storeInstances,
  writePart10,
} from '@mammo-denoise/core';
import { mammographyDataset } from '../../../scripts/sample/sampleStudy';
import { startOrthanc, type Orthanc } from '../../fixtures/orthanc';

const STUDY = '2.25.31001';
let orthanc: Orthanc;

function instance(sop: string, series = '2.25.31002', description = 'L CC'): Uint8Array {
  const pixels = Uint16Array.from({ length: 32 * 24 }, (_, i) => (i * 53) % 4096);
  return writePart10(
    mammographyDataset({
      pixels,
      width: 32,
      height: 24,
      bitsStored: 12,
      photometricInterpretation: 'MONOCHROME2',
      laterality: 'L',
      view: 'CC',
      studyInstanceUid: STUDY,
      seriesInstanceUid: series,
      sopInstanceUid: sop,
      instanceNumber: 1,
      seriesDescription: description,
      patientName: 'Web^Test',
      patientId: 'DW1',
      spacing: 0.1,
    }),
  );
}

before(async () => {
  orthanc = await startOrthanc();
});

after(async () => {
  await orthanc?.stop();
});

test('multipart bodies round-trip, binary parts with CRLF and dashes inside intact', () => {
  const parts = [new Uint8Array([13, 10, 45, 45, 0, 255]), new TextEncoder().encode('second\r\n--not-a-boundary')];
  const { body, contentType } = multipartRelated(parts, 'b0undary');
  assert.deepEqual(parseMultipart(body, contentType), parts);
  assert.throws(() => parseMultipart(body, 'application/json'), /not multipart/);
});

test('STOW-RS stores two instances; QIDO lists them; WADO-RS returns the uploaded bytes exactly', async () => {
  const a = instance('2.25.31003');
  const b = instance('2.25.31004', '2.25.31005', 'L CC denoised (test)');
  const { stored } = await storeInstances({ root: orthanc.dicomWebRoot }, [a, b]);
  assert.deepEqual(stored, ['2.25.31003', '2.25.31004']);

  const listed = await listStudyInstances({ root: `${orthanc.dicomWebRoot}/` }, STUDY);
  assert.deepEqual(listed.map((i) => `${i.seriesUid}/${i.sopUid}`).sort(), [
    '2.25.31002/2.25.31003',
    '2.25.31005/2.25.31004',
  ]);

  const back = await retrieveInstance({ root: orthanc.dicomWebRoot }, STUDY, '2.25.31002', '2.25.31003');
  assert.equal(Buffer.compare(Buffer.from(back), Buffer.from(a)), 0, 'WADO-RS returns the stored Part 10 bytes');

  const bySeries = await findSeries({ root: orthanc.dicomWebRoot }, STUDY, { SeriesInstanceUID: '2.25.31005' });
  assert.equal(bySeries.length, 1);
  assert.equal(bySeries[0]?.description, 'L CC denoised (test)');
  assert.equal(bySeries[0]?.modality, 'MG');
  assert.deepEqual(await findSeries({ root: orthanc.dicomWebRoot }, STUDY, { SeriesInstanceUID: '2.25.999' }), []);
  assert.equal((await findSeries({ root: orthanc.dicomWebRoot }, STUDY)).length, 2);
});

test('a file the server refuses throws DicomWebError with the status, and claims nothing stored', async () => {
  // A Part 10 file without Study/Series UIDs: Orthanc refuses it.
  const { DicomMetaDictionary } = (await import('dcmjs')).default.data;
  const before = (await orthanc.rest<string[]>('/instances')).length;
  const broken = writePart10({
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.7',
    SOPInstanceUID: DicomMetaDictionary.uid(),
    Modality: 'OT',
  });
  await assert.rejects(storeInstances({ root: orthanc.dicomWebRoot }, [broken]), (error: unknown) => {
    assert.ok(error instanceof DicomWebError);
    assert.ok(error.status !== undefined && error.status >= 400, `status ${error.status}`);
    assert.deepEqual(error.stored, []);
    assert.match(error.message, /STOW-RS\) failed: HTTP \d{3}/);
    return true;
  });
  assert.equal((await orthanc.rest<string[]>('/instances')).length, before, 'Orthanc holds nothing new');
});

test('a bytes blob that is not DICOM is refused before anything is sent', async () => {
  await assert.rejects(
    storeInstances({ root: orthanc.dicomWebRoot }, [new Uint8Array([1, 2, 3])]),
    /instance 1 is not a readable DICOM Part 10 file.*nothing was sent/,
  );
});

test(
  'a PACS whose own request filter refuses STOW-RS (HTTP 403) ' + 'throws DicomWebError 403 and stores nothing',
  async () => {
    const refusing = await startOrthanc({
      luaScript:
        'function IncomingHttpRequestFilter(method, uri, ip, username, headers)\n' +
        "  return not (method == 'POST' and string.find(uri, '^/dicom%-web/studies'))\n" +
        'end\n',
    });
    try {
      await assert.rejects(
        storeInstances({ root: refusing.dicomWebRoot }, [instance('2.25.31020')]),
        (error: unknown) => {
          assert.ok(error instanceof DicomWebError);
          assert.equal(error.status, 403);
          assert.match(error.message, /STOW-RS\) failed: HTTP 403/);
          assert.deepEqual(error.stored, []);
          return true;
        },
      );
      assert.deepEqual(await refusing.rest<string[]>('/instances'), []);
    } finally {
      await refusing.stop();
    }
  },
);

test('WADO-RS of a missing instance and QIDO of a missing study say what failed', async () => {
  await assert.rejects(
    retrieveInstance({ root: orthanc.dicomWebRoot }, STUDY, '2.25.31002', '2.25.404'),
    (error: unknown) => {
      assert.ok(error instanceof DicomWebError);
      assert.equal(error.status, 404);
      assert.match(error.message, /retrieving instance 2\.25\.404 \(WADO-RS\) failed: HTTP 404/);
      return true;
    },
  );
  assert.deepEqual(await listStudyInstances({ root: orthanc.dicomWebRoot }, '2.25.404'), []);
});

test(
  'an unreachable server and a 500 throw DicomWebError; ' + 'the authorization value is never in the message',
  async () => {
    const secret = 'Bearer s3cr3t-token-value';
    const seen: Array<string | undefined> = [];
    const failing: Server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          HttpError: 'Internal Server Error',
          Message: 'Disk full',
          Details: `auth was ${req.headers.authorization}`.replace(/s3cr3t[^ ]*/, 'hidden'),
        }),
      );
    });
    await new Promise<void>((r) => failing.listen(0, '127.0.0.1', () => r()));
    const address = failing.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      await assert.rejects(
        storeInstances({ root: `http://127.0.0.1:${port}/dicom-web`, authorization: secret }, [instance('2.25.31010')]),
        (error: unknown) => {
          assert.ok(error instanceof DicomWebError);
          assert.equal(error.status, 500);
          assert.match(error.message, /HTTP 500.*Disk full/);
          assert.doesNotMatch(error.message, /s3cr3t/);
          return true;
        },
      );
      assert.deepEqual(seen, [secret], 'the authorization header is sent');
    } finally {
      await new Promise<void>((r) => failing.close(() => r()));
    }
    await assert.rejects(
      storeInstances({ root: `http://127.0.0.1:${port}/dicom-web`, authorization: secret }, [instance('2.25.31011')]),
      (error: unknown) => {
        assert.ok(error instanceof DicomWebError);
        assert.equal(error.status, undefined);
        assert.match(error.message, /could not be reached/);
        assert.doesNotMatch(error.message, /s3cr3t/);
        return true;
      },
    );
  },
);

test('deterministic UIDs are stable, distinct per input and valid DICOM UIDs', async () => {
  const a = await deterministicUid('2.25.1', 'model', 'sha');
  assert.equal(a, await deterministicUid('2.25.1', 'model', 'sha'));
  assert.notEqual(a, await deterministicUid('2.25.1', 'model', 'sha2'));
  assert.match(a, /^2\.25\.[1-9]\d*$/);
  assert.ok(a.length <= 64);
});
