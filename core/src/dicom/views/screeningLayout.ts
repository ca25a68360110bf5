import type { MammoView } from './classifyView';

export type ScreeningSlot = 'RCC' | 'LCC' | 'RMLO' | 'LMLO';

/** One viewport of the layout: which image (by the caller's key) and which edge its chest wall is pinned to. */
export interface ScreeningCell<K> {
  readonly slot: ScreeningSlot;
  readonly key: K | null;
  /** The viewport edge the chest wall meets: the right breast's is its right edge (the screen's midline). */
  readonly anchor: 'left' | 'right';
}

export interface ScreeningPlan<K> {
  readonly rows: number;
  readonly columns: number;
  /** Row-major, rows × columns. */
  readonly cells: ReadonlyArray<ScreeningCell<K>>;
  /** Images left out because another image already holds their slot (repeat exposures). */
  readonly unplaced: readonly K[];
}

export const slotOf = (view: MammoView): ScreeningSlot => `${view.laterality}${view.row}` as ScreeningSlot;
const anchorOf = (slot: ScreeningSlot): 'left' | 'right' => (slot.startsWith('R') ? 'right' : 'left');

/**
 * The radiologist's hanging: RCC | LCC over RMLO | LMLO, right breast on the
 * left of the screen, chest walls meeting at the midline. Two images get the
 * one row that fits them (a CC pair, an MLO pair, or one breast's CC | MLO),
 * one image a single viewport; three or four get the 2x2 with any gap left
 * empty. The first image for a slot wins (the caller orders them).
 */
export function planScreeningLayout<K>(images: ReadonlyArray<{ key: K; view: MammoView }>): ScreeningPlan<K> {
  const bySlot = new Map<ScreeningSlot, K>();
  const unplaced: K[] = [];
  for (const { key, view } of images) {
    const slot = slotOf(view);
    if (bySlot.has(slot)) unplaced.push(key);
    else bySlot.set(slot, key);
  }
  const cell = (slot: ScreeningSlot): ScreeningCell<K> => ({
    slot,
    key: bySlot.get(slot) ?? null,
    anchor: anchorOf(slot),
  });
  const filled = [...bySlot.keys()];
  if (filled.length === 1) return { rows: 1, columns: 1, cells: [cell(filled[0] as ScreeningSlot)], unplaced };
  if (filled.length === 2) {
    const [a, b] = filled as [ScreeningSlot, ScreeningSlot];
    const sameRow = a.slice(1) === b.slice(1);
    // A pair of one row: right breast first. One breast's two views: CC first.
    const first = sameRow ? (a.startsWith('R') ? a : b) : a.endsWith('CC') ? a : b;
    const order = [first, first === a ? b : a];
    return { rows: 1, columns: 2, cells: order.map(cell), unplaced };
  }
  return { rows: 2, columns: 2, cells: (['RCC', 'LCC', 'RMLO', 'LMLO'] as const).map(cell), unplaced };
}
