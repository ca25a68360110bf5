// Configuration errors must name the field and never break the viewer; the
// mode must be offered for MG studies, including ones whose instances lack
// Modality (seen in public Hologic screening data).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DenoiseConfigurationError,
  resolveConfiguration,
  denoisedImageId,
  parseDenoisedImageId,
  sourceImageIdOf,
} from '@mammo-denoise/ohif-extension-denoise/internals';
import { loadModelCatalog, ModelConfigError } from '@mammo-denoise/core';
import { isValidDenoiseStudy } from '../../mode/src/index';

const BASE = 'https://pacs.example/ohif/mammo-denoise/extension/';

test('defaults resolve beside the bundle', () => {
  const c = resolveConfiguration(undefined, BASE);
  assert.equal(c.modelIndexUrl, `${BASE}models/index.json`);
  assert.equal(c.wasmPaths, `${BASE}ort/`);
  assert.deepEqual(c.executionProviders, ['webgpu', 'wasm']);
  assert.equal(c.tileSize, 512);
  assert.equal(c.numThreads, null);
});

test('bad fields are named, with what still works', () => {
  const bad = (raw: unknown, field: RegExp) =>
    assert.throws(
      () => resolveConfiguration(raw, BASE),
      (e: Error) =>
        e instanceof DenoiseConfigurationError && field.test(e.message) && /viewer works as usual/.test(e.message),
    );
  bad({ executionProviders: ['cuda'] }, /executionProviders/);
  bad({ executionProviders: [] }, /executionProviders/);
  bad({ tileSize: 33 }, /tileSize must be an even integer/);
  bad({ tileSize: 8192 }, /tileSize/);
  bad({ numThreads: 0 }, /numThreads/);
  bad({ modelSha256: { m: 5 } }, /modelSha256/);
  bad({ modelIndexUrl: '' }, /modelIndexUrl/);
});

test('denoised image ids keep the source id whole and name the model', () => {
  const source = 'wadors:https://pacs/studies/1/series/2/instances/3/frames/1';
  const id = denoisedImageId('mias-dae-residual', source);
  assert.deepEqual(parseDenoisedImageId(id), { modelId: 'mias-dae-residual', sourceImageId: source });
  assert.equal(sourceImageIdOf(id), source);
  assert.equal(sourceImageIdOf(source), source);
  assert.equal(parseDenoisedImageId(source), null);
  assert.throws(() => denoisedImageId('a:b', source), /must not contain ":"/);
});

test('the mode is offered for MG, for studies without Modality, and not for SR-only studies', () => {
  assert.equal(isValidDenoiseStudy('MG').valid, true);
  assert.equal(isValidDenoiseStudy('MG\\SR').valid, true);
  assert.equal(isValidDenoiseStudy('').valid, true);
  assert.equal(isValidDenoiseStudy(undefined).valid, true);
  assert.equal(isValidDenoiseStudy('SR').valid, false);
});

const files: Record<string, unknown> = {};
const server = createServer((req, res) => {
  const body = files[req.url ?? ''];
  res.writeHead(body === undefined ? 404 : 200, { 'Content-Type': 'application/json' });
  res.end(body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
after(() => server.close());

const card = (id: string, sha: string) => ({
  schema: 'mammo-denoise/model-card@1',
  id,
  version: '1.0.0',
  name: id,
  onnx: { file: `${id}.onnx`, sha256: sha, bytes: 1, opset: 17 },
  io: {
    inputName: 'input',
    outputName: 'output',
    layout: 'NCHW',
    dtype: 'float32',
    sizeMultiple: 2,
    receptiveFieldRadius: 20,
    inputRange: [0, 1],
    outputClipped: false,
    normalization: 'x',
  },
  architecture: {},
  training: {},
  evaluation: {},
  intendedUse: '',
  limitations: [],
  licence: '',
  citation: '',
});

test(
  'the catalog lists the default first, ' + 'resolves files against the index, and lets the config pin a hash',
  async () => {
    files['/m/index.json'] = {
      default: 'b',
      models: [
        { id: 'a', onnx: 'a.onnx', card: 'a.json' },
        { id: 'b', onnx: 'sub/b.onnx', card: 'b.json' },
      ],
    };
    files['/m/a.json'] = card('a', 'a'.repeat(64));
    files['/m/b.json'] = card('b', 'b'.repeat(64));
    const catalog = await loadModelCatalog(`${base}/m/index.json`, { pinnedSha256: { a: 'c'.repeat(64) } });
    assert.deepEqual(
      catalog.models.map((m) => m.id),
      ['b', 'a'],
    );
    assert.equal(catalog.models[0]?.onnxUrl, `${base}/m/sub/b.onnx`);
    assert.equal(catalog.models[1]?.sha256, 'c'.repeat(64));
  },
);

test('a missing index, a broken card or an index/card mismatch is a clear configuration error', async () => {
  await assert.rejects(
    loadModelCatalog(`${base}/none/index.json`),
    (e: Error) => e instanceof ModelConfigError && /model index .* HTTP 404/.test(e.message),
  );
  files['/x/index.json'] = { default: 'a', models: [{ id: 'a', onnx: 'a.onnx', card: 'a.json' }] };
  files['/x/a.json'] = 'not json';
  await assert.rejects(loadModelCatalog(`${base}/x/index.json`), /is not valid JSON/);
  files['/x/a.json'] = card('other', 'a'.repeat(64));
  await assert.rejects(
    loadModelCatalog(`${base}/x/index.json`),
    /describes model "other", but the index lists it as "a"/,
  );
  files['/y/index.json'] = { default: 'zz', models: [{ id: 'a', onnx: 'a.onnx', card: 'a.json' }] };
  await assert.rejects(loadModelCatalog(`${base}/y/index.json`), /default model "zz" is not in "models"/);
});
