import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '../../training/src/backend/tf';
import { selectBackend } from '../../training/src/backend/selectBackend';
import { drawSample, FFDM_SAMPLE_OPTIONS, type PreparedImage } from '../../training/src/train/ffdmCrops';
import { patientOfPath, splitOf } from '../../training/src/data/ffdm';
import { Random } from '../../training/src/data/random';
import { ffdmReceptiveFieldRadius, initialFfdmWeights } from '../../training/src/model/ffdmNetwork';
import { buildFfdmOnnx } from '../../training/src/export/ffdmOnnx';
import { ffdmParity } from '../../training/src/export/ffdmParity';
import { FFDM_PRESETS } from '../../training/src/train/ffdmConfig';
import { loadFfdmCheckpoint } from '../../training/src/train/ffdmCheckpoint';
import { trainFfdm, checkpointFile } from '../../training/src/train/trainFfdm';

const smoke = FFDM_PRESETS['ffdm-smoke']!;

/** A synthetic "digital mammogram" in model space: a smooth breast with texture, and a known NLF. */
function syntheticImage(name: string, seed: string): PreparedImage {
  const random = Random.fromSeed(seed);
  const width = 160,
    height = 128;
  const values = new Float32Array(width * height).map(
    (_, i) => 0.3 + 0.4 * ((i % width) / width) + 0.05 * Math.sin(i / 37) + 0.01 * random.normal(),
  );
  return {
    name,
    width,
    height,
    values,
    map: {
      low: 0,
      high: 1000,
      inverted: false,
      minStored: 0,
      maxStored: 4095,
      tissueThreshold: 0.1,
      method: 'percentile',
    },
    nlf: { means: [0.2, 0.8], sigmas: [0.008, 0.02], samples: 1e4 },
  };
}

test(
  'patients and splits: the folder under rsna/ or the single file; ' + 'test holds two patients of different scanners',
  () => {
    assert.equal(patientOfPath('ffdm/rsna/10011/220375232.dcm'), 'rsna/10011');
    assert.equal(patientOfPath('ffdm/fo-dicom/GH133.dcm'), 'fo-dicom/GH133.dcm');
    assert.equal(splitOf('rsna/10025'), 'test');
    assert.equal(splitOf('rsna/10038'), 'test');
    assert.equal(splitOf('rsna/10011'), 'train');
    assert.equal(splitOf('somewhere/else.dcm'), 'test');
  },
);

test('samples: input = reference + dose noise, the map is the NLF / sqrt(d) (+-10%), weights mark the specks', () => {
  const image = syntheticImage('a', 'a');
  const options = { ...FFDM_SAMPLE_OPTIONS, size: 32, speckProbability: 1 };
  const s = drawSample([image], options, Random.fromSeed('sample'));
  assert.equal(s.input.length, 32 * 32);
  assert.ok(s.dose >= 0.25 && s.dose <= 0.9);
  let diff2 = 0;
  for (let i = 0; i < s.input.length; i += 1) diff2 += ((s.input[i] as number) - (s.reference[i] as number)) ** 2;
  const addedStd = Math.sqrt(diff2 / s.input.length);
  const meanMap = s.noiseMap.reduce((a, v) => a + v, 0) / s.noiseMap.length;
  // Added noise std = sqrt(1/d - 1) sigma0, map = sigma0 / sqrt(d) (jitter +-10%): their ratio is sqrt(1 - d).
  const ratio = addedStd / meanMap;
  assert.ok(
    Math.abs(ratio - Math.sqrt(1 - s.dose)) < 0.25 * Math.sqrt(1 - s.dose) + 0.05,
    `ratio ${ratio.toFixed(3)} vs ${Math.sqrt(1 - s.dose).toFixed(3)}`,
  );
  assert.ok(Math.max(...s.weight) > 1);
});

