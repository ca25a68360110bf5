// A difference image id must lead back to its original and its model, so that
// Denoise, model switching and scrolling from a difference view never build
// ids of ids (e.g. "denoised:m:denoised-difference:m:...").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  denoisedImageId,
  differenceImageId,
  parseDenoisedImageId,
  parseDifferenceImageId,
  sourceImageIdOf,
} from '@mammo-denoise/ohif-extension-denoise/internals';

const source = 'wadors:https://pacs/studies/1/series/2/instances/3/frames/1';

test('difference ids keep model and source whole and are not denoised ids', () => {
  const id = differenceImageId('mias-dae-paper', source);
  assert.equal(id, `denoised-difference:mias-dae-paper:${source}`);
  assert.deepEqual(parseDifferenceImageId(id), { modelId: 'mias-dae-paper', sourceImageId: source });
  assert.equal(parseDenoisedImageId(id), null);
  assert.equal(parseDifferenceImageId(denoisedImageId('m', source)), null);
  assert.equal(parseDifferenceImageId(source), null);
});

test('the original behind a denoised or a difference id is the source id', () => {
  assert.equal(sourceImageIdOf(differenceImageId('m', source)), source);
  assert.equal(sourceImageIdOf(denoisedImageId('m', source)), source);
  assert.equal(sourceImageIdOf(source), source);
  assert.throws(() => differenceImageId('a:b', source), /must not contain ":"/);
});
