import * as ort from 'onnxruntime-node';
import {
  denoiseImage,
  type ModelCard,
  createOrtRunner,
  type ModelRunner,
  DEFAULT_TILE_SIZE,
  tilingFor,
} from '@mammo-denoise/core';
import type { FfdmMethod } from './ffdmEvaluate';
import { orientedValues } from './ffdmEvaluate';

/**
 * A model as the product runs it: the engine's tiled denoiseImage on
 * onnxruntime-node (CPU), with the whole image's intensity map and noise
 * level function handed in (so a region comes out as the whole image would).
 */
export async function modelMethod(
  id: string,
  label: string,
  onnx: Uint8Array,
  io: ModelCard['io'],
  threads = 2,
): Promise<FfdmMethod & { release(): Promise<void> }> {
  const runner: ModelRunner = await createOrtRunner(ort, onnx, {
    inputName: io.inputName,
    outputName: io.outputName,
    noiseMapInputName: io.noiseMapInputName,
    executionProviders: ['cpu'],
    sessionOptions: { intraOpNumThreads: threads, interOpNumThreads: 1 },
  });
  const tiling = tilingFor(io, DEFAULT_TILE_SIZE);
  return {
    id,
    label,
    async denoise(region, context) {
      const result = await denoiseImage(region, runner, {
        ...tiling,
        intensityMap: context.map,
        noiseLevel: context.nlf,
      });
      return orientedValues({ ...region, pixels: result.pixels }, context.map);
    },
    release: () => runner.release(),
  };
}