test(
  'the network starts near the identity, leaks no tensors, ' + 'and its ONNX export agrees with TF.js to 1e-5',
  async () => {
    await selectBackend('cpu');
    const arch = { ...smoke.architecture, width: 8, depth: 2 };
    const weights = initialFfdmWeights(arch, Random.fromSeed('w'));
    // Make the correction non-trivial so parity tests every layer.
    const up = weights.get('up')!;
    up.kernel.forEach((_, i) => (up.kernel[i] = 0.05 * Math.sin(i)));
    const random = Random.fromSeed('x');
    const sample = {
      height: 24,
      width: 40,
      image: Float32Array.from({ length: 24 * 40 }, () => random.uniform()),
      noise: Float32Array.from({ length: 24 * 40 }, () => 0.01 + 0.02 * random.uniform()),
    };
    const before = tf.memory().numTensors;
    const onnx = buildFfdmOnnx(arch, weights, { modelId: 't', modelVersion: '0', docString: '', metadata: {} });
    const { maxDifference, inputNames } = await ffdmParity(arch, weights, onnx, [sample]);
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual([...inputNames].sort(), ['input', 'noise_sigma']);
    assert.ok(maxDifference < 1e-5, `max difference ${maxDifference}`);
    assert.equal(ffdmReceptiveFieldRadius({ id: 'ffdm-nlf', width: 32, depth: 6 }), 14);
  },
);

test('a run stopped and resumed equals one that ran straight', async () => {
  await selectBackend('cpu');
  const train = [syntheticImage('t1', 't1'), syntheticImage('t2', 't2')];
  const validation = [syntheticImage('v', 'v')];
  const config = { ...smoke, maxEpochs: 2 };
  const straight = mkdtempSync(join(tmpdir(), 'ffdm-straight-'));
  await trainFfdm(config, train, validation, { runDir: straight, resume: false });
  const resumed = mkdtempSync(join(tmpdir(), 'ffdm-resumed-'));
  await trainFfdm({ ...config, maxEpochs: 1 }, train, validation, { runDir: resumed, resume: false });
  await trainFfdm(config, train, validation, { runDir: resumed, resume: true });
  const a = loadFfdmCheckpoint(checkpointFile(straight));
  const b = loadFfdmCheckpoint(checkpointFile(resumed));
  assert.equal(a.epoch, 2);
  assert.equal(b.epoch, 2);
  for (const [name, w] of a.weights) assert.deepEqual([...b.weights.get(name)!.kernel], [...w.kernel], name);
  assert.deepEqual(
    a.history.map((h) => h.validationLoss),
    b.history.map((h) => h.validationLoss),
  );
});

test(
  '--init-from starts a fresh run from the parent best weights, ' + 'records the lineage, and never overwrites a run',
  async () => {
    await selectBackend('cpu');
    const train = [syntheticImage('t1', 't1')];
    const validation = [syntheticImage('v', 'v')];
    const parentDir = mkdtempSync(join(tmpdir(), 'ffdm-parent-'));
    const parent = await trainFfdm({ ...smoke, maxEpochs: 1 }, train, validation, { runDir: parentDir, resume: false });
    const childDir = mkdtempSync(join(tmpdir(), 'ffdm-child-'));
    const child = await trainFfdm({ ...smoke, preset: 'child', maxEpochs: 0 }, train, validation, {
      runDir: childDir,
      resume: false,
      initFrom: { state: parent, sha256: 'ab'.repeat(32) },
    });
    for (const [name, w] of parent.bestWeights)
      assert.deepEqual([...child.weights.get(name)!.kernel], [...w.kernel], name);
    assert.equal(child.epoch, 0);
    assert.equal(child.adam.step, 0);
    assert.deepEqual(
      { preset: child.parent?.preset, epochs: child.parent?.epochs, sha: child.parent?.checkpointSha256 },
      { preset: 'ffdm-smoke', epochs: 1, sha: 'ab'.repeat(32) },
    );
    const wider = { ...smoke, architecture: { ...smoke.architecture, width: 16 } };
    await assert.rejects(
      trainFfdm(wider, train, validation, {
        runDir: mkdtempSync(join(tmpdir(), 'ffdm-x-')),
        resume: false,
        initFrom: { state: parent, sha256: '' },
      }),
      /--init-from: the checkpoint's network/,
    );
    await assert.rejects(
      trainFfdm({ ...smoke, maxEpochs: 1 }, train, validation, { runDir: parentDir, resume: false }),
      /exists: continue it with --resume/,
    );
  },
);
