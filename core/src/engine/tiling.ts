import { TILE_SIZE_MULTIPLE } from '../contract/tilePolicy';

/**
 * Splits an image into tiles whose outputs, stitched, equal the whole-image
 * output. Every core tile starts at a multiple of the model's size multiple
 * (the card's io.sizeMultiple: 2 for a network that pools 2x2 once, so odd
 * origins would shift its grid) and is read with a halo of context at least
 * the network's receptive field (contract/tilePolicy.ts); at the image border
 * the tile simply stops, exactly as the whole image would.
 */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Tile {
  /** Output region this tile is responsible for. */
  readonly core: Rect;
  /** Region fed to the model: the core plus halo, clipped to the (padded) image. */
  readonly input: Rect;
}

const roundUp = (n: number, multiple: number): number => n + ((multiple - (n % multiple)) % multiple);

/** Image size after reflect-padding each dimension up to a multiple of `sizeMultiple` (even, by default). */
export function paddedSize(
  width: number,
  height: number,
  sizeMultiple = TILE_SIZE_MULTIPLE,
): { width: number; height: number } {
  return { width: roundUp(width, sizeMultiple), height: roundUp(height, sizeMultiple) };
}

const multipleName = (m: number): string => (m === 2 ? 'even' : `a multiple of ${m}`);

export function planTiles(
  width: number,
  height: number,
  tileSize: number,
  halo: number,
  sizeMultiple = TILE_SIZE_MULTIPLE,
): Tile[] {
  if (!Number.isInteger(sizeMultiple) || sizeMultiple < 1)
    throw new Error(`the size multiple must be a positive integer, got ${sizeMultiple}`);
  if (width % sizeMultiple !== 0 || height % sizeMultiple !== 0)
    throw new Error(
      `tiles are planned on ${sizeMultiple === 2 ? 'even' : `${sizeMultiple}-multiple`}-padded sizes, ` +
        `got ${width}x${height}`,
    );
  if (tileSize < sizeMultiple || tileSize % sizeMultiple !== 0)
    throw new Error(
      `tile size must be ${sizeMultiple === 2 ? 'an even number' : `a multiple of ${sizeMultiple}`} ` +
        `≥ ${sizeMultiple}, got ${tileSize}`,
    );
  if (halo % sizeMultiple !== 0) throw new Error(`halo must be ${multipleName(sizeMultiple)}, got ${halo}`);
  const tiles: Tile[] = [];
  for (let y = 0; y < height; y += tileSize) {
    for (let x = 0; x < width; x += tileSize) {
      const core = { x, y, width: Math.min(tileSize, width - x), height: Math.min(tileSize, height - y) };
      const x0 = Math.max(0, x - halo);
      const y0 = Math.max(0, y - halo);
      const x1 = Math.min(width, x + core.width + halo);
      const y1 = Math.min(height, y + core.height + halo);
      tiles.push({ core, input: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } });
    }
  }
  return tiles;
}

/** numpy-style 'reflect' (edge not repeated) for the few indices past the end that padding adds: n → n − 2. */
export function reflectIndex(i: number, n: number): number {
  if (i < n) return i;
  return Math.max(0, 2 * (n - 1) - i);
}
