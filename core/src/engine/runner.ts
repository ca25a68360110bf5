import type * as Ort from 'onnxruntime-common';

/**
 * Runs the model on one float32 image [1, 1, H, W]. Abstracts the ONNX Runtime
 * flavour: onnxruntime-web in the browser worker, onnxruntime-node in Node;
 * both implement onnxruntime-common's API, passed in as `ort`.
 */
export interface ModelRunner {
  readonly executionProvider: string;
  /** The graph takes a noise map next to the image (the card names io.noiseMapInputName); absent: it does not. */
  readonly takesNoiseMap?: boolean;
  /** `noiseMap`: the model-space noise map of the same [1, 1, H, W], required exactly when takesNoiseMap. */
  run(input: Float32Array, height: number, width: number, noiseMap?: Float32Array): Promise<Float32Array>;
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
  /** The card's io.noiseMapInputName: the graph's second input, for noise-conditioned models. */
  readonly noiseMapInputName?: string;
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

/**
 * The card and the graph disagree on the model's inputs or output: a configuration fault, whatever provider runs it.
 */
export class ModelContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelContractError';
  }
}

/** Why a graph with these inputs and outputs cannot be run as the card says, or null. */
export function contractMismatch(
  graph: { inputNames: readonly string[]; outputNames: readonly string[] },
  card: Pick<RunnerOptions, 'inputName' | 'outputName' | 'noiseMapInputName'>,
): string | null {
  const expected = [card.inputName, ...(card.noiseMapInputName ? [card.noiseMapInputName] : [])];
  const list = (names: readonly string[]): string => `[${names.map((n) => `"${n}"`).join(', ')}]`;
  const has = `the model's graph has inputs ${list(graph.inputNames)} and outputs ${list(graph.outputNames)}`;
  const missing = expected.filter((name) => !graph.inputNames.includes(name));
  if (missing.length > 0)
    return (
      `${has}, but its card names the input${missing.length > 1 ? 's' : ''} ${list(missing)} ` +
      `(io.inputName${card.noiseMapInputName ? ', io.noiseMapInputName' : ''})`
    );
  const extra = graph.inputNames.filter((name) => !expected.includes(name));
  if (extra.length > 0) {
    const hint = card.noiseMapInputName
      ? ''
      : "; a noise-conditioned model's card must name its noise map in io.noiseMapInputName";
    return `${has}, but its card names only ${list(expected)}: nothing would feed ${list(extra)}${hint}`;
  }
  if (!graph.outputNames.includes(card.outputName))
    return `${has}, but its card names the output "${card.outputName}" (io.outputName)`;
  return null;
}

export async function createOrtRunner(ort: OrtModule, model: Uint8Array, options: RunnerOptions): Promise<ModelRunner> {
  const attempts: Array<{ provider: string; reason: string }> = [];
  for (const provider of options.executionProviders) {
    try {
      const session = await ort.InferenceSession.create(model, {
        graphOptimizationLevel: 'all',
        ...options.sessionOptions,
        executionProviders: [provider],
      });
      const mismatch = contractMismatch(session, options);
      if (mismatch) {
        await session.release();
        throw new ModelContractError(mismatch);
      }
      const noiseMapInputName = options.noiseMapInputName;
      return {
        executionProvider: provider,
        takesNoiseMap: noiseMapInputName !== undefined,
        async run(input, height, width, noiseMap) {
          const shape = [1, 1, height, width];
          const feeds: Record<string, Ort.Tensor> = { [options.inputName]: new ort.Tensor('float32', input, shape) };
          if (noiseMapInputName) {
            if (!noiseMap || noiseMap.length !== input.length)
              throw new ModelContractError(
                `the model takes a noise map "${noiseMapInputName}" of ${width}x${height}, ` +
                  `got ${noiseMap ? noiseMap.length : 'none'}`,
              );
            feeds[noiseMapInputName] = new ort.Tensor('float32', noiseMap, shape);
          }
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
      // The same graph and card disagree on every provider: say so once, not as a provider failure.
      if (error instanceof ModelContractError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      attempts.push({ provider, reason });
      options.onFallback?.(provider, reason);
    }
  }
  throw new NoExecutionProviderError(attempts);
}
