import type * as Ort from 'onnxruntime-common';

/**
 * Runs the model on one float32 image [1, 1, H, W]. Abstracts the ONNX Runtime
 * flavour: onnxruntime-web in the browser worker, onnxruntime-node in Node;
 * both implement onnxruntime-common's API, passed in as `ort`.
 */
export interface ModelRunner {
  readonly executionProvider: string;
  run(input: Float32Array, height: number, width: number): Promise<Float32Array>;
  release(): Promise<void>;
}

/** The part of an onnxruntime package the engine uses. */
export interface OrtModule {
  readonly InferenceSession: typeof Ort.InferenceSession;
  readonly Tensor: typeof Ort.Tensor;
}

export interface RunnerOptions {
  readonly inputName: string;
  readonly outputName: string;
  /** Tried in order; the first that creates a session wins (e.g. ['webgpu', 'wasm']). */
  readonly executionProviders: readonly string[];
  /** Called once per provider that could not start, with the reason (shown to the user, not thrown). */
  readonly onFallback?: (provider: string, reason: string) => void;
  /** Extra session options, e.g. intraOpNumThreads for onnxruntime-node. */
  readonly sessionOptions?: Ort.InferenceSession.SessionOptions;
}

export class NoExecutionProviderError extends Error {
  constructor(readonly attempts: ReadonlyArray<{ provider: string; reason: string }>) {
    super(`no execution provider could run the model: ${attempts.map((a) => `${a.provider}: ${a.reason}`).join('; ')}`);
    this.name = 'NoExecutionProviderError';
  }
}

export async function createOrtRunner(ort: OrtModule, model: Uint8Array, options: RunnerOptions): Promise<ModelRunner> {
  const attempts: Array<{ provider: string; reason: string }> = [];
  for (const provider of options.executionProviders) {
    try {
      const session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'all', ...options.sessionOptions, executionProviders: [provider] });
      if (!session.inputNames.includes(options.inputName) || !session.outputNames.includes(options.outputName)) {
        await session.release();
        throw new Error(`model has inputs [${session.inputNames.join(', ')}] and outputs [${session.outputNames.join(', ')}], expected "${options.inputName}" → "${options.outputName}"`);
      }
      return {
        executionProvider: provider,
        async run(input, height, width) {
          const feeds = { [options.inputName]: new ort.Tensor('float32', input, [1, 1, height, width]) };
          const result = await session.run(feeds);
          const output = result[options.outputName];
          if (!output) throw new Error(`model returned no "${options.outputName}"`);
          const data = (await output.getData()) as Float32Array;
          output.dispose();
          return data;
        },
        release: () => session.release(),
      };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      attempts.push({ provider, reason });
      options.onFallback?.(provider, reason);
    }
  }
  throw new NoExecutionProviderError(attempts);
}
