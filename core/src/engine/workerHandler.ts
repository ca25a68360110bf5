import { DenoiseCancelledError, denoiseImage } from './denoiseImage';
import { loadModel, ModelLoadError } from './modelLoader';
import {
  createOrtRunner,
  ModelContractError,
  NoExecutionProviderError,
  type ModelRunner,
  type OrtModule,
} from './runner';
import type { EngineErrorKind, FromWorker, ProviderFallback, ToWorker } from './types';
import { strengthProblem } from './strength';
import { validateStoredImage } from './validateImage';

/**
 * The worker's logic, independent of the worker global and of which ONNX
 * Runtime build it gets, so Node tests drive it with onnxruntime-node and the
 * browser worker with onnxruntime-web. One denoise at a time; a new request
 * cancels the one running (the user moved on).
 */
export function createWorkerHandler(
  ort: OrtModule,
  post: (message: FromWorker, transfer?: Transferable[]) => void,
  options: { wasmThreads?: () => number } = {},
) {
  let runner: ModelRunner | null = null;
  let running: { requestId: number; controller: AbortController } | null = null;

  const kindOf = (error: unknown): EngineErrorKind =>
    error instanceof DenoiseCancelledError
      ? 'cancelled'
      : error instanceof ModelLoadError
        ? error.kind
        : error instanceof NoExecutionProviderError
          ? 'provider'
          : error instanceof ModelContractError
            ? 'config'
            : 'runtime';
  const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

  return async function handle(message: ToWorker): Promise<void> {
    switch (message.type) {
      case 'init': {
        const started = performance.now();
        try {
          await runner?.release();
          runner = null;
          const { config } = message;
          const model = await loadModel(config.modelUrl, config.sha256);
          const fallbacks: ProviderFallback[] = [];
          runner = await createOrtRunner(ort, model.bytes, {
            inputName: config.inputName,
            outputName: config.outputName,
            noiseMapInputName: config.noiseMapInputName,
            executionProviders: config.executionProviders,
            onFallback: (provider, reason) => fallbacks.push({ provider, reason }),
          });
          post({
            type: 'ready',
            ready: {
              executionProvider: runner.executionProvider,
              fallbacks,
              modelFromCache: model.fromCache,
              loadMilliseconds: performance.now() - started,
              wasmThreads: options.wasmThreads?.() ?? 1,
            },
          });
        } catch (error) {
          post({ type: 'initFailed', message: messageOf(error), kind: kindOf(error) });
        }
        return;
      }
      case 'cancel': {
        if (running?.requestId === message.requestId) running.controller.abort();
        return;
      }
      case 'denoise': {
        const { requestId, image } = message;
        if (!runner) {
          post({ type: 'failed', requestId, message: 'the model is not loaded', kind: 'config' });
          return;
        }
        const problem = validateStoredImage(image) ?? strengthProblem(message.settings.strength);
        if (problem) {
          post({ type: 'failed', requestId, message: problem, kind: 'input' });
          return;
        }
        running?.controller.abort();
        const controller = new AbortController();
        running = { requestId, controller };
        try {
          const result = await denoiseImage(image, runner, {
            ...message.settings,
            signal: controller.signal,
            onProgress: (progress) => post({ type: 'progress', requestId, progress }),
          });
          post({ type: 'result', requestId, result }, [result.pixels.buffer]);
        } catch (error) {
          post({ type: 'failed', requestId, message: messageOf(error), kind: kindOf(error) });
        } finally {
          if (running?.requestId === requestId) running = null;
        }
        return;
      }
    }
  };
}
