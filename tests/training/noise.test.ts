import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addNoise, conditionById, EVALUATION_CONDITIONS, PAPER_CONDITIONS } from '../../training/src/noise/noise';
import { Random } from '../../training/src/data/random';

const flat = (n: number, v: number): Uint8Array => new Uint8Array(n).fill(v);

test('the paper has ten conditions and the evaluation fourteen', () => {
  assert.equal(PAPER_CONDITIONS.length, 10);
  assert.equal(EVALUATION_CONDITIONS.length, 14);
  assert.equal(new Set(EVALUATION_CONDITIONS.map((c) => c.id)).size, 14);
  assert.throws(() => conditionById('gaussian-33'), /unknown noise condition "gaussian-33"/);
});

test('Gaussian noise has the requested sigma (measured away from the clip), is integer and within 0..255', () => {
  for (const sigma of [5, 10, 20, 40]) {
    const clean = flat(200_000, 128);
    const noisy = addNoise(clean, conditionById(`gaussian-${sigma}`), Random.fromSeed(sigma));
    let sum = 0;
    let sq = 0;
    for (const v of noisy) {
      sum += v - 128;
      sq += (v - 128) ** 2;
    }
    const mean = sum / noisy.length;
    const measured = Math.sqrt(sq / noisy.length - mean * mean);
    // Rounding adds variance 1/12; at sigma 40 clipping at 0/255 (3.2 sigma) removes a little.
    const expected = Math.sqrt(sigma * sigma + 1 / 12);
    assert.ok(Math.abs(measured - expected) / expected < 0.01, `sigma ${sigma}: measured ${measured}`);
    assert.ok(Math.abs(mean) < 0.2, `sigma ${sigma}: mean ${mean}`);
    assert.ok(
      clean.every((v) => v === 128),
      'input untouched',
    );
  }
});

test('heavy Gaussian noise is clipped to 0..255 as an 8-bit image would be', () => {
  const noisy = addNoise(flat(50_000, 250), conditionById('gaussian-70'), Random.fromSeed(3));
  const atMax = noisy.filter((v) => v === 255).length / noisy.length;
  // P(250 + n rounds to >= 255) = P(n >= 4.5) = 1 - Phi(4.5 / 70) = 0.4744
  assert.ok(Math.abs(atMax - 0.4744) < 0.01, `expected 47.4% clipped at 255, got ${atMax}`);
  assert.ok(noisy.every((v) => Number.isInteger(v) && v >= 0 && v <= 255));
});

test('salt-and-pepper hits 1 - SNR of the pixels, half salt and half pepper', () => {
  for (const snr of [0.99, 0.97, 0.95, 0.93]) {
    const noisy = addNoise(flat(400_000, 100), conditionById(`salt-pepper-${snr.toFixed(2)}`), Random.fromSeed(snr));
    const salt = noisy.filter((v) => v === 255).length;
    const pepper = noisy.filter((v) => v === 0).length;
    const untouched = noisy.filter((v) => v === 100).length;
    assert.equal(salt + pepper + untouched, noisy.length);
    const rate = (salt + pepper) / noisy.length;
    assert.ok(Math.abs(rate - (1 - snr)) < 0.002, `SNR ${snr}: hit rate ${rate}`);
    assert.ok(Math.abs(salt / (salt + pepper) - 0.5) < 0.03, `SNR ${snr}: salt share ${salt / (salt + pepper)}`);
  }
});

test('mixed noise is Gaussian then impulses; the same seed gives the same noise', () => {
  const c = conditionById('mixed-50-0.97');
  const a = addNoise(flat(10_000, 128), c, Random.fromSeed('s'));
  const b = addNoise(flat(10_000, 128), c, Random.fromSeed('s'));
  assert.deepEqual(a, b);
  const other = addNoise(flat(10_000, 128), c, Random.fromSeed('t'));
  assert.notDeepEqual(a, other);
  const extremes = a.filter((v) => v === 0 || v === 255).length / a.length;
  // 3% impulses plus Gaussian tails clipped at 0/255: 2 * (1 - Phi(127.5 / 50)) = 1.08% of the rest -> 4.05%
  assert.ok(Math.abs(extremes - 0.0405) < 0.006, `expected about 4.05% at 0 or 255, got ${extremes}`);
});
