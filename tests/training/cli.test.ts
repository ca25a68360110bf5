// The workspace as an ML engineer runs it: train → export → evaluate from the
// command line, on synthetic data, into a temporary models folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as ort from 'onnxruntime-node';
import { parseModelCard, parseModelIndex } from '@mammo-denoise/core';
import { writeSyntheticMiasFolder } from '../fixtures/syntheticMias';

const run = promisify(execFile);
const CLI = join(import.meta.dirname ?? '', '..', '..', 'training', 'src', 'cli.ts');
const cli = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', CLI, ...args], { maxBuffer: 16 * 1024 * 1024 });

const data = mkdtempSync(join(tmpdir(), 'cli-data-'));
writeSyntheticMiasFolder(data, 10, 48);
const runDir = mkdtempSync(join(tmpdir(), 'cli-run-'));
const modelsDir = mkdtempSync(join(tmpdir(), 'cli-models-'));

test('train --preset smoke prints the backend, a progress line per epoch and writes a checkpoint and log', async () => {
  const { stdout } = await cli('train', '--preset', 'smoke', '--data', data, '--run-dir', runDir, '--backend', 'wasm');
  assert.match(stdout, /using wasm \(XNNPACK/);
  assert.match(stdout, /MIAS: 10 images of 5 patients/);
  assert.match(stdout, /epoch 2: train loss .* validation PSNR .* dB/);
  assert.match(stdout, /reached the 2-epoch cap/);
  assert.ok(existsSync(join(runDir, 'checkpoint.bin')));
  const log = readFileSync(join(runDir, 'log.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { event: string });
  assert.equal(log.filter((l) => l.event === 'epoch').length, 2);
});

test('export writes the ONNX, a card with the sha256 and evaluation, the markdown card and the index', async () => {
  const { stdout } = await cli(
    'export',
    '--run-dir',
    runDir,
    '--id',
    'smoke-model',
    '--data',
    data,
    '--models-dir',
    modelsDir,
    '--default',
  );
  assert.match(stdout, /parity TF\.js vs onnxruntime-node: max \|diff\| /);
  const onnx = readFileSync(join(modelsDir, 'smoke-model.onnx'));
  const card = parseModelCard(JSON.parse(readFileSync(join(modelsDir, 'smoke-model.json'), 'utf8')), 'card');
  assert.equal(card.onnx.sha256, createHash('sha256').update(onnx).digest('hex'));
  assert.equal(card.onnx.opset, 17);
  assert.equal(card.io.inputName, 'input');
  assert.equal(card.io.receptiveFieldRadius, 20);
  const evaluation = card.evaluation as {
    table: { conditions: unknown[]; methods: Array<{ id: string }> };
    parity: { maxAbsDifference: number };
  };
  assert.equal(evaluation.table.conditions.length, 14);
  assert.deepEqual(
    evaluation.table.methods.map((m) => m.id),
    ['noisy', 'median3', 'median5', 'adaptiveMedian', 'gaussian', 'nlm', 'smoke-model'],
  );
  assert.ok(evaluation.parity.maxAbsDifference <= 1e-4);
  assert.match(card.intendedUse, /not for primary diagnosis/);
  assert.ok(card.limitations.some((l) => /200 µm, 8-bit/.test(l) && /signal-dependent/.test(l)));
  assert.match(card.licence, /MIAS/);
  const index = parseModelIndex(JSON.parse(readFileSync(join(modelsDir, 'index.json'), 'utf8')), 'index');
  assert.deepEqual(index, {
    default: 'smoke-model',
    models: [{ id: 'smoke-model', onnx: 'smoke-model.onnx', card: 'smoke-model.json' }],
  });
  const markdown = readFileSync(join(modelsDir, 'smoke-model.md'), 'utf8');
  assert.match(markdown, new RegExp(card.onnx.sha256));
  assert.match(markdown, /\| Gaussian sigma 40 \|/);
  // The exported file runs on its own with the declared contract.
  const session = await ort.InferenceSession.create(onnx);
  const out = await session.run({
    input: new ort.Tensor('float32', new Float32Array(2 * 1 * 20 * 30).fill(0.5), [2, 1, 20, 30]),
  });
  assert.deepEqual(out.output!.dims, [2, 1, 20, 30]);
});

test(
  'evaluate runs the table on explicit ONNX files and ' + 'refuses an unknown model id with the list it has',
  async () => {
    const { stdout } = await cli(
      'evaluate',
      '--onnx',
      join(modelsDir, 'smoke-model.onnx'),
      '--data',
      data,
      '--split',
      'all',
      '--crop',
      '16',
      '--limit',
      '4',
    );
    assert.match(stdout, /\| condition \| noisy input \| median 3x3 .*\| smoke-model \|/);
    assert.match(stdout, /\| salt-and-pepper SNR 0\.93 \|/);
    await assert.rejects(
      cli('evaluate', '--model', 'nope', '--data', data),
      /error: model "nope" is not in .*index\.json|does not exist/,
    );
  },
);

test('a missing data folder is a clear error and a non-zero exit', async () => {
  await assert.rejects(
    cli('train', '--preset', 'smoke', '--data', join(data, 'missing'), '--run-dir', runDir),
    (e: { code?: number; stderr?: string }) =>
      e.code === 1 &&
      /MIAS data not found at .*missing/.test(e.stderr ?? '') &&
      /all-mias\.tar\.gz/.test(e.stderr ?? ''),
  );
});
