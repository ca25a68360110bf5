// Save's decisions without a browser: where it stores (OHIF 3.13.2's own
// writability rule), that the viewer and the batch tool derive the same UIDs
// (so one finds what the other stored), where a file-based source's Part 10
// comes from, and a download name that says what the file is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { derivedUid, derivedUids } from '@mammo-denoise/core';
import {
  DenoiseConfigurationError,
  resolveConfiguration,
  confirmResaveMessage,
  downloadName,
  part10UrlOf,
  saveDestination,
} from '@mammo-denoise/ohif-extension-denoise/internals';

const model = { id: 'mias-dae-residual', version: '1.0.0', sha256: 'a'.repeat(64) };

test('a source with a wadoRoot is written with STOW-RS unless supportsStow is false; local files download', () => {
  assert.deepEqual(saveDestination({ wadoRoot: 'http://h/dicomweb', supportsStow: true }), {
    kind: 'stow',
    root: 'http://h/dicomweb',
  });
  assert.deepEqual(saveDestination({ wadoRoot: 'http://h/dicomweb' }), { kind: 'stow', root: 'http://h/dicomweb' });
  assert.equal(saveDestination({ wadoRoot: 'http://h/dicomweb', supportsStow: false }).kind, 'download');
  assert.match((saveDestination({}) as { reason: string }).reason, /no DICOMweb root/);
  assert.equal(saveDestination(null).kind, 'download');
});

test(
  "a save's UIDs follow the source series and instance (the batch " +
    "tool's per-file formula), per model, version and IOD choice",
  async () => {
    const source = { seriesInstanceUid: '2.25.10', sopInstanceUid: '2.25.11' };
    const viewer = await derivedUids(source, model, 'same-iod');
    assert.equal(viewer.seriesInstanceUid, await derivedUid('series', '2.25.10', model, 'same-iod'));
    assert.equal(viewer.sopInstanceUid, await derivedUid('instance', '2.25.11', model, 'same-iod'));
    assert.notEqual(
      (await derivedUids(source, model, 'secondary-capture')).seriesInstanceUid,
      viewer.seriesInstanceUid,
    );
    assert.notEqual(
      (await derivedUids(source, { ...model, version: '1.0.1' }, 'same-iod')).sopInstanceUid,
      viewer.sopInstanceUid,
    );
  },
);

test('file-based image ids give the Part 10 URL; WADO-RS ids do not', () => {
  assert.equal(
    part10UrlOf('dicomweb:/studies/files/phantom-L-CC.dcm', 'http://localhost:3000/denoise'),
    'http://localhost:3000/studies/files/phantom-L-CC.dcm',
  );
  assert.equal(
    part10UrlOf('wadouri:http://pacs/wado?objectUID=1&frame=2', 'http://localhost/'),
    'http://pacs/wado?objectUID=1',
  );
  assert.equal(
    part10UrlOf('wadors:http://pacs/dicomweb/studies/1/series/2/instances/3/frames/1', 'http://localhost/'),
    null,
  );
});

test('download names and the re-save question say what they are about', () => {
  assert.equal(downloadName('Phantom L CC/MLO', '2.25.1', model.id), 'Phantom_L_CC_MLO-denoised-mias-dae-residual.dcm');
  assert.equal(downloadName('  ', '2.25.1', model.id), '2.25.1-denoised-mias-dae-residual.dcm');
  assert.match(
    confirmResaveMessage(model, { description: 'L CC denoised (mias-dae-residual)', seriesNumber: 9001 }),
    new RegExp(
      'already saved denoised by mias-dae-residual 1\\.0\\.0 \\(series 9001.*' +
        'Save another copy as a new series, or keep the existing one and save nothing\\?',
    ),
  );
});

test('Save configuration: saveAs and dicomWebAuthorization are checked, and a bad credential is never echoed', () => {
  const base = 'https://pacs.example/mammo-denoise/extension/';
  const defaults = resolveConfiguration(undefined, base);
  assert.equal(defaults.saveAs, 'same-iod');
  assert.equal(defaults.dicomWebAuthorization, null);
  const set = resolveConfiguration({ saveAs: 'secondary-capture', dicomWebAuthorization: 'Bearer abc' }, base);
  assert.equal(set.saveAs, 'secondary-capture');
  assert.equal(set.dicomWebAuthorization, 'Bearer abc');
  assert.throws(
    () => resolveConfiguration({ saveAs: 'sc' }, base),
    (e: Error) =>
      e instanceof DenoiseConfigurationError && /saveAs must be "same-iod" or "secondary-capture"/.test(e.message),
  );
  assert.throws(
    () => resolveConfiguration({ dicomWebAuthorization: 42 }, base),
    (e: Error) => /dicomWebAuthorization must be a non-empty/.test(e.message) && !e.message.includes('42'),
  );
});
