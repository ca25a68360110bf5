// Issue 16: zoom and pan are linked per pair; between the two breasts (hung back to back, chest walls at the midline)
// the pan is mirrored across the midline, between current and prior views of one breast it is copied.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linkedPan } from '@mammo-denoise/ohif-extension-denoise/internals';

test('a pan is mirrored between the breasts and copied between views of one breast', () => {
  assert.deepEqual(linkedPan('mammo-screening-rcc', 'mammo-screening-lcc', [30, -5]), [-30, -5]);
  assert.deepEqual(linkedPan('mammo-screening-lmlo', 'mammo-screening-rmlo', [-7, 2]), [7, 2]);
  assert.deepEqual(linkedPan('mammo-screening-rcc', 'mammo-screening-rcc-prior', [30, -5]), [30, -5]);
  assert.deepEqual(linkedPan('mammo-screening-lcc-prior', 'mammo-screening-rcc', [30, -5]), [-30, -5]);
  // A viewport that is not a screening slot: copied, as OHIF's own zoom/pan link does.
  assert.deepEqual(linkedPan('default', 'mammo-screening-lcc', [3, 4]), [3, 4]);
});
