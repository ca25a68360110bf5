// docs/training.md's presets tables are generated from the training config
// (npm run docs:presets); this fails when the config changed and the doc did not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DOC_PATH, withPresetsTables } from '../../../scripts/docs/presets';

test('the presets tables in docs/training.md match the training config (else: npm run docs:presets)', async () => {
  const doc = readFileSync(DOC_PATH, 'utf8');
  assert.equal(doc, await withPresetsTables(doc));
});
