// Scanner quirks and bad input, below the viewer: the Node reader on the
// generated scanner files, the Cornerstone-image reader (with Cornerstone's
// real metadata registry, no mocks), stored window presets, and the note on a
// slower engine. Guards: multi-frame frames were once denoised one by one; a
// pre-scaled signed image must come back as its stored values.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { metaData, type Types } from '@cornerstonejs/core';
import { readPart10, validateStoredImage } from '@mammo-denoise/core';
import { storedImageFromDataset } from '@mammo-denoise/core/node';
import {
  readCornerstoneImage,
  toViewerArray,
  UnsupportedImageError,
  storedVoiPresets,
  voiRangeOf,
  installVoiLutFunctionFix,
  engineNotice,
} from '@mammo-denoise/ohif-extension-denoise/internals';
import { GENERATED_DIR } from '../../fixtures/fixtureModel';
import {
  SIGMOID_WINDOWS,
  TRANSFER_SYNTAX,
  writeBadInputStudy,
  writeScannerStudy,
  type ScannerStudy,
} from '../../fixtures/scannerDicom';

let quirks: ScannerStudy;
let bad: ScannerStudy;
const modules = new Map<string, Record<string, unknown>>();
const provider = (type: string, imageId: unknown): unknown =>
  typeof imageId === 'string' ? modules.get(`${type}|${imageId}`) : undefined;
let removeFix: () => void;

before(() => {
  quirks = writeScannerStudy(join(GENERATED_DIR, 'scanner-unit', 'quirks'));
  bad = writeBadInputStudy(join(GENERATED_DIR, 'scanner-unit', 'bad'));
  metaData.addProvider(provider, 1000);
  removeFix = installVoiLutFunctionFix();
});
after(() => {
  metaData.removeProvider(provider);
  removeFix();
});

const read = (path: string) => storedImageFromDataset(readPart10(new Uint8Array(readFileSync(path))));
const caseOf = (study: ScannerStudy, id: string) => study.cases.find((c) => c.id === id)!;

test(
  'the Node reader returns exactly the stored values of every native scanner case, ' +
    'and refuses compressed ones with the fix',
  () => {
    for (const c of quirks.cases) {
      const result = read(c.path);
      if (
        c.transferSyntaxUid === TRANSFER_SYNTAX.explicitLittle ||
        c.transferSyntaxUid === TRANSFER_SYNTAX.implicitLittle
      ) {
        assert.ok(result.ok, `${c.id}: ${result.ok ? '' : result.reason}`);
        assert.deepEqual(result.image, c.stored, c.id);
      } else {
        assert.ok(!result.ok);
        assert.match(
          result.reason,
          new RegExp(
            `compressed \\(transfer syntax ${c.transferSyntaxUid.replaceAll('.', '\\.')}\\); decompress it first`,
          ),
        );
      }
    }
  },
);

