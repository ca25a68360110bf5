import * as ort from 'onnxruntime-node';
import { denoiseImage, type IoContract, createOrtRunner, tilingFor, type StoredImage } from '@mammo-denoise/core';

export interface NodeTiming {
  readonly threads: number;
  readonly milliseconds: number;
  readonly tiles: number;
  readonly skipped: number;
}

/**
 * onnxruntime-node (CPU) with a fixed thread count: the batch tool's engine, and the reference for browser figures.
 * The card's io says the graph's names; a noise-conditioned model's time includes its noise level estimate and maps.
 */
export async function timeNodeEngine(
  model: Uint8Array,
  image: StoredImage,
  threads: number,
  tileSize: number,
  io: Pick<IoContract, 'inputName' | 'outputName' | 'noiseMapInputName' | 'receptiveFieldRadius' | 'sizeMultiple'>,
): Promise<NodeTiming> {
  const runner = await createOrtRunner(ort, model, {
    inputName: io.inputName,
    outputName: io.outputName,
    noiseMapInputName: io.noiseMapInputName,
    executionProviders: ['cpu'],
    sessionOptions: { intraOpNumThreads: threads, interOpNumThreads: 1 },
  });
  const result = await denoiseImage(image, runner, tilingFor(io, tileSize));
  await runner.release();
  return {
    threads,
    milliseconds: result.stats.milliseconds,
    tiles: result.stats.tilesTotal,
    skipped: result.stats.tilesSkipped,
  };
}
