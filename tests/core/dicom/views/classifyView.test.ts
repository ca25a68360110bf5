// Screening layout (issue 16): which breast and which view each image is,
// from the header first, then PatientOrientation, then the pixels, each
// result marked as guessed unless the header said it; flips that put the
// chest wall at the midline without touching pixels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyView, viewLabel } from '@mammo-denoise/core';
import { guessViewFromPixels } from '@mammo-denoise/core';
import { syntheticBreast } from './syntheticBreast';

const sct = (code: string) => [{ CodeValue: code, CodingSchemeDesignator: 'SCT', CodeMeaning: '' }];

test('ViewPosition and ImageLaterality name the view: from the header, not guessed', () => {
  const view = classifyView({ ImageLaterality: 'L', ViewPosition: 'MLO', PatientOrientation: ['A', 'FR'] });
  assert.equal(viewLabel(view), 'LMLO');
  assert.equal(view.guessed, false);
  assert.equal(view.flipHorizontal, false);
  assert.equal(view.flipVertical, false);
});

test(
  'the View Code Sequence names the view when ViewPosition is missing, ' + 'SNOMED CT and legacy SNOMED RT codes alike',
  () => {
    assert.equal(viewLabel(classifyView({ ImageLaterality: 'R', ViewCodeSequence: sct('399162004') })), 'RCC');
    assert.equal(
      viewLabel(
        classifyView({ Laterality: 'R', ViewCodeSequence: [{ CodeValue: 'R-10226', CodingSchemeDesignator: 'SNM3' }] }),
      ),
      'RMLO',
    );
    assert.equal(viewLabel(classifyView({ ImageLaterality: 'L', ViewCodeSequence: sct('399192008') })), 'LXCCL');
    const ml = classifyView({ ImageLaterality: 'L', ViewCodeSequence: sct('399260004') });
    assert.equal(ml.view, 'ML');
    assert.equal(ml.row, 'MLO', 'a lateral view hangs in the oblique row');
    assert.equal(classifyView({ ImageLaterality: 'L', ViewPosition: 'LM' }).row, 'MLO');
  },
);

test('PatientOrientation stands in for missing laterality and view, marked guessed', () => {
  const view = classifyView({ PatientOrientation: 'P\\FL' });
  assert.equal(viewLabel(view), 'RMLO');
  assert.equal(view.lateralityFrom, 'orientation');
  assert.equal(view.rowFrom, 'orientation');
  assert.equal(view.guessed, true);
  assert.equal(viewLabel(classifyView({ PatientOrientation: ['A', 'R'] })), 'LCC');
});

test('an image stored the other way round is flipped on screen, horizontally and vertically', () => {
  // A right CC stored with its chest wall on the left ("A\R" is how a left CC is stored).
  const mirrored = classifyView({ ImageLaterality: 'R', ViewPosition: 'CC', PatientOrientation: ['A', 'R'] });
  assert.equal(mirrored.flipHorizontal, true);
  assert.equal(mirrored.flipVertical, true, 'lateral side at the bottom: shown upside down');
  const upsideDown = classifyView({ ImageLaterality: 'L', ViewPosition: 'MLO', PatientOrientation: ['A', 'HR'] });
  assert.equal(upsideDown.flipHorizontal, false);
  assert.equal(upsideDown.flipVertical, true);
  assert.equal(
    classifyView({ ImageLaterality: 'R', ViewPosition: 'CC', PatientOrientation: ['P', 'L'] }).flipHorizontal,
    false,
  );
});

test('pixels: the side the breast touches gives laterality, the pectoral wedge at the top tells MLO from CC', () => {
  for (const chestWall of ['left', 'right'] as const) {
    for (const view of ['CC', 'MLO'] as const) {
      for (const monochrome1 of [false, true]) {
        const guess = guessViewFromPixels(syntheticBreast({ chestWall, view, monochrome1 }));
        const expected = `${chestWall === 'right' ? 'R' : 'L'}${view}`;
        assert.equal(
          `${guess.laterality}${guess.row}`,
          expected,
          `${chestWall} ${view} ${monochrome1 ? 'MONOCHROME1' : 'MONOCHROME2'}: ` +
            `top extent ${guess.topExtent.toFixed(3)}`,
        );
      }
    }
  }
});

test(
  'headers missing ViewPosition (the RSNA data): ' + 'laterality from the header, view from the pixels, marked guessed',
  () => {
    const view = classifyView({ ImageLaterality: 'L' }, syntheticBreast({ chestWall: 'left', view: 'MLO' }));
    assert.equal(viewLabel(view), 'LMLO');
    assert.equal(view.lateralityFrom, 'header');
    assert.equal(view.rowFrom, 'pixels');
    assert.equal(view.guessed, true);
    // A left breast stored with its chest wall on the right: the pixels show it, so it is flipped.
    const stored = classifyView({ ImageLaterality: 'L' }, syntheticBreast({ chestWall: 'right', view: 'CC' }));
    assert.equal(stored.chestWall, 'right');
    assert.equal(stored.flipHorizontal, true);
  },
);

test('never fails: no header and no pixels gives a guessed view', () => {
  const view = classifyView({});
  assert.equal(view.guessed, true);
  assert.ok(['RCC', 'LCC', 'RMLO', 'LMLO'].includes(viewLabel(view)));
  assert.equal(
    viewLabel(classifyView({ ImageLaterality: ['l'], ViewPosition: [' cc '] })),
    'LCC',
    'multi-valued, lower case, padded',
  );
});
