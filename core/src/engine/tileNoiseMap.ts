import { toModel, type IntensityMap } from './intensity';
import { estimateNoiseLevel, noiseLevelInModelSpace, noiseMap, type NoiseLevelFunction } from './noiseLevel';
import { DEFAULT_STRENGTH, strengthProblem } from './strength';
import { reflectIndex, type Tile } from './tiling';
import type { StoredImage } from './types';

/**
 * numpy 'reflect' on both sides: −1 → 1, n → n − 2
 * (tileInput's rule past the end, mirrored before the start).
 */
const reflectBoth = (i: number, n: number): number => reflectIndex(i < 0 ? -i : i, n);

/**
 * The noise map of a noise-conditioned model, tile by tile. The noise level
 * function is estimated once, on the whole stored image; each tile's map is
 * computed from its model-space values with a one-pixel margin read from the
 * image itself, so every pixel's map value depends only on where it is, and
 * the stitched tiles equal the whole image's map exactly.
 */
export interface TileNoiseMaps {
  /** The NLF handed to the model (model space, before strength). */
  readonly nlfModel: NoiseLevelFunction;
  readonly strength: number;
  /** strength x NLF(3x3 mean) over the tile's input region (core and halo), row-major. */
  mapFor(tile: Tile): Float32Array;
}

export function tileNoiseMaps(
  image: StoredImage,
  map: IntensityMap,
  strength = DEFAULT_STRENGTH,
  noiseLevel?: NoiseLevelFunction,
): TileNoiseMaps {
  const problem = strengthProblem(strength);
  if (problem) throw new RangeError(problem);
  const nlfModel = noiseLevelInModelSpace(noiseLevel ?? estimateNoiseLevel(image, map), map);
  return {
    nlfModel,
    strength,
    mapFor(tile) {
      const { x, y, width, height } = tile.input;
      const stride = width + 2;
      const values = new Float32Array(stride * (height + 2));
      for (let row = -1; row <= height; row += 1) {
        const source = reflectBoth(y + row, image.height) * image.width;
        const target = (row + 1) * stride + 1;
        for (let col = -1; col <= width; col += 1)
          values[target + col] = toModel(map, image.pixels[source + reflectBoth(x + col, image.width)] as number);
      }
      return noiseMap(values, width, height, nlfModel, strength);
    },
  };
}
