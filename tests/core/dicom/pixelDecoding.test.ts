// The Node pixel decoder (decodeStoredImage) against the reference decoder:
// every lossless syntax decodes to exactly what `gdcmconv --raw` gives and to
// the pixels written before encoding (8/12/16 bit, MONOCHROME1/2, signed);
// lossy syntaxes come out as GDCM decodes them (within libjpeg's rounding)
// and are marked lossy; fragments are joined; damaged streams are refused by
// name instead of crashing or yielding silent zeros.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readPart10, writePart10, TRANSFER_SYNTAX, type StoredImage } from '@mammo-denoise/core';
import {
  decodeStoredImage,
  storedImageFromDataset,
  type StoredImageResult,
  joinFragments,
} from '@mammo-denoise/core/node';
import { originalDataset, PIXEL_KINDS, writeLosslessCases, writeLossyCases } from '../../fixtures/compressedDicom';
import { truncateLastFragment } from '../../fixtures/scannerDicom';
import { encodeHtj2k } from '../../fixtures/htj2k';

const dir = fileURLToPath(new URL('../../fixtures/generated/pixel-decoding/', import.meta.url));
rmSync(dir, { recursive: true, force: true });

const read = (path: string) => readPart10(new Uint8Array(readFileSync(path)));

function image(result: StoredImageResult, what: string): StoredImage {
  assert.ok(result.ok, `${what}: ${result.ok ? '' : result.reason}`);
  return result.image;
}

/** Largest absolute difference between two images' stored values. */
function maxDifference(a: StoredImage, b: StoredImage): number {
  assert.equal(a.pixels.length, b.pixels.length);
  let max = 0;
  for (let i = 0; i < a.pixels.length; i += 1)
    max = Math.max(max, Math.abs((a.pixels[i] as number) - (b.pixels[i] as number)));
  return max;
}

function meanDifference(a: StoredImage, b: StoredImage): number {
  let sum = 0;
  for (let i = 0; i < a.pixels.length; i += 1) sum += Math.abs((a.pixels[i] as number) - (b.pixels[i] as number));
  return sum / a.pixels.length;
}

test('lossless syntaxes decode exactly as gdcmconv --raw and as written (5 pixel kinds x 7 syntaxes)', async () => {
  const cases = writeLosslessCases(join(dir, 'lossless'));
  assert.equal(cases.length, PIXEL_KINDS.length * 7);
  for (const c of cases) {
    const decoded = await decodeStoredImage(read(c.path));
    const ours = image(decoded, c.id);
    const reference = image(storedImageFromDataset(read(c.gdcmRawPath)), `${c.id} gdcmconv --raw`);
    assert.equal(
      ours.pixels.constructor,
      c.original.pixels.constructor,
      `${c.id}: same typed array kind as the original`,
    );
    assert.deepEqual(ours.pixels, reference.pixels, `${c.id}: equals gdcmconv --raw`);
    assert.deepEqual(ours.pixels, c.original.pixels, `${c.id}: equals the pixels written`);
    assert.deepEqual(
      [ours.width, ours.height, ours.bitsStored, ours.signed, ours.photometricInterpretation],
      [c.original.width, c.original.height, c.kind.bitsStored, c.kind.signed, c.kind.photometric],
    );
    assert.ok(
      decoded.ok && decoded.source?.transferSyntaxUid === c.transferSyntaxUid && !decoded.source.lossy,
      `${c.id}: lossless source`,
    );
  }
});

test('lossy syntaxes decode as gdcmconv --raw does and are marked lossy with their method', async () => {
  const tolerance: Record<string, number> = {
    // 8-bit DCT JPEG: the same libjpeg as GDCM's, give or take its IDCT choice.
    [TRANSFER_SYNTAX.jpegBaseline]: 1,
    [TRANSFER_SYNTAX.jpeg2000]: 0,
    [TRANSFER_SYNTAX.jpegLsNearLossless]: 0,
  };
  const method: Record<string, string> = {
    [TRANSFER_SYNTAX.jpegBaseline]: 'ISO_10918_1',
    [TRANSFER_SYNTAX.jpegExtended]: 'ISO_10918_1',
    [TRANSFER_SYNTAX.jpeg2000]: 'ISO_15444_1',
    [TRANSFER_SYNTAX.jpegLsNearLossless]: 'ISO_14495_1',
  };
  for (const c of writeLossyCases(join(dir, 'lossy'))) {
    const decoded = await decodeStoredImage(read(c.path));
    const ours = image(decoded, c.id);
    const reference = image(storedImageFromDataset(read(c.gdcmRawPath)), `${c.id} gdcmconv --raw`);
    if (c.transferSyntaxUid === TRANSFER_SYNTAX.jpegExtended) {
      // Within 1 of libjpeg, except that Cornerstone's 12-bit decoder may clamp libjpeg's 4079..4094 to 4095.
      for (let i = 0; i < ours.pixels.length; i += 1) {
        const want = reference.pixels[i] as number;
        const got = ours.pixels[i] as number;
        assert.ok(
          Math.abs(got - want) <= 1 || (want >= 4079 && got === 4095),
          `${c.id} pixel ${i}: ${got}, gdcmconv --raw ${want}`,
        );
      }
    } else if (c.transferSyntaxUid === TRANSFER_SYNTAX.jpegLsNearLossless) {
      // At the top of the range GDCM's CharLS wraps a near-lossless reconstruction round (4096 -> 0, as does
      // DCMTK's) where the viewer's CharLS clamps it to 4095: within NEAR (2) modulo the range, equal elsewhere.
      const range = 2 ** c.kind.bitsStored;
      for (let i = 0; i < ours.pixels.length; i += 1) {
        const d = Math.abs((ours.pixels[i] as number) - (reference.pixels[i] as number));
        assert.ok(
          d === 0 || (range - d <= 2 && ours.pixels[i] === range - 1),
          `${c.id} pixel ${i}: ${ours.pixels[i]}, gdcmconv --raw ${reference.pixels[i]}`,
        );
      }
    } else {
      // GDCM codes 12-bit lossy JPEG 2000 at 16 bits and its --raw keeps the ringing past 4095 (BitsStored 16):
      // the decoder clamps it into the 12 bits stored rather than wrapping it to 0.
      const clamped = { ...reference, pixels: reference.pixels.map((v) => Math.min(v, 2 ** c.kind.bitsStored - 1)) };
      assert.ok(
        maxDifference(ours, clamped) <= (tolerance[c.transferSyntaxUid] ?? 0),
        `${c.id}: within ${tolerance[c.transferSyntaxUid]} of gdcmconv --raw (got ${maxDifference(ours, clamped)})`,
      );
    }
    assert.ok(
      meanDifference(ours, c.original) < 2 ** c.kind.bitsStored / 100,
      `${c.id}: close to the original (mean difference ${meanDifference(ours, c.original)})`,
    );
    assert.ok(decoded.ok && decoded.source?.lossy, `${c.id}: marked lossy`);
    assert.deepEqual(
      decoded.ok && decoded.source?.lossyMethods,
      [method[c.transferSyntaxUid]],
      `${c.id}: one lossy method, not repeated from the header`,
    );
  }
});

