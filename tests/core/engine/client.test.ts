// The worker protocol, driven in-process with onnxruntime-node: model download
// and integrity, provider fallback, results, cancellation, supersession, bad
// input and a crashing worker. The browser worker runs the same handler.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as ort from 'onnxruntime-node';
import {
  DenoiseClient,
  type EngineError,
  type WorkerLike,
  createWorkerHandler,
  sha256Hex,
  createOrtRunner,
  denoiseImage,
  type EngineConfig,
  type FromWorker,
  type StoredImage,
  type ToWorker,
} from '@mammo-denoise/core';
import { fixtureModel } from '../../fixtures/fixtureModel';

const model = fixtureModel();
const sha = await sha256Hex(model.bytes);
const server = createServer((req, res) => {
  if (req.url === '/model.onnx') {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    res.end(model.bytes);
  } else {
    res.writeHead(404);
    res.end();
  }
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
after(() => server.close());

/** An in-process "worker": messages are structured-cloned both ways, as postMessage does. */
function fakeWorker(options: { crashOnDenoise?: boolean } = {}): WorkerLike & { terminated: boolean } {
  const worker = {
    onmessage: null as WorkerLike['onmessage'],
    onerror: null as WorkerLike['onerror'],
    terminated: false,
    postMessage(message: ToWorker, transfer: Transferable[] = []) {
      if (worker.terminated) return;
      // A transfer moves the buffers: cloned here with the transfer
      // list, so the sender's copy is detached as in a browser.
      message = structuredClone(message, { transfer });
      if (options.crashOnDenoise && message.type === 'denoise') {
        setImmediate(() =>
          worker.onerror?.({ message: 'RangeError: WebAssembly.Memory(): could not allocate memory' }),
        );
        return;
      }
      void handle(message);
    },
    terminate() {
      worker.terminated = true;
    },
  };
  const handle = createWorkerHandler(ort, (message: FromWorker) => {
    if (!worker.terminated) setImmediate(() => worker.onmessage?.({ data: structuredClone(message) }));
  });
  return worker;
}

const config = (overrides: Partial<EngineConfig> = {}): EngineConfig => ({
  modelUrl: `${base}/model.onnx`,
  sha256: sha,
  inputName: 'input',
  outputName: 'output',
  executionProviders: ['webgpu', 'cpu'],
  ...overrides,
});

function image(width = 130, height = 98): StoredImage {
  const pixels = new Uint16Array(width * height);
  for (let i = 0; i < pixels.length; i += 1) pixels[i] = 800 + ((i * 7919) % 2000);
  return {
    width,
    height,
    pixels,
    bitsStored: 12,
    signed: false,
    photometricInterpretation: 'MONOCHROME2',
    rescaleSlope: 1,
    rescaleIntercept: 0,
  };
}

test(
  'loads the model over HTTP, checks its sha256, ' + 'reports the provider that runs and why others did not',
  async () => {
    const client = new DenoiseClient(() => fakeWorker(), config());
    const ready = await client.start();
    assert.equal(ready.executionProvider, 'cpu');
    assert.equal(ready.fallbacks.length, 1);
    assert.equal(ready.fallbacks[0]?.provider, 'webgpu');
    assert.equal(ready.modelFromCache, false);
    client.stop();
  },
);

test("the worker result equals the engine run directly, and the caller's pixels are untouched", async () => {
  const client = new DenoiseClient(() => fakeWorker(), config());
  const input = image();
  const before = input.pixels.slice();
  const progress: number[] = [];
  const result = await client.denoise(input, { tileSize: 64, halo: 24, onProgress: (p) => progress.push(p.tilesDone) });
  const runner = await createOrtRunner(ort, model.bytes, {
    inputName: 'input',
    outputName: 'output',
    executionProviders: ['cpu'],
  });
  const direct = await denoiseImage(input, runner, { tileSize: 64, halo: 24 });
  assert.deepEqual(result.pixels, direct.pixels);
  assert.deepEqual(input.pixels, before);
  assert.equal(result.stats.tilesTotal, 6);
  assert.deepEqual(progress, [0, 1, 2, 3, 4, 5, 6]);
  await runner.release();
  client.stop();
});

// Issue 15 (memory): the copy made for a run is moved to the worker, not cloned a second time.
test(
  "transferPixels hands the caller's copy over (its buffer is detached) " + 'and gives the same result as a clone',
  async () => {
    const client = new DenoiseClient(() => fakeWorker(), config());
    const cloned = await client.denoise(image(), { tileSize: 64, halo: 24 });
    const handedOver = image();
    const result = await client.denoise(handedOver, { tileSize: 64, halo: 24, transferPixels: true });
    assert.equal(handedOver.pixels.buffer.byteLength, 0, 'the buffer moved to the worker');
    assert.deepEqual(result.pixels, cloned.pixels);
    client.stop();
  },
);

test('a wrong hash, a missing model and a bad config fail with what is wrong', async () => {
  await assert.rejects(
    new DenoiseClient(() => fakeWorker(), config({ sha256: 'a'.repeat(64) })).start(),
    (e: EngineError) =>
      e.kind === 'integrity' && /failed its integrity check: sha256 [0-9a-f]{64}, expected a{64}/.test(e.message),
  );
  await assert.rejects(
    new DenoiseClient(() => fakeWorker(), config({ modelUrl: `${base}/missing.onnx` })).start(),
    (e: EngineError) => e.kind === 'network' && /HTTP 404/.test(e.message),
  );
  await assert.rejects(
    new DenoiseClient(() => fakeWorker(), config({ modelUrl: 'http://127.0.0.1:1/model.onnx' })).start(),
    (e: EngineError) => e.kind === 'network' && /could not be downloaded/.test(e.message),
  );
  await assert.rejects(
    new DenoiseClient(() => fakeWorker(), config({ sha256: 'not-a-hash' })).start(),
    (e: EngineError) => e.kind === 'config',
  );
  await assert.rejects(
    new DenoiseClient(() => fakeWorker(), config({ executionProviders: ['webgpu'] })).start(),
    (e: EngineError) => e.kind === 'provider' && /webgpu/.test(e.message),
  );
});

test('bad input is refused with a reason: truncated pixels, colour, unsupported depth', async () => {
  const client = new DenoiseClient(() => fakeWorker(), config());
  const good = image(32, 32);
  await assert.rejects(
    client.denoise({ ...good, pixels: good.pixels.subarray(0, 1000) }, { tileSize: 64, halo: 24 }),
    (e: EngineError) =>
      e.kind === 'input' && /1000 values for a 32x32 image .*truncated, corrupt, multi-frame or colour/.test(e.message),
  );
  await assert.rejects(
    client.denoise({ ...good, photometricInterpretation: 'RGB' as 'MONOCHROME2' }, { tileSize: 64, halo: 24 }),
    (e: EngineError) => e.kind === 'input' && /RGB is not greyscale/.test(e.message),
  );
  await assert.rejects(
    client.denoise({ ...good, bitsStored: 24 }, { tileSize: 64, halo: 24 }),
    (e: EngineError) => e.kind === 'input' && /BitsStored 24/.test(e.message),
  );
  client.stop();
});

test('cancelling and superseding stop the old request; the next one still works', async () => {
  const client = new DenoiseClient(() => fakeWorker(), config());
  await client.start();
  const controller = new AbortController();
  const cancelled = client.denoise(image(256, 256), {
    tileSize: 32,
    halo: 24,
    signal: controller.signal,
    onProgress: (p) => {
      if (p.tilesDone === 1) controller.abort();
    },
  });
  await assert.rejects(cancelled, (e: EngineError) => e.kind === 'cancelled');
  const first = client.denoise(image(256, 256), { tileSize: 32, halo: 24 });
  const second = client.denoise(image(64, 64), { tileSize: 32, halo: 24 });
  await assert.rejects(first, (e: EngineError) => e.kind === 'cancelled' && /superseded/.test(e.message));
  assert.equal((await second).pixels.length, 64 * 64);
  client.stop();
});

test('a crashing worker fails the request as crashed and a new worker serves the next one', async () => {
  let made = 0;
  const client = new DenoiseClient(() => fakeWorker({ crashOnDenoise: made++ === 0 }), config());
  await assert.rejects(
    client.denoise(image(), { tileSize: 64, halo: 24 }),
    (e: EngineError) => e.kind === 'crashed' && /out of memory/.test(e.message),
  );
  const result = await client.denoise(image(), { tileSize: 64, halo: 24 });
  assert.equal(result.pixels.length, 130 * 98);
  assert.equal(made, 2);
  client.stop();
});
