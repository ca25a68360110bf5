// Screening layout (issue 16): RCC | LCC over RMLO | LMLO with the chest
// walls at the midline; two-view and single-view studies get the layout
// that fits; a repeat exposure does not displace the first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyView } from '@mammo-denoise/core';
import { planScreeningLayout } from '@mammo-denoise/core';

const image = (key: string, laterality: 'R' | 'L', view: 'CC' | 'MLO') => ({
  key,
  view: classifyView({ ImageLaterality: laterality, ViewPosition: view }),
});

test(
  'four views: RCC | LCC over RMLO | LMLO, ' + 'right breast on the left of the screen, chest walls at the midline',
  () => {
    const plan = planScreeningLayout([
      image('lmlo', 'L', 'MLO'),
      image('rcc', 'R', 'CC'),
      image('rmlo', 'R', 'MLO'),
      image('lcc', 'L', 'CC'),
    ]);
    assert.equal(plan.rows, 2);
    assert.equal(plan.columns, 2);
    assert.deepEqual(
      plan.cells.map((c) => c.key),
      ['rcc', 'lcc', 'rmlo', 'lmlo'],
    );
    assert.deepEqual(
      plan.cells.map((c) => c.anchor),
      ['right', 'left', 'right', 'left'],
    );
  },
);

test('two views: the CC pair side by side, or one breast CC | MLO', () => {
  const pair = planScreeningLayout([image('lcc', 'L', 'CC'), image('rcc', 'R', 'CC')]);
  assert.deepEqual([pair.rows, pair.columns], [1, 2]);
  assert.deepEqual(
    pair.cells.map((c) => [c.key, c.anchor]),
    [
      ['rcc', 'right'],
      ['lcc', 'left'],
    ],
  );
  const oneBreast = planScreeningLayout([image('lmlo', 'L', 'MLO'), image('lcc', 'L', 'CC')]);
  assert.deepEqual(
    oneBreast.cells.map((c) => c.key),
    ['lcc', 'lmlo'],
  );
});

test(
  'one image: one viewport, anchored at its chest wall; three: ' +
    'the 2x2 with a gap; repeats are left out, not swapped in',
  () => {
    const single = planScreeningLayout([image('lmlo', 'L', 'MLO')]);
    assert.deepEqual([single.rows, single.columns, single.cells[0]?.anchor], [1, 1, 'left']);
    const three = planScreeningLayout([
      image('rcc', 'R', 'CC'),
      image('rmlo', 'R', 'MLO'),
      image('lcc', 'L', 'CC'),
      image('rcc2', 'R', 'CC'),
    ]);
    assert.deepEqual(
      three.cells.map((c) => c.key),
      ['rcc', 'lcc', 'rmlo', null],
    );
    assert.deepEqual(three.unplaced, ['rcc2']);
  },
);
