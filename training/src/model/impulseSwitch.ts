/**
 * The impulse switch in front of the `residual-impulse` network: a pixel at
 * exactly 0 or 1 (8-bit black or white, the two values salt-and-pepper noise
 * writes) is replaced by the median of its 3x3 neighbourhood (reflect borders);
 * every other pixel passes unchanged. A decision-based ("switching") median:
 * unlike a plain median it leaves all non-extreme pixels, hence fine detail,
 * untouched, so the network after it only has to correct what is left. The
 * same definition builds the TF.js forward pass and the ONNX graph.
 */

/** Pixels per side that the switch reads beyond the one it writes. */
export const IMPULSE_SWITCH_RADIUS = 1;

/** The two model-space values treated as impulses. */
export const IMPULSE_VALUES = [0, 1] as const;

/**
 * Paeth's 19 compare-exchange steps whose element 4 ends up the median of 9
 * (as published in Devillard's "Fast median search"). Each [i, j] puts the
 * smaller value in i and the larger in j. Checked exhaustively on all 0/1
 * inputs in the tests (the 0-1 principle makes that a proof).
 */
export const MEDIAN_OF_9_NETWORK: ReadonlyArray<readonly [number, number]> = [
  [1, 2],
  [4, 5],
  [7, 8],
  [0, 1],
  [3, 4],
  [6, 7],
  [1, 2],
  [4, 5],
  [7, 8],
  [0, 3],
  [5, 8],
  [4, 7],
  [3, 6],
  [1, 4],
  [2, 5],
  [4, 7],
  [4, 2],
  [6, 4],
  [4, 2],
];

export interface MinMax<T> {
  min(a: T, b: T): T;
  max(a: T, b: T): T;
}

/**
 * The median of nine values (numbers, tensors or graph-node names) using only
 * min and max. Steps are evaluated lazily from the result back, so only the
 * min/max operations the median depends on are ever built.
 */
export function medianOf9<T>(values: readonly T[], ops: MinMax<T>): T {
  if (values.length !== 9) throw new Error(`medianOf9 needs 9 values, got ${values.length}`);
  const memo = (f: () => T): (() => T) => {
    let cached: { value: T } | null = null;
    return () => (cached ??= { value: f() }).value;
  };
  const slots: Array<() => T> = values.map((v) => () => v);
  for (const [i, j] of MEDIAN_OF_9_NETWORK) {
    const a = slots[i] as () => T;
    const b = slots[j] as () => T;
    slots[i] = memo(() => ops.min(a(), b()));
    slots[j] = memo(() => ops.max(a(), b()));
  }
  return (slots[4] as () => T)();
}

/** Row/column offsets of the 3x3 window, row-major, as read from an image padded by one pixel. */
export const WINDOW_OFFSETS: ReadonlyArray<readonly [number, number]> = [0, 1, 2].flatMap((dy) =>
  [0, 1, 2].map((dx) => [dy, dx] as const),
);
