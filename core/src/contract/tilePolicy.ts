import type { IoContract } from './modelCard';

/**
 * How an image is cut into tiles, for every caller (viewer config, batch tool,
 * bench, training's evaluation): the tile-size default and range, and the
 * halo a model needs, derived from its card.
 */

/** Core tile edge in pixels when none is configured. */
export const DEFAULT_TILE_SIZE = 512;
export const MIN_TILE_SIZE = 64;
export const MAX_TILE_SIZE = 2048;
/** Tile edges are even: the shipped models pool 2x2 once (their cards' io.sizeMultiple). */
export const TILE_SIZE_MULTIPLE = 2;

/** How the rule reads in messages: "an even integer from 64 to 2048". */
export const TILE_SIZE_RULE = `an even integer from ${MIN_TILE_SIZE} to ${MAX_TILE_SIZE}`;

export function isValidTileSize(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value % TILE_SIZE_MULTIPLE === 0 &&
    value >= MIN_TILE_SIZE &&
    value <= MAX_TILE_SIZE
  );
}

/** The least halo read around a tile, whatever the model's receptive field. */
export const MIN_HALO = 24;

const roundUpTo = (n: number, multiple: number): number => Math.ceil(n / multiple) * multiple;

/**
 * Halo for a model: at least MIN_HALO and its receptive field radius, rounded
 * up to its size multiple (so tile origins stay on the network's pooling grid).
 */
export function haloFor(receptiveFieldRadius: number, sizeMultiple = TILE_SIZE_MULTIPLE): number {
  return roundUpTo(Math.max(MIN_HALO, receptiveFieldRadius), sizeMultiple);
}

/**
 * How to tile an image: the one options type of denoiseImage, the client and
 * the worker message (plain data, so it crosses postMessage as is).
 */
export interface TilingOptions {
  /** Core tile edge in pixels, a multiple of sizeMultiple. */
  readonly tileSize: number;
  /** Context read around each tile, per side (a multiple of sizeMultiple, at least the model's receptive field). */
  readonly halo: number;
  /**
   * Tile origins, tile and halo sizes and the padded image are
   * multiples of this (the card's io.sizeMultiple; default 2).
   */
  readonly sizeMultiple?: number;
}

/** The tiling a model's card asks for at a given tile size: its halo and size multiple, computed here once. */
export function tilingFor(
  io: Pick<IoContract, 'receptiveFieldRadius' | 'sizeMultiple'>,
  tileSize: number,
): Required<TilingOptions> {
  return { tileSize, halo: haloFor(io.receptiveFieldRadius, io.sizeMultiple), sizeMultiple: io.sizeMultiple };
}
