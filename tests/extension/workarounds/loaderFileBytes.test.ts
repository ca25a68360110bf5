// Issue 16 (memory): the image loader kept every file's pixel bytes in the metadata cache beside the decoded image
// (53 MB per 5355x4915 view). Once a single-frame file image is loaded, its cached PixelData goes; when the image
// leaves Cornerstone's cache the file is read again and the PixelData put back, so the next load works as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Enums, eventTarget } from '@cornerstonejs/core';
import { readPart10, writePart10 } from '@mammo-denoise/core';
import {
  fileUrlOf,
  installLoaderFileRelease,
  releasable,
  type FetchFile,
} from '@mammo-denoise/ohif-extension-denoise/internals';

function fileOf(extra: Record<string, unknown> = {}): Uint8Array {
  const pixels = new Uint16Array(64 * 48).map((_, i) => (i * 7) % 4096);
  return writePart10({
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.1.2',
    SOPInstanceUID: '2.25.1',
    StudyInstanceUID: '2.25.2',
    SeriesInstanceUID: '2.25.3',
    Modality: 'MG',
    Rows: 48,
    Columns: 64,
    BitsAllocated: 16,
    BitsStored: 12,
    HighBit: 11,
    PixelRepresentation: 0,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    PixelData: [pixels.buffer],
    _vrMap: { PixelData: 'OW' },
    ...extra,
  } as Parameters<typeof writePart10>[0]);
}

const fire = (type: string, detail: unknown) => eventTarget.dispatchEvent(new CustomEvent(type, { detail }));
const bytesOf = (pixelData: unknown) => new Uint8Array((pixelData as ArrayBuffer[])[0] as ArrayBuffer);

test('a loaded file image lets its cached pixels go, and reads the file again when it leaves the cache', async () => {
  const file = fileOf();
  const fetched: string[] = [];
  const fetchBytes: FetchFile = async (url) => {
    fetched.push(url);
    return file.slice().buffer;
  };
  const release = installLoaderFileRelease(() => assert.fail('no warning expected'), fetchBytes);
  try {
    // As the loader's reader has it: the file's transfer syntax beside the data set.
    const natural: Record<string, unknown> = { ...readPart10(file), TransferSyntaxUID: '1.2.840.10008.1.2.1' };
    const original = bytesOf(natural.PixelData).slice();
    fire(Enums.Events.IMAGE_LOADED, { image: { imageId: 'dicomweb:/studies/files/a.dcm', data: natural } });
    assert.equal('PixelData' in natural, false, 'the cached instance no longer holds the pixels');
    assert.equal(natural.Rows, 48, 'the header stays');
    assert.equal(release.released.size, 1);

    fire(Enums.Events.IMAGE_CACHE_IMAGE_REMOVED, { imageId: 'dicomweb:/studies/files/a.dcm' });
    await release.settled();
    assert.deepEqual(fetched, ['/studies/files/a.dcm']);
    assert.deepEqual(bytesOf(natural.PixelData), original, 'the same pixel bytes, read from the file again');
    assert.equal(release.released.size, 0);
  } finally {
    release.uninstall();
  }
});

test('multi-frame and compressed files, other schemes and derived images are left whole', () => {
  const release = installLoaderFileRelease(
    () => undefined,
    async () => assert.fail('nothing to fetch'),
  );
  try {
    const multi: Record<string, unknown> = { PixelData: [new ArrayBuffer(8), new ArrayBuffer(8)], NumberOfFrames: 2 };
    const rs: Record<string, unknown> = { PixelData: [new ArrayBuffer(8)], TransferSyntaxUID: '1.2.840.10008.1.2.1' };
    const j2k: Record<string, unknown> = {
      PixelData: [new ArrayBuffer(8)],
      TransferSyntaxUID: '1.2.840.10008.1.2.4.90',
    };
    fire(Enums.Events.IMAGE_LOADED, { image: { imageId: 'dicomweb:/f/j2k.dcm', data: j2k } });
    fire(Enums.Events.IMAGE_LOADED, { image: { imageId: 'dicomweb:/f/multi.dcm', data: multi } });
    fire(Enums.Events.IMAGE_LOADED, { image: { imageId: 'wadors:/studies/1/frames/1', data: rs } });
    fire(Enums.Events.IMAGE_LOADED, { image: { imageId: 'denoised:abc', data: { PixelData: [new ArrayBuffer(8)] } } });
    assert.ok(multi.PixelData && rs.PixelData && j2k.PixelData);
    assert.equal(release.released.size, 0);
  } finally {
    release.uninstall();
  }
  const native = { PixelData: [new ArrayBuffer(2)], TransferSyntaxUID: '1.2.840.10008.1.2' };
  assert.equal(releasable({ ...native, NumberOfFrames: '1' }), true);
  assert.equal(releasable({ ...native, PixelData: [[new ArrayBuffer(2)]] }), true, "the loader's reader: [[buffer]]");
  assert.equal(releasable({ ...native, TransferSyntaxUID: undefined }), false, 'syntax unknown: left whole');
  assert.equal(releasable({ PixelData: [] }), false);
  assert.equal(releasable(undefined), false);
  assert.equal(fileUrlOf('dicomweb:/a/b.dcm&frame=0'), '/a/b.dcm');
  assert.equal(
    fileUrlOf('wadouri:http://pacs/wado?objectUID=1'),
    null,
    "a WADO-URI server may need the loader's headers",
  );
  assert.equal(fileUrlOf('wadors:/x'), null);
});

test('a file that cannot be read again is reported, never swapped for other bytes', async () => {
  const warnings: string[] = [];
  const release = installLoaderFileRelease(
    (message) => warnings.push(message),
    async () => {
      throw new Error('HTTP 404');
    },
  );
  try {
    const natural: Record<string, unknown> = { ...readPart10(fileOf()), TransferSyntaxUID: '1.2.840.10008.1.2.1' };
    fire(Enums.Events.IMAGE_LOADED, { image: { imageId: 'dicomweb:/gone.dcm', data: natural } });
    fire(Enums.Events.IMAGE_CACHE_IMAGE_REMOVED, { imageId: 'dicomweb:/gone.dcm' });
    await release.settled();
    assert.equal('PixelData' in natural, false);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /gone\.dcm: could not read the file again .*HTTP 404.*Other images are unaffected/);
  } finally {
    release.uninstall();
  }
});
