import { toModel, type IntensityMap } from './intensity';
import { reflectIndex, type Rect } from './tiling';
import type { StoredImage } from './types';

/**
 * Which pixels of a tile the model may change: those within `radius` pixels
 * (a square window, so it covers the receptive field's disc) of a tissue
 * pixel, tissue being what the intensity map calls tissue (at or above its
 * tissueThreshold in model space). Everywhere else is air or film: the model
 * sees only background there, and anything it outputs is its own artefact
 * (on Hologic images, blocks of shifted air inside tissue-bearing tiles), so
 * the stored value is kept bit for bit.
 *
 * Computed per tile over the tile's input region (core plus halo): with a
 * halo of at least `radius`, every core pixel's window lies inside it, so the
 * result equals dilating a whole-image mask, without a whole-image buffer.
 * Returns one byte per pixel of `rect`, row-major: 1 = may change.
 */
export function nearTissueMask(image: StoredImage, map: IntensityMap, rect: Rect, radius: number): Uint8Array {
  const { x, y, width, height } = rect;
  const tissue = new Uint8Array(width * height);
  for (let row = 0; row < height; row += 1) {
    const sy = reflectIndex(y + row, image.height);
    for (let col = 0; col < width; col += 1) {
      const v = image.pixels[sy * image.width + reflectIndex(x + col, image.width)] as number;
      if (toModel(map, v) >= map.tissueThreshold) tissue[row * width + col] = 1;
    }
  }
  // A square dilation is separable: rows, then columns.
  return dilateColumns(dilateRows(tissue, width, height, radius), width, height, radius);
}

/** Each pixel becomes 1 when any pixel within `radius` along its row is 1 (distance to the last 1 seen each way). */
function dilateRows(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let row = 0; row < height; row += 1) {
    const base = row * width;
    let last = -Infinity;
    for (let col = 0; col < width; col += 1) {
      if (mask[base + col]) last = col;
      if (col - last <= radius) out[base + col] = 1;
    }
    last = Infinity;
    for (let col = width - 1; col >= 0; col -= 1) {
      if (mask[base + col]) last = col;
      if (last - col <= radius) out[base + col] = 1;
    }
  }
  return out;
}

function dilateColumns(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let col = 0; col < width; col += 1) {
    let last = -Infinity;
    for (let row = 0; row < height; row += 1) {
      if (mask[row * width + col]) last = row;
      if (row - last <= radius) out[row * width + col] = 1;
    }
    last = Infinity;
    for (let row = height - 1; row >= 0; row -= 1) {
      if (mask[row * width + col]) last = row;
      if (last - row <= radius) out[row * width + col] = 1;
    }
  }
  return out;
}
