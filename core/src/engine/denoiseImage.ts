import { nearTissueMask } from './backgroundMask';
import { computeIntensityMap, sameTypeArray, toModel, toStored, type IntensityMap } from './intensity';
import type { ModelRunner } from './runner';
import { paddedSize, planTiles, reflectIndex, type Tile } from './tiling';
import type { NoiseLevelFunction } from './noiseLevel';
import { tileNoiseMaps } from './tileNoiseMap';
import type { DenoiseProgress, DenoiseRequestOptions, DenoiseResult, StoredImage } from './types';

/** A request (DenoiseRequestOptions) plus what a Node caller may hand in precomputed. */
export interface DenoiseOptions extends DenoiseRequestOptions {
  /** Precomputed map (e.g. to share one between original and tests); computed from the image otherwise. */
  readonly intensityMap?: IntensityMap;
  /**
   * Precomputed noise level function (stored units), e.g. a whole image's
   * when denoising a region of it; estimated from the image otherwise.
   */
  readonly noiseLevel?: NoiseLevelFunction;
}

export class DenoiseCancelledError extends Error {
  constructor() {
    super('denoising was cancelled');
    this.name = 'DenoiseCancelledError';
  }
}

/** Model-space input of one tile, read from stored pixels (reflecting past odd edges). */
function tileInput(image: StoredImage, map: IntensityMap, tile: Tile): { values: Float32Array; hasTissue: boolean } {
  const { x, y, width, height } = tile.input;
  const values = new Float32Array(width * height);
  let hasTissue = false;
  for (let row = 0; row < height; row += 1) {
    const sy = reflectIndex(y + row, image.height);
    for (let col = 0; col < width; col += 1) {
      const v = toModel(map, image.pixels[sy * image.width + reflectIndex(x + col, image.width)] as number);
      values[row * width + col] = v;
      if (v >= map.tissueThreshold) hasTissue = true;
    }
  }
  return { values, hasTissue };
}

/** Receives each tile's model output (null for a skipped tile) once, in order. */
export type TileSink = (tile: Tile, output: Float32Array | null) => void;

/**
 * Runs the model over the image tile by tile. Tiles whose core and halo hold no
 * tissue (every pixel below the map's tissue threshold) are not run. Memory is
 * one tile's buffers; what to keep is up to `sink`.
 */
export async function runTiles(
  image: StoredImage,
  map: IntensityMap,
  runner: ModelRunner,
  options: DenoiseOptions,
  sink: TileSink,
): Promise<DenoiseProgress> {
  const padded = paddedSize(image.width, image.height, options.sizeMultiple);
  const tiles = planTiles(padded.width, padded.height, options.tileSize, options.halo, options.sizeMultiple);
  let done = 0;
  let skipped = 0;
  const progress = (): DenoiseProgress => ({ tilesDone: done, tilesTotal: tiles.length, tilesSkipped: skipped });
  options.onProgress?.(progress());
  // Only a noise-conditioned model gets a map; its NLF is estimated once, on the whole image.
  const noise = runner.takesNoiseMap ? tileNoiseMaps(image, map, options.strength, options.noiseLevel) : null;
  for (const tile of tiles) {
    if (options.signal?.aborted) throw new DenoiseCancelledError();
    const { values, hasTissue } = tileInput(image, map, tile);
    const output = hasTissue
      ? await runner.run(values, tile.input.height, tile.input.width, noise?.mapFor(tile))
      : null;
    if (options.signal?.aborted) throw new DenoiseCancelledError();
    sink(tile, output);
    done += 1;
    if (!output) skipped += 1;
    options.onProgress?.(progress());
    await nextTask();
  }
  return progress();
}

/**
 * Resolves on a new task, giving the event loop a turn. onnxruntime-web's
 * single-threaded WASM run settles as a microtask, so without this a worker
 * would read its next message (a cancel, or a newer image) only after the
 * last tile: switching images would wait for the whole old run.
 */
const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Calls `each(dst, src)` for every core pixel inside the original (unpadded) image. */
export function forEachCorePixel(image: StoredImage, tile: Tile, each: (dst: number, src: number) => void): void {
  const { core, input } = tile;
  const rows = Math.min(core.height, image.height - core.y);
  const cols = Math.min(core.width, image.width - core.x);
  for (let row = 0; row < rows; row += 1) {
    const dst = (core.y + row) * image.width + core.x;
    const src = (core.y - input.y + row) * input.width + (core.x - input.x);
    for (let col = 0; col < cols; col += 1) each(dst + col, src + col);
  }
}

/**
 * Denoises one stored image and returns stored pixels of the same type and
 * range. Skipped (tissue-free) tiles are exact copies of the input. The input
 * is never modified.
 */
export async function denoiseImage(
  image: StoredImage,
  runner: ModelRunner,
  options: DenoiseOptions,
): Promise<DenoiseResult> {
  const started = performance.now();
  const map = options.intensityMap ?? computeIntensityMap(image);
  const out = sameTypeArray(image.pixels);
  const progress = await runTiles(image, map, runner, options, (tile, output) => {
    // Only pixels near tissue take the model's output; air keeps its stored value bit for bit (backgroundMask.ts).
    const near = output ? nearTissueMask(image, map, tile.input, options.halo) : null;
    if (output && near)
      forEachCorePixel(image, tile, (dst, src) => {
        out[dst] = near[src] ? toStored(map, output[src] as number) : (image.pixels[dst] as number);
      });
    else
      forEachCorePixel(image, tile, (dst) => {
        out[dst] = image.pixels[dst] as number;
      });
  });
  return {
    pixels: out,
    stats: {
      ...progress,
      milliseconds: performance.now() - started,
      executionProvider: runner.executionProvider,
      tileSize: options.tileSize,
      halo: options.halo,
    },
  };
}
