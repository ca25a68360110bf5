/// <reference lib="webworker" />
import * as ort from 'onnxruntime-web/webgpu';
import type { ToWorker } from './types';
import { createWorkerHandler } from './workerHandler';

/**
 * The browser worker: onnxruntime-web (WebGPU build, which also carries the
 * WASM provider) behind the engine's message protocol. Settings that ORT
 * reads once are applied from the first init message.
 */
declare const self: DedicatedWorkerGlobalScope;

let configured = false;
const handle = createWorkerHandler(ort, (message, transfer) => self.postMessage(message, transfer ?? []), {
  wasmThreads: () => Number(ort.env.wasm.numThreads ?? 1),
});

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type === 'init' && !configured) {
    if (message.config.wasmPaths) ort.env.wasm.wasmPaths = message.config.wasmPaths;
    // Threads need SharedArrayBuffer, i.e. a cross-origin isolated page; otherwise one thread.
    ort.env.wasm.numThreads = self.crossOriginIsolated
      ? (message.config.numThreads ?? Math.min(4, navigator.hardwareConcurrency || 1))
      : 1;
    configured = true;
  }
  void handle(message);
};
