// Guards issue 15's memory finding: denoised and difference images must be
// bounded by bytes and evicted least recently used first, never one in view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DerivedImageCache } from '@mammo-denoise/core';

test('beyond its budget, the least recently used image of that kind is removed, never one in use', () => {
  const removed: string[] = [];
  const inUse = new Set<string>();
  const cache = new DerivedImageCache({ remove: (id) => removed.push(id) }, () => inUse, {
    denoisedBytes: 100,
    differenceBytes: 50,
  });
  cache.added('d1', 'denoised', 40);
  cache.added('d2', 'denoised', 40);
  cache.added('x1', 'difference', 40);
  cache.touch('d1');
  inUse.add('d2');
  cache.added('d3', 'denoised', 40); // 120 > 100: d2 is in view, so d1 (used before d3) goes
  assert.deepEqual(removed, ['d1']);
  assert.equal(cache.bytes('denoised'), 80);
  cache.added('x2', 'difference', 40); // differences have their own budget
  assert.deepEqual(removed, ['d1', 'x1']);
  cache.removed('d3');
  assert.equal(cache.bytes('denoised'), 40);
});
