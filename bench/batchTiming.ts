import { DEFAULT_TILE_SIZE } from '@mammo-denoise/core';
import { openBatchModels } from '../cli/src/batchModel';
import { runBatch, type BatchSummary } from '../cli/src/batch';
import { localSources } from '../cli/src/inputs';

/**
 * The batch tool end to end on files (read, denoise, derive, write), as
 * `ohif-denoise <files> --threads n` runs it, without its console output.
 */
export async function timeBatch(
  modelsDir: string,
  files: readonly string[],
  outDir: string,
  threads: number,
): Promise<BatchSummary> {
  const models = await openBatchModels(modelsDir, { threads });
  try {
    const silent = { start: () => {}, file: () => {}, finish: () => {} };
    return await runBatch(
      localSources(files, outDir),
      models,
      { outDir, overwrite: true, tileSize: DEFAULT_TILE_SIZE, sopClass: 'same' },
      silent,
    );
  } finally {
    await models.release();
  }
}