test('the Node reader refuses each bad input with what is wrong', () => {
  const expected: Record<string, RegExp> = {
    'multi-frame': /multi-frame object \(3 frames/,
    rgb: /colour image \(RGB, 3 samples per pixel\)/,
    'ybr-full': /colour image \(YBR_FULL, 3 samples per pixel\)/,
    'no-pixel-data': /no pixel data/,
    truncated: /pixel data is truncated: 98304 bytes for a 320x384 image of 16-bit samples \(245760 needed\)/,
    'corrupt-jpegls': /compressed/,
  };
  for (const [id, reason] of Object.entries(expected)) {
    const result = read(caseOf(bad, id).path);
    assert.ok(!result.ok, id);
    assert.match(result.reason, reason, id);
  }
  assert.ok(read(caseOf(bad, 'good').path).ok);
});

/** A Cornerstone image as the DICOM loader makes it, with its metadata registered. */
function cornerstoneImage(
  imageId: string,
  values: Types.PixelDataTypedArray,
  width: number,
  height: number,
  meta: { pixel: Record<string, unknown>; modality?: Record<string, unknown>; frames?: number },
  preScale?: { slope: number; intercept: number },
): Types.IImage {
  modules.set(`imagePixelModule|${imageId}`, meta.pixel);
  modules.set(`modalityLutModule|${imageId}`, meta.modality ?? { rescaleSlope: 1, rescaleIntercept: 0 });
  modules.set(`multiframeModule|${imageId}`, { NumberOfFrames: meta.frames ?? 1 });
  return {
    imageId,
    width,
    height,
    color: false,
    photometricInterpretation: meta.pixel.photometricInterpretation,
    voxelManager: { getScalarData: () => values },
    preScale: preScale
      ? { scaled: true, scalingParameters: { rescaleSlope: preScale.slope, rescaleIntercept: preScale.intercept } }
      : undefined,
  } as unknown as Types.IImage;
}

test(
  'a pre-scaled signed, rescaled MONOCHROME1 image reads back as its stored values, ' +
    "and writes back in the viewer's units",
  () => {
    const c = caseOf(quirks, 'mono1-s16-rescale');
    const stored = c.stored!;
    const viewer = Float32Array.from(stored.pixels, (v) => v * stored.rescaleSlope + stored.rescaleIntercept);
    const image = cornerstoneImage(
      'test:s16',
      viewer,
      stored.width,
      stored.height,
      {
        pixel: { bitsStored: 16, pixelRepresentation: 1, photometricInterpretation: 'MONOCHROME1', samplesPerPixel: 1 },
        modality: { rescaleSlope: 1, rescaleIntercept: 32768 },
      },
      { slope: 1, intercept: 32768 },
    );
    const info = readCornerstoneImage(image);
    assert.deepEqual(info.stored, stored);
    assert.deepEqual(
      Array.from(toViewerArray(image, info, info.stored.pixels)),
      Array.from(viewer),
      'exact round trip',
    );
  },
);

test('the Cornerstone-image reader refuses every frame of a multi-frame object, colour and short pixel data', () => {
  const grey = { bitsStored: 12, pixelRepresentation: 0, photometricInterpretation: 'MONOCHROME2', samplesPerPixel: 1 };
  const frame = cornerstoneImage('wadors:/studies/1/series/2/instances/3/frames/2', new Uint16Array(16), 4, 4, {
    pixel: grey,
    frames: 3,
  });
  assert.throws(
    () => readCornerstoneImage(frame),
    (e: Error) =>
      e instanceof UnsupportedImageError &&
      /multi-frame object \(3 frames, e\.g\. breast tomosynthesis\)/.test(e.message),
  );
  // Over WADO-URI (the dicomjson source) only OHIF's instance metadata knows the frame count.
  const uriFrame = cornerstoneImage('dicomweb:/studies/files/tomo.dcm?frame=1', new Uint16Array(16), 4, 4, {
    pixel: grey,
  });
  modules.set('multiframeModule|dicomweb:/studies/files/tomo.dcm?frame=1', {});
  modules.set('instance|dicomweb:/studies/files/tomo.dcm?frame=1', { NumberOfFrames: '3' });
  assert.throws(() => readCornerstoneImage(uriFrame), /multi-frame object \(3 frames/);
  const rgb = cornerstoneImage('test:rgb', new Uint8Array(48), 4, 4, {
    pixel: { ...grey, photometricInterpretation: 'RGB', samplesPerPixel: 3 },
  });
  assert.throws(() => readCornerstoneImage(rgb), /colour image \(RGB\)/);
  const ybr = cornerstoneImage('test:ybr', new Uint8Array(48), 4, 4, {
    pixel: { ...grey, photometricInterpretation: 'YBR_FULL', samplesPerPixel: 3 },
  });
  assert.throws(() => readCornerstoneImage(ybr), /colour image \(YBR_FULL\)/);
  const short = cornerstoneImage('test:short', new Uint16Array(6), 4, 4, { pixel: grey });
  assert.throws(
    () => readCornerstoneImage(short),
    /holds 6 values for a 4x4 image: it is missing, truncated or corrupt/,
  );
});

test('validateStoredImage names what is wrong with an image the worker receives', () => {
  const good = caseOf(bad, 'good').stored!;
  assert.equal(validateStoredImage(good), null);
  assert.match(
    validateStoredImage({ ...good, pixels: good.pixels.slice(0, 100) }) ?? '',
    /holds 100 values for a 320x384 image \(122880 expected\)/,
  );
  assert.match(
    validateStoredImage({ ...good, photometricInterpretation: 'RGB' as 'MONOCHROME2' }) ?? '',
    /RGB is not greyscale/,
  );
  assert.match(validateStoredImage({ ...good, bitsStored: 17 }) ?? '', /BitsStored 17 is outside 1\.\.16/);
  assert.match(validateStoredImage({ ...good, rescaleSlope: 0 }) ?? '', /rescale slope 0 is not usable/);
});

test('stored window presets: every pair, with explanations and the SIGMOID function given as a string', () => {
  modules.set('voiLutModule|test:sigmoid', {
    windowCenter: SIGMOID_WINDOWS.map((w) => w.center),
    windowWidth: SIGMOID_WINDOWS.map((w) => w.width),
    voiLUTFunction: 'SIGMOID',
    windowCenterWidthExplanation: SIGMOID_WINDOWS.map((w) => w.explanation),
  });
  const presets = storedVoiPresets('test:sigmoid');
  assert.deepEqual(
    presets,
    SIGMOID_WINDOWS.map((w) => ({
      center: w.center,
      width: w.width,
      explanation: w.explanation,
      voiLutFunction: 'SIGMOID',
    })),
  );
  assert.deepEqual(voiRangeOf(presets[0]!), { lower: 1300, upper: 2899 });
  // The fix hands the loader the function as a one-element array; presets read either form.
  assert.deepEqual(metaData.get('voiLutModule', 'test:sigmoid').voiLUTFunction, ['SIGMOID']);
  modules.set('voiLutModule|test:single', { windowCenter: 2048, windowWidth: 4096 });
  assert.deepEqual(storedVoiPresets('test:single'), [
    { center: 2048, width: 4096, explanation: null, voiLutFunction: 'LINEAR' },
  ]);
  modules.set('voiLutModule|test:none', {});
  assert.deepEqual(storedVoiPresets('test:none'), []);
});

test('the engine note says why it runs slower than configured, and nothing when it runs as configured', () => {
  const ready = {
    executionProvider: 'wasm',
    fallbacks: [{ provider: 'webgpu', reason: 'navigator.gpu is not available' }],
    modelFromCache: false,
    loadMilliseconds: 1,
    wasmThreads: 1,
  };
  assert.equal(
    engineNotice(ready, false),
    'Denoising runs on WASM: WebGPU is unavailable (navigator.gpu is not available); ' +
      'WASM runs on one thread, because the page is not cross-origin isolated ' +
      '(the server sends no COOP/COEP headers). Results are the same, only slower.',
  );
  assert.equal(engineNotice({ ...ready, fallbacks: [], wasmThreads: 4 }, true), null);
  assert.equal(engineNotice({ ...ready, executionProvider: 'webgpu', fallbacks: [], wasmThreads: 1 }, true), null);
});
