import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDataset, splitPatients, TISSUE_THRESHOLD, transformSquare } from '../../training/src/data/dataset';
import { readMias } from '../../training/src/data/mias';
import { writeSyntheticMiasFolder } from '../fixtures/syntheticMias';

const dir = mkdtempSync(join(tmpdir(), 'dataset-'));
writeSyntheticMiasFolder(dir, 40, 96, [7, 8]);
const images = await readMias(dir);

test('patients split 8:1:1, each patient in exactly one split, seeded', () => {
  const patients = Array.from({ length: 151 }, (_, i) => i + 1);
  const split = splitPatients([...patients, ...patients], 'seed-a');
  assert.equal(split.validation.length, 15);
  assert.equal(split.test.length, 15);
  assert.equal(split.train.length, 121);
  const all = [...split.train, ...split.validation, ...split.test];
  assert.equal(new Set(all).size, 151);
  assert.deepEqual(splitPatients(patients, 'seed-a'), split);
  assert.notDeepEqual(splitPatients(patients, 'seed-b'), split);
});

test('crops come from tissue, both breasts of a patient stay in one split, and the sizes are 8:1:1', () => {
  const dataset = buildDataset(images, { samples: 100, cropSize: 16, minTissueFraction: 0.95, seed: 's' });
  assert.equal(dataset.splits.train.length, 80);
  assert.equal(dataset.splits.validation.length, 10);
  assert.equal(dataset.splits.test.length, 10);
  const splitOf = new Map<number, string>();
  for (const [split, crops] of Object.entries(dataset.splits)) {
    for (const crop of crops) {
      const patient = Math.ceil(Number(crop.source.slice(3)) / 2);
      assert.ok(!splitOf.has(patient) || splitOf.get(patient) === split, `patient ${patient} in two splits`);
      splitOf.set(patient, split);
      assert.ok(dataset.patients[split as 'train'].includes(patient));
      const tissue = crop.pixels.filter((v) => v >= TISSUE_THRESHOLD).length / crop.pixels.length;
      assert.ok(tissue >= 0.95, `crop from ${crop.source} is ${tissue} tissue`);
    }
  }
  const again = buildDataset(images, { samples: 100, cropSize: 16, minTissueFraction: 0.95, seed: 's' });
  assert.deepEqual(
    again.splits.test.map((c) => [c.source, c.x, c.y, c.transform]),
    dataset.splits.test.map((c) => [c.source, c.x, c.y, c.transform]),
  );
});

test('the 8 dihedral transforms are distinct and invertible', () => {
  const square = Uint8Array.from({ length: 9 }, (_, i) => i);
  const seen = new Set<string>();
  for (let t = 0; t < 8; t += 1) seen.add(transformSquare(square, 3, t).join(','));
  assert.equal(seen.size, 8);
  assert.deepEqual(transformSquare(transformSquare(square, 3, 1), 3, 1), square);
  assert.deepEqual(transformSquare(transformSquare(square, 3, 4), 3, 4), square);
});

test('odd crop sizes are refused with a reason', () => {
  assert.throws(
    () => buildDataset(images, { samples: 10, cropSize: 15, minTissueFraction: 0.9, seed: 's' }),
    /crop size must be even/,
  );
});
