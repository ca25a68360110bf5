import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  computeIntensityMap,
  storedRange,
  toModel,
  toStored,
  type StoredImage,
  type StoredPixelArray,
} from '@mammo-denoise/core';

/** Background on the left third, a tissue ramp (dense = high value in MONOCHROME2) elsewhere. */
function phantom(bits: number, signed: boolean, width = 96, height = 64): number[] {
  const { min, max } = storedRange(bits, signed);
  const span = max - min;
  const values: number[] = [];
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      values.push(
        x < width / 3
          ? min + Math.round(span * 0.02)
          : min + Math.round(span * (0.3 + (0.6 * ((x + 7 * y) % 97)) / 97)),
      );
    }
  }
  return values;
}

function image(
  values: number[],
  bits: number,
  signed: boolean,
  photometric: 'MONOCHROME1' | 'MONOCHROME2',
  slope = 1,
): StoredImage {
  const Ctor = bits <= 8 ? (signed ? Int8Array : Uint8Array) : signed ? Int16Array : Uint16Array;
  return {
    width: 96,
    height: values.length / 96,
    pixels: Ctor.from(values) as StoredPixelArray,
    bitsStored: bits,
    signed,
    photometricInterpretation: photometric,
    rescaleSlope: slope,
    rescaleIntercept: 0,
  };
}

const CASES: Array<[number, boolean]> = [
  [8, false],
  [12, false],
  [14, false],
  [16, false],
  [16, true],
  [12, true],
];

for (const [bits, signed] of CASES) {
  test(`${bits}-bit ${signed ? 'signed' : 'unsigned'}: the round trip is exact for MONOCHROME1 and MONOCHROME2`, () => {
    for (const photometric of ['MONOCHROME1', 'MONOCHROME2'] as const) {
      const img = image(phantom(bits, signed), bits, signed, photometric);
      const map = computeIntensityMap(img);
      for (let i = 0; i < img.pixels.length; i += 1) {
        const v = img.pixels[i] as number;
        assert.equal(toStored(map, Math.fround(toModel(map, v))), v, `${photometric} pixel ${i}`);
      }
      // Every stored value of the type survives, not only the ones in the image.
      const { min, max } = storedRange(bits, signed);
      for (const v of [min, min + 1, Math.floor((min + max) / 2), max - 1, max])
        assert.equal(toStored(map, Math.fround(toModel(map, v))), v);
    }
  });
}

test('8-bit maps as in training: value / 255, MONOCHROME1 inverted', () => {
  const m2 = computeIntensityMap(image(phantom(8, false), 8, false, 'MONOCHROME2'));
  const m1 = computeIntensityMap(image(phantom(8, false), 8, false, 'MONOCHROME1'));
  assert.equal(toModel(m2, 51), 51 / 255);
  assert.equal(toModel(m1, 51), (255 - 51) / 255);
  assert.equal(m2.method, 'fixed-8-bit');
});

test('dense tissue is bright for the model whatever the photometric interpretation or slope sign', () => {
  for (const bits of [12, 16]) {
    const values = phantom(bits, false);
    const { max } = storedRange(bits, false);
    const m2 = image(values, bits, false, 'MONOCHROME2');
    const m1 = image(
      values.map((v) => max - v),
      bits,
      false,
      'MONOCHROME1',
    );
    const flippedSlope = image(
      values.map((v) => max - v),
      bits,
      false,
      'MONOCHROME2',
      -1,
    );
    const [a, b, c] = [m2, m1, flippedSlope].map((im) => computeIntensityMap(im));
    for (let i = 0; i < values.length; i += 97) {
      const expected = toModel(a!, m2.pixels[i] as number);
      assert.ok(Math.abs(toModel(b!, m1.pixels[i] as number) - expected) < 1e-9);
      assert.ok(Math.abs(toModel(c!, flippedSlope.pixels[i] as number) - expected) < 1e-9);
    }
    // Tissue percentiles land on [0, 1]; background is below the tissue threshold.
    const background = toModel(a!, m2.pixels[0] as number);
    assert.ok(background < a!.tissueThreshold, `background ${background} vs threshold ${a!.tissueThreshold}`);
    const tissue = values.filter((_, i) => i % 96 >= 32).map((v) => toModel(a!, v));
    assert.ok(Math.min(...tissue) > -0.02 && Math.max(...tissue) < 1.02);
  }
});

test(
  'above 8 bits no stored value maps to exactly 0 or 1 ' + '(the impulse switch stays inert); 8-bit black and white do',
  () => {
    for (const bits of [10, 12, 14, 16]) {
      for (const photometric of ['MONOCHROME1', 'MONOCHROME2'] as const) {
        const img = image(phantom(bits, false), bits, false, photometric);
        const map = computeIntensityMap(img);
        const { min, max } = storedRange(bits, false);
        for (let v = min; v <= max; v += 1) {
          const x = Math.fround(toModel(map, v)); // the engine feeds the model float32
          assert.ok(x !== 0 && x !== 1, `${bits}-bit ${photometric}: stored ${v} maps to ${x}`);
        }
      }
    }
    const eight = computeIntensityMap(image(phantom(8, false), 8, false, 'MONOCHROME2'));
    assert.deepEqual([toModel(eight, 0), toModel(eight, 255)], [0, 1]);
  },
);

test('the map ignores the window: it depends on the pixels only', () => {
  const img = image(phantom(12, false), 12, false, 'MONOCHROME2');
  assert.deepEqual(computeIntensityMap(img), computeIntensityMap({ ...img }));
});

test('a flat image still has an invertible map; unsupported bit depths are refused', () => {
  const flat = { ...image(phantom(12, false), 12, false, 'MONOCHROME2'), pixels: new Uint16Array(96 * 64).fill(1000) };
  const map = computeIntensityMap(flat);
  assert.equal(toStored(map, toModel(map, 1000)), 1000);
  assert.throws(() => storedRange(17, false), /BitsStored 17 is outside 1\.\.16/);
});
