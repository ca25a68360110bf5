import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMias, patientOf, MiasNotFoundError } from '../../training/src/data/mias';
import { writeSyntheticMiasArchive, writeSyntheticMiasFolder } from '../fixtures/syntheticMias';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'mias-'));

test('patients are consecutive pairs: mdb001+mdb002 is patient 1', () => {
  assert.equal(patientOf('mdb001'), 1);
  assert.equal(patientOf('mdb002'), 1);
  assert.equal(patientOf('mdb003'), 2);
  assert.equal(patientOf('mdb322'), 161);
});

test('reads a folder of PGM files, withheld images being no error', async () => {
  const dir = tmp();
  writeSyntheticMiasFolder(dir, 8, 32, [3, 4]);
  writeFileSync(join(dir, 'README'), 'not an image');
  const images = await readMias(dir);
  assert.deepEqual(
    images.map((i) => i.name),
    ['mdb001', 'mdb002', 'mdb005', 'mdb006', 'mdb007', 'mdb008'],
  );
  assert.equal(images[0]?.image.width, 32);
});

test('reads the .tar.gz directly and from a folder holding it', async () => {
  const dir = tmp();
  const archive = join(dir, 'all-mias.tar.gz');
  await writeSyntheticMiasArchive(archive, 4, 24);
  const direct = await readMias(archive);
  const viaFolder = await readMias(dir);
  assert.deepEqual(
    direct.map((i) => i.name),
    ['mdb001', 'mdb002', 'mdb003', 'mdb004'],
  );
  assert.deepEqual(
    viaFolder.map((i) => [...i.image.pixels.slice(0, 50)]),
    direct.map((i) => [...i.image.pixels.slice(0, 50)]),
  );
});

test('a missing or empty data folder says where to get MIAS', async () => {
  await assert.rejects(
    readMias(join(tmp(), 'nope')),
    (e: Error) =>
      e instanceof MiasNotFoundError && /not found at .*nope/.test(e.message) && /all-mias\.tar\.gz/.test(e.message),
  );
  const empty = tmp();
  mkdirSync(join(empty, 'sub'));
  await assert.rejects(readMias(empty), /holds no mdbNNN\.pgm files and no \.tar\.gz archive[\s\S]*--data/);
});

test('a corrupt image names its file', async () => {
  const dir = tmp();
  writeSyntheticMiasFolder(dir, 2, 16);
  writeFileSync(join(dir, 'mdb002.pgm'), 'P5\n16 16\n255\nshort');
  await assert.rejects(readMias(dir), /mdb002\.pgm: .*truncated/);
});
