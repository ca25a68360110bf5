import * as ort from 'onnxruntime-node';
import { denoiseImage } from '../extension/src/engine/denoiseImage';
import { createOrtRunner } from '../extension/src/engine/runner';
import { haloFor } from '../extension/src/engine/tiling';
import type { StoredImage } from '../extension/src/engine/types';

export interface NodeTiming {
  readonly threads: number;
  readonly milliseconds: number;
  readonly tiles: number;
  readonly skipped: number;
}

/** onnxruntime-node (CPU) with a fixed thread count: the batch tool's engine, and the reference for browser figures. */
export async function timeNodeEngine(model: Uint8Array, image: StoredImage, threads: number, tileSize: number, receptiveFieldRadius: number): Promise<NodeTiming> {
  const runner = await createOrtRunner(ort, model, {
    inputName: 'input', outputName: 'output', executionProviders: ['cpu'], sessionOptions: { intraOpNumThreads: threads, interOpNumThreads: 1 },
  });
  const result = await denoiseImage(image, runner, { tileSize, halo: haloFor(receptiveFieldRadius) });
  await runner.release();
  return { threads, milliseconds: result.stats.milliseconds, tiles: result.stats.tilesTotal, skipped: result.stats.tilesSkipped };
}
