// The worker protocol carries strength: the client puts it in the one
// settings object of the 'denoise' message, the worker hands it to the noise
// map, and a strength the engine does not accept fails that request as bad
// input (not a crash, not a silent default). Driven in-process with
// onnxruntime-node and the two-input fixture model, as the browser worker runs it.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as ort from 'onnxruntime-node';
import {
  DenoiseClient,
  type EngineError,
  type WorkerLike,
  sha256Hex,
  type FromWorker,
  type StoredImage,
  type ToWorker,
  createWorkerHandler,
} from '@mammo-denoise/core';
import { Random } from '../../../training/src/data/random';
import { NOISE_FIXTURE_NOISE_INPUT, noiseMapFixtureModel } from '../../fixtures/noiseMapFixtureModel';

const bytes = noiseMapFixtureModel(1);
const server = createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
  res.end(bytes);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
after(() => server.close());
const modelUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/noise.onnx`;

function recordingWorker(sent: ToWorker[]): WorkerLike {
  const handle = createWorkerHandler(ort, (message: FromWorker) =>
    setImmediate(() => worker.onmessage?.({ data: structuredClone(message) })),
  );
  const worker: WorkerLike = {
    onmessage: null,
    onerror: null,
    postMessage(message) {
      sent.push(structuredClone(message));
      void handle(structuredClone(message));
    },
    terminate() {},
  };
  return worker;
}

function image(): StoredImage {
  // Big enough for the NLF's bins to fill (400 samples each): a ramp with Gaussian noise of std 8.
  const random = Random.fromSeed('worker-strength');
  const pixels = new Uint16Array(128 * 96);
  for (let i = 0; i < pixels.length; i += 1) pixels[i] = Math.round(1000 + 8 * (i % 128) + 8 * random.normal());
  return {
    width: 128,
    height: 96,
    pixels,
    bitsStored: 12,
    signed: false,
    photometricInterpretation: 'MONOCHROME2',
    rescaleSlope: 1,
    rescaleIntercept: 0,
  };
}

test('strength travels in the denoise message settings and changes the result; a bad one fails as input', async () => {
  const sent: ToWorker[] = [];
  const client = new DenoiseClient(() => recordingWorker(sent), {
    modelUrl,
    sha256: await sha256Hex(bytes),
    inputName: 'input',
    outputName: 'output',
    noiseMapInputName: NOISE_FIXTURE_NOISE_INPUT,
    executionProviders: ['cpu'],
  });
  const at = (strength?: number) =>
    client.denoise(image(), { tileSize: 32, halo: 2, ...(strength === undefined ? {} : { strength }) });
  const plain = await at();
  const strong = await at(1.5);
  const messages = sent.filter((m) => m.type === 'denoise');
  assert.deepEqual(
    messages.map((m) => m.type === 'denoise' && m.settings),
    [
      { tileSize: 32, halo: 2 },
      { tileSize: 32, halo: 2, strength: 1.5 },
    ],
  );
  const original = image().pixels;
  const removed = (pixels: ArrayLike<number>) =>
    Array.from(pixels).reduce((sum, v, i) => sum + (original[i] as number) - v, 0);
  assert.ok(removed(strong.pixels) > removed(plain.pixels), 'strength 1.5 removes more than the default 1');
  await assert.rejects(
    at(0.1),
    (e: EngineError) => e.kind === 'input' && /strength must be a number from 0\.25 to 2, got 0\.1/.test(e.message),
  );
  client.stop();
});
