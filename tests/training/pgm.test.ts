import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePgm } from '../../training/src/data/pgm';
import { encodePgm } from '../fixtures/syntheticMias';

test('reads 8-bit P5 with a header comment', () => {
  const image = parsePgm(encodePgm(3, 2, Uint8Array.from([0, 1, 2, 3, 254, 255]), 255, 'made by a test'), 'a.pgm');
  assert.equal(image.width, 3);
  assert.equal(image.height, 2);
  assert.ok(image.pixels instanceof Uint8Array);
  assert.deepEqual([...image.pixels], [0, 1, 2, 3, 254, 255]);
});

test('reads 16-bit P5 big-endian', () => {
  const image = parsePgm(encodePgm(2, 1, Uint16Array.from([1, 65535]), 65535), 'b.pgm');
  assert.ok(image.pixels instanceof Uint16Array);
  assert.deepEqual([...image.pixels], [1, 65535]);
});

test('rejects ASCII and colour PGM/PPM, naming the file and the fault', () => {
  const ascii = new TextEncoder().encode('P2\n2 1\n255\n0 1\n');
  assert.throws(() => parsePgm(ascii, 'ascii.pgm'), /ascii\.pgm: .*"P2".*only binary greyscale "P5"/);
  const colour = new TextEncoder().encode('P6\n1 1\n255\nabc');
  assert.throws(() => parsePgm(colour, 'colour.ppm'), /colour\.ppm: .*"P6"/);
  assert.throws(() => parsePgm(new TextEncoder().encode('hello'), 'x.pgm'), /x\.pgm: .*magic number/);
});

test('rejects truncated rasters, bad maxval, samples above maxval and missing fields', () => {
  const full = encodePgm(4, 4, new Uint8Array(16).fill(7));
  assert.throws(
    () => parsePgm(full.subarray(0, full.length - 3), 't.pgm'),
    /t\.pgm: .*truncated: 13 bytes, expected 16/,
  );
  assert.throws(() => parsePgm(new TextEncoder().encode('P5\n1 1\n0\n\0'), 'm.pgm'), /maxval 0 is outside/);
  assert.throws(() => parsePgm(new TextEncoder().encode('P5\n1 1\n70000\n\0\0'), 'm.pgm'), /maxval 70000 is outside/);
  assert.throws(
    () => parsePgm(encodePgm(1, 1, Uint8Array.from([200]), 100), 'v.pgm'),
    /sample 0 is 200, above maxval 100/,
  );
  assert.throws(() => parsePgm(new TextEncoder().encode('P5\n12\n'), 'h.pgm'), /height is missing/);
});
