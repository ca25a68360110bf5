// The difference view must show what denoising changed with the right sign
// on screen (MONOCHROME1 and negative slopes flip it), in modality units, and
// an unchanged image must be a flat mid-grey, never an amplified artefact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DIFFERENCE_WINDOW_PERCENTILE,
  differenceImage,
  type StoredImage,
  type StoredPixelArray,
} from '@mammo-denoise/core';

function image(pixels: StoredPixelArray, width: number, options: Partial<StoredImage> = {}): StoredImage {
  return {
    width,
    height: pixels.length / width,
    pixels,
    bitsStored: 12,
    signed: false,
    photometricInterpretation: 'MONOCHROME2',
    rescaleSlope: 1,
    rescaleIntercept: 0,
    ...options,
  };
}

test('an unchanged image is all zero (mid-grey) with a one-step window', () => {
  const original = image(
    Uint16Array.from({ length: 64 }, (_, i) => 100 + i * 7),
    8,
    { rescaleSlope: 0.5, rescaleIntercept: -1024 },
  );
  const d = differenceImage(original, Uint16Array.from(original.pixels));
  assert.equal(d.changed, 0);
  assert.equal(d.maxAbs, 0);
  assert.ok(d.values.every((v) => v === 0));
  assert.equal(d.halfWindow, 0.5, 'one stored step in modality units');
});

test(
  'MONOCHROME2: positive where the denoised image is brighter, ' + 'scaled by the rescale slope, intercept ignored',
  () => {
    const original = image(Uint16Array.from([1000, 1000, 1000, 1000]), 2, { rescaleSlope: 2, rescaleIntercept: 500 });
    const d = differenceImage(original, Uint16Array.from([1003, 990, 1000, 1001]));
    assert.deepEqual(Array.from(d.values), [6, -20, 0, 2]);
    assert.equal(d.changed, 3);
    assert.equal(d.maxAbs, 20);
  },
);

test('MONOCHROME1 and negative slopes flip the sign so positive always means brighter on screen', () => {
  const pixels = Int16Array.from([0, 0]);
  const denoised = Int16Array.from([4, -3]);
  const mono1 = differenceImage(image(pixels, 2, { photometricInterpretation: 'MONOCHROME1', signed: true }), denoised);
  assert.deepEqual(Array.from(mono1.values), [-4, 3]);
  const negativeSlope = differenceImage(image(pixels, 2, { rescaleSlope: -1, signed: true }), denoised);
  assert.deepEqual(Array.from(negativeSlope.values), [-4, 3]);
  assert.equal(negativeSlope.halfWindow, mono1.halfWindow);
  assert.ok(negativeSlope.halfWindow > 0);
});

test(
  `the window is the ${DIFFERENCE_WINDOW_PERCENTILE}th percentile of the changes, ` + 'so rare large changes saturate',
  () => {
    // 1000 pixels changed by ±2 (noise removed) and 2 by 400 (a removed speck); 500 unchanged.
    const n = 1502;
    const original = image(new Uint16Array(n).fill(2000), n);
    const denoised = new Uint16Array(n).fill(2000);
    for (let i = 0; i < 1000; i += 1) denoised[i] = i % 2 ? 2002 : 1998;
    denoised[1000] = 1600;
    denoised[1001] = 2400;
    const d = differenceImage(original, denoised);
    assert.equal(d.changed, 1002);
    assert.equal(d.halfWindow, 2, 'the window fits the noise-sized changes');
    assert.equal(d.maxAbs, 400);
    assert.equal(d.values[1000], -400);
    assert.equal(d.values[1001], 400);
  },
);

test('images of different sizes are refused with a message naming both', () => {
  const original = image(new Uint16Array(16), 4);
  assert.throws(() => differenceImage(original, new Uint16Array(15)), /15 values, the original 16/);
});

test('integer differences are kept as 16-bit integers (half the memory of floats); fractional ones as floats', () => {
  const original = image(Uint16Array.from([1000, 1000, 1000, 1000]), 2);
  assert.ok(differenceImage(original, Uint16Array.from([1003, 990, 1000, 1001])).values instanceof Int16Array);
  const halfSlope = differenceImage({ ...original, rescaleSlope: 0.5 }, Uint16Array.from([1003, 990, 1000, 1001]));
  assert.ok(halfSlope.values instanceof Float32Array);
  assert.deepEqual(Array.from(halfSlope.values), [1.5, -5, 0, 0.5]);
  // A viewer's pre-scaled float array with slope 1: its own units, fractional steps kept.
  const preScaled = differenceImage(
    {
      width: 2,
      height: 1,
      pixels: Float32Array.from([10.25, 3]),
      photometricInterpretation: 'MONOCHROME2',
      rescaleSlope: 1,
    },
    Float32Array.from([10.5, 3]),
  );
  assert.deepEqual(Array.from(preScaled.values), [0.25, 0]);
  const wide = differenceImage(image(Uint16Array.from([0, 0]), 2, { bitsStored: 16 }), Uint16Array.from([40000, 0]));
  assert.ok(wide.values instanceof Float32Array, 'a change beyond int16 stays exact as a float');
  assert.equal(wide.values[0], 40000);
});
