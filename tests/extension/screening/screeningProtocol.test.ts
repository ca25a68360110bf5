// Issue 16: the screening hanging protocol as OHIF reads it: RCC | LCC over
// RMLO | LMLO with each chest wall pinned to the midline, zoom/pan linked per
// pair only, chosen for two or more views (OHIF's greaterThan is >=), and the
// view registry that re-hangs once the pixels settle a view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isPriorViewport,
  MAMMO_VIEW_COUNT_ATTRIBUTE,
  PRIOR_STAGES,
  screeningProtocol,
  slotOfViewport,
  SCREENING_VIEWPORTS,
  ViewRegistry,
} from '@mammo-denoise/ohif-extension-denoise/internals';
import { syntheticBreast } from '../../core/dicom/views/syntheticBreast';

test(
  'four-view stage: RCC | LCC over RMLO | LMLO, ' +
    'chest walls pinned to the midline, zoom/pan linked within each pair',
  () => {
    const stage = screeningProtocol.stages[0];
    assert.ok(stage);
    assert.deepEqual(stage.viewportStructure.properties, { rows: 2, columns: 2 });
    assert.deepEqual(
      stage.viewports.map((v) => v.displaySets[0]?.id),
      ['RCC', 'LCC', 'RMLO', 'LMLO'],
    );
    assert.deepEqual(
      stage.viewports.map((v) => v.viewportOptions.viewportId),
      [SCREENING_VIEWPORTS.RCC, SCREENING_VIEWPORTS.LCC, SCREENING_VIEWPORTS.RMLO, SCREENING_VIEWPORTS.LMLO],
    );
    // Right breast (left column): its right edge meets the midline; left breast: its left edge.
    assert.deepEqual(
      stage.viewports.map((v) => v.viewportOptions.displayArea.imageCanvasPoint.imagePoint[0]),
      [1, 0, 1, 0],
    );
    const groups = stage.viewports.map((v) => v.viewportOptions.syncGroups.map((g) => g.id).join());
    assert.equal(groups[0], groups[1]);
    assert.equal(groups[2], groups[3]);
    assert.notEqual(groups[0], groups[2]);
  },
);

test(
  'chosen for MG studies of at least two views; ' + 'two-view stages come after the 2x2, each needing both its views',
  () => {
    const rule = screeningProtocol.protocolMatchingRules.find((r) => r.attribute === MAMMO_VIEW_COUNT_ATTRIBUTE);
    assert.deepEqual(rule?.constraint, { greaterThan: { value: 2 } }, 'OHIF 3.13 validates greaterThan as value >= 2');
    assert.equal(rule?.required, true);
    assert.equal(screeningProtocol.stages[0]?.stageActivation.enabled.minViewportsMatched, 3);
    const pairs = screeningProtocol.stages.filter((s) => !PRIOR_STAGES.includes(s.id)).slice(1);
    assert.equal(pairs.length, 4);
    for (const stage of pairs) {
      assert.equal(stage.viewports.length, 2);
      assert.equal(stage.stageActivation.enabled.minViewportsMatched, 2);
    }
  },
);

test("the prior stages come last: the current pair over the prior pair, the prior as OHIF's second study", () => {
  const stages = screeningProtocol.stages.filter((s) => PRIOR_STAGES.includes(s.id));
  assert.deepEqual(
    stages.map((s) => s.viewports.map((v) => v.viewportOptions.viewportId)),
    [
      ['mammo-screening-rcc', 'mammo-screening-lcc', 'mammo-screening-rcc-prior', 'mammo-screening-lcc-prior'],
      ['mammo-screening-rmlo', 'mammo-screening-lmlo', 'mammo-screening-rmlo-prior', 'mammo-screening-lmlo-prior'],
    ],
  );
  assert.deepEqual(screeningProtocol.stages.slice(-2), stages);
  for (const stage of stages) {
    assert.deepEqual(stage.viewportStructure.properties, { rows: 2, columns: 2 });
    // Enabled once a prior view is there (two current views and at least one prior).
    assert.equal(stage.stageActivation.enabled.minViewportsMatched, 3);
  }
  const index = (id: string) =>
    screeningProtocol.displaySetSelectors[id]?.studyMatchingRules.find((r) => r.attribute === 'studyInstanceUIDsIndex');
  assert.deepEqual(index('RCC')?.constraint, { equals: { value: 0 } });
  assert.deepEqual(index('RCC prior')?.constraint, { equals: { value: 1 } });
  assert.equal(index('LMLO prior')?.from, 'options');
  assert.ok(screeningProtocol.numberOfPriorsReferenced >= 1, 'OHIF matches only the active study at -1');
  for (const id of ['mammo-screening-rcc-prior', 'mammo-screening-lmlo-prior']) assert.equal(isPriorViewport(id), true);
  assert.equal(slotOfViewport('mammo-screening-lmlo-prior'), 'LMLO');
  assert.equal(isPriorViewport('mammo-screening-lmlo'), false);
});

test('the registry moves an image whose header names only its side once the pixels show an MLO, and says so', () => {
  const registry = new ViewRegistry();
  const instance = { SOPInstanceUID: '2.25.1', ImageLaterality: 'L' };
  assert.equal(registry.slotOf(instance), 'LCC', 'until the pixels are read: the CC row');
  assert.equal(registry.wantsPixels(instance), true);
  assert.equal(registry.addPixels(instance, syntheticBreast({ chestWall: 'left', view: 'MLO' })), true);
  assert.equal(registry.slotOf(instance), 'LMLO');
  assert.equal(registry.wantsPixels(instance), false);
  const named = { SOPInstanceUID: '2.25.2', ImageLaterality: 'R', ViewPosition: 'CC', PatientOrientation: ['P', 'L'] };
  assert.equal(registry.wantsPixels(named), false, 'a full header needs no pixels');
});
