// Issue 16's floor on real images: for the three four-image RSNA patients in
// ../shared/data/ffdm (headers carry ImageLaterality only), left and right
// always right and the guessed CC/MLO right for at least 10 of 12, each
// marked guessed. Prints the figure. Skipped where the data is absent.
//
// The truth below was read by eye from the images (the pectoral muscle and
// the axilla in the MLOs), and for patient 10011 also from the labels the
// scanner burned into the pixels; the RSNA headers were stripped of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { classifyView, viewLabel } from '@mammo-denoise/core';
import { guessViewFromPixels } from '@mammo-denoise/core';
import { defaultFfdmPath, readFfdm } from '../../../../training/src/data/ffdm';

const TRUTH: Record<string, string> = {
  'ffdm/rsna/10011/1031443799.dcm': 'RMLO',
  'ffdm/rsna/10011/220375232.dcm': 'LCC',
  'ffdm/rsna/10011/270344397.dcm': 'LMLO',
  'ffdm/rsna/10011/541722628.dcm': 'RCC',
  'ffdm/rsna/10038/1350492010.dcm': 'RCC',
  'ffdm/rsna/10038/1967300488.dcm': 'LMLO',
  'ffdm/rsna/10038/2142944869.dcm': 'LCC',
  'ffdm/rsna/10038/850559196.dcm': 'RMLO',
  'ffdm/rsna/10042/102733848.dcm': 'LCC',
  'ffdm/rsna/10042/202939811.dcm': 'LMLO',
  'ffdm/rsna/10042/294481519.dcm': 'RCC',
  'ffdm/rsna/10042/495770405.dcm': 'RMLO',
};

test(
  'RSNA four-view patients: laterality always right, CC/MLO right for at least 10 of 12, all marked guessed',
  { skip: !existsSync(defaultFfdmPath()) && 'no ../shared/data/ffdm' },
  async () => {
    const images = (await readFfdm()).filter((f) => f.name in TRUTH);
    assert.equal(images.length, 12);
    let lateralityRight = 0;
    let lateralityFromPixelsRight = 0;
    let rowRight = 0;
    for (const image of images) {
      const truth = TRUTH[image.name] as string;
      const view = classifyView({ ImageLaterality: image.laterality }, image.image);
      const pixelsOnly = guessViewFromPixels(image.image);
      console.log(
        `${image.name}: ${viewLabel(view)} (truth ${truth}; ` +
          `laterality from ${view.lateralityFrom}, view from ${view.rowFrom}; pixels alone: ` +
          `${pixelsOnly.laterality}${pixelsOnly.row}, top extent ${pixelsOnly.topExtent.toFixed(3)})`,
      );
      assert.equal(view.guessed, true);
      if (view.laterality === truth[0]) lateralityRight += 1;
      if (pixelsOnly.laterality === truth[0]) lateralityFromPixelsRight += 1;
      if (view.row === truth.slice(1)) rowRight += 1;
    }
    console.log(
      `RSNA four-view floor: laterality ${lateralityRight}/12 ` +
        `(from the pixels alone ${lateralityFromPixelsRight}/12), CC/MLO ${rowRight}/12 (floor 10)`,
    );
    assert.equal(lateralityRight, 12);
    assert.ok(rowRight >= 10, `CC/MLO right for ${rowRight} of 12`);
  },
);
