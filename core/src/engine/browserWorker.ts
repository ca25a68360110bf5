import type { WorkerLike } from './client';

/**
 * Starts the engine's browser worker (denoise.worker.ts). The URL is written
 * here, beside the worker, so that a bundler (webpack's `new Worker(new URL(…,
 * import.meta.url))`) emits it as its own chunk named `mammo-denoise`, and no
 * caller needs the worker's path inside this package.
 */
export function createBrowserDenoiseWorker(): WorkerLike {
  // A real Worker satisfies WorkerLike at run time; its DOM typing differs only in handler signatures.
  return new Worker(new URL('./denoise.worker.ts', import.meta.url), {
    type: 'module',
    name: 'mammo-denoise',
  }) as unknown as WorkerLike;
}