test('a single-frame image split over several fragments (no offset table) decodes whole', async () => {
  const cases = writeLosslessCases(join(dir, 'fragments')).filter(
    (c) => c.id === 'u12-mono1-j2k' || c.id === 'u16-mono2-jpeg-ls' || c.id === 's16-mono1-rle',
  );
  assert.equal(cases.length, 3);
  for (const c of cases) {
    const dataset = read(c.path);
    const stream = joinFragments(dataset.PixelData);
    const cut = [0, 17, Math.floor(stream.length / 2), stream.length - 3, stream.length];
    const fragments = cut.slice(1).map((end, i) => stream.slice(cut[i], end).buffer);
    const split = await decodeStoredImage({ ...dataset, PixelData: fragments });
    assert.deepEqual(image(split, c.id).pixels, c.original.pixels, `${c.id} in ${fragments.length} fragments`);
  }
});

test('native syntaxes give the same result from decodeStoredImage as from storedImageFromDataset', async () => {
  for (const kind of PIXEL_KINDS) {
    const { dataset, image: original } = originalDataset(kind);
    const fromFile = readPart10(writePart10(dataset));
    assert.deepEqual(image(await decodeStoredImage(fromFile), kind.id).pixels, original.pixels);
    assert.deepEqual(image(storedImageFromDataset(fromFile), kind.id).pixels, original.pixels);
  }
});

test('HTJ2K (lossless and RPCL syntaxes) is decoded by OpenJPEG exactly, for every pixel kind', async () => {
  for (const kind of PIXEL_KINDS) {
    const { dataset, image: original } = originalDataset(kind);
    const codestream = await encodeHtj2k(original);
    for (const syntax of [TRANSFER_SYNTAX.htj2kLossless, TRANSFER_SYNTAX.htj2kLosslessRpcl]) {
      const file = readPart10(
        writePart10({ ...dataset, PixelData: [codestream.slice().buffer], _vrMap: { PixelData: 'OB' } }, syntax),
      );
      const decoded = await decodeStoredImage(file);
      assert.deepEqual(image(decoded, `${kind.id} ${syntax}`).pixels, original.pixels, `${kind.id} ${syntax}`);
      assert.ok(decoded.ok && !decoded.source?.lossy);
    }
  }
});

test('damaged or unsupported pixel data is refused by name, never thrown', async () => {
  const cases = writeLosslessCases(join(dir, 'damaged')).filter(
    (c) => c.kind.id === 'u12-mono1' && ['j2k', 'jpeg-ls', 'jpeg-sv1', 'rle'].some((e) => c.id.endsWith(`-${e}`)),
  );
  assert.equal(cases.length, 4);
  for (const c of cases) {
    const truncated = readPart10(truncateLastFragment(new Uint8Array(readFileSync(c.path))));
    const result = await decodeStoredImage(truncated);
    assert.ok(!result.ok, `${c.id} truncated must be refused`);
    assert.match(result.reason, /could not be decoded|truncated/, `${c.id}: ${result.reason}`);
  }
  const base = read(cases.find((c) => c.id.endsWith('-j2k'))!.path);
  const garbage = await decodeStoredImage({ ...base, PixelData: [new Uint8Array(4000).fill(7).buffer] });
  assert.ok(
    !garbage.ok && /JPEG 2000 lossless pixel data could not be decoded/.test(garbage.reason),
    JSON.stringify(garbage),
  );
  const unknown = await decodeStoredImage({ ...base, _meta: { TransferSyntaxUID: '1.2.840.10008.1.2.4.100' } });
  assert.ok(
    !unknown.ok && /1\.2\.840\.10008\.1\.2\.4\.100 is not one the decoder knows/.test(unknown.reason),
    JSON.stringify(unknown),
  );
  const multi = await decodeStoredImage({ ...base, NumberOfFrames: 3 });
  assert.ok(!multi.ok && /multi-frame object \(3 frames/.test(multi.reason));
});
