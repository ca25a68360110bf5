/**
 * Splits an image into tiles whose outputs, stitched, equal the whole-image
 * output. Every core tile starts at an even pixel (the network pools 2x2 once,
 * so odd origins would shift its grid) and is read with a halo of context at
 * least the network's receptive field; at the image border the tile simply
 * stops, exactly as the whole image would.
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
  /** Region fed to the model: the core plus halo, clipped to the (even-padded) image. */
  readonly input: Rect;
}

export const MIN_HALO = 24;

const evenUp = (n: number): number => n + (n % 2);

/** Image size after reflect-padding odd dimensions to even. */
export function paddedSize(width: number, height: number): { width: number; height: number } {
  return { width: evenUp(width), height: evenUp(height) };
}

/** Halo for a model: at least MIN_HALO and the receptive field radius, rounded up to even. */
export function haloFor(receptiveFieldRadius: number, requested = MIN_HALO): number {
  return evenUp(Math.max(MIN_HALO, receptiveFieldRadius, requested));
}

export function planTiles(width: number, height: number, tileSize: number, halo: number): Tile[] {
  if (width % 2 !== 0 || height % 2 !== 0) throw new Error(`tiles are planned on even-padded sizes, got ${width}x${height}`);
  if (tileSize < 2 || tileSize % 2 !== 0) throw new Error(`tile size must be an even number ≥ 2, got ${tileSize}`);
  if (halo % 2 !== 0) throw new Error(`halo must be even, got ${halo}`);
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

/** numpy-style 'reflect' (edge not repeated) for one index past the end: n → n − 2. */
export function reflectIndex(i: number, n: number): number {
  if (i < n) return i;
  return Math.max(0, 2 * (n - 1) - i);
}
