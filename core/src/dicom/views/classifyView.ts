import {
  chestWallFromOrientation,
  type Evidence,
  type Laterality,
  lateralityFromHeader,
  lateralityFromOrientation,
  type MammoViewName,
  rowFromOrientation,
  rowOf,
  verticalFlipFromOrientation,
  type ViewHeader,
  viewFromHeader,
  type ViewRow,
} from './headerView';
import { guessViewFromPixels, type ViewPixels } from './pixelView';

/** One image's place in a screening layout, and how it must be shown there. */
export interface MammoView {
  readonly laterality: Laterality;
  readonly lateralityFrom: Evidence;
  /** The exact view when the header names it (ML, XCCL…); null when only the row is known. */
  readonly view: MammoViewName | null;
  readonly row: ViewRow;
  readonly rowFrom: Evidence;
  /** The stored image's edge holding the chest wall. */
  readonly chestWall: 'left' | 'right';
  readonly chestWallFrom: Evidence;
  /**
   * Mirror on screen so the chest wall meets the midline: the right breast is
   * shown on the left of the screen with its chest wall on its right, the left
   * breast the other way. A viewport flip; the pixels are never changed.
   */
  readonly flipHorizontal: boolean;
  readonly flipVertical: boolean;
  /** True when laterality or the view was not stated by the header (the viewer marks it). */
  readonly guessed: boolean;
}

/** What the header alone settles; a null field needs the pixels. */
export interface HeaderClassification {
  readonly laterality: { value: Laterality; from: Evidence } | null;
  readonly view: MammoViewName | null;
  readonly row: { value: ViewRow; from: Evidence } | null;
  readonly chestWall: 'left' | 'right' | null;
}

export function classifyHeader(header: ViewHeader): HeaderClassification {
  const stated = lateralityFromHeader(header);
  const oriented = lateralityFromOrientation(header.PatientOrientation);
  const view = viewFromHeader(header);
  const orientedRow = rowFromOrientation(header.PatientOrientation);
  return {
    laterality: stated ? { value: stated, from: 'header' } : oriented ? { value: oriented, from: 'orientation' } : null,
    view,
    row: view
      ? { value: rowOf(view), from: 'header' }
      : orientedRow
        ? { value: orientedRow, from: 'orientation' }
        : null,
    chestWall: chestWallFromOrientation(header.PatientOrientation),
  };
}

/** Whether the header leaves something to the pixels (laterality, row or the chest wall's side). */
export const needsPixels = (c: HeaderClassification): boolean => !c.laterality || !c.row || !c.chestWall;

/**
 * The header first (ImageLaterality/Laterality, ViewPosition, View Code
 * Sequence), then PatientOrientation, then the pixels. Never fails: without
 * pixels an unknown laterality or row falls back to R and CC, marked guessed.
 */
export function classifyView(header: ViewHeader, pixels?: ViewPixels | null): MammoView {
  const fromHeader = classifyHeader(header);
  const guess = pixels && needsPixels(fromHeader) ? guessViewFromPixels(pixels) : null;
  const laterality =
    fromHeader.laterality ??
    (guess ? { value: guess.laterality, from: 'pixels' as const } : { value: 'R' as const, from: 'pixels' as const });
  const row =
    fromHeader.row ??
    (guess ? { value: guess.row, from: 'pixels' as const } : { value: 'CC' as const, from: 'pixels' as const });
  // Without PatientOrientation the image is assumed stored the usual way unless the pixels show otherwise.
  const usual = laterality.value === 'R' ? 'right' : 'left';
  const chestWall = fromHeader.chestWall ?? guess?.chestWall ?? usual;
  const chestWallFrom: Evidence = fromHeader.chestWall ? 'orientation' : 'pixels';
  return {
    laterality: laterality.value,
    lateralityFrom: laterality.from,
    view: fromHeader.view,
    row: row.value,
    rowFrom: row.from,
    chestWall,
    chestWallFrom,
    flipHorizontal: chestWall !== usual,
    flipVertical: verticalFlipFromOrientation(header.PatientOrientation, laterality.value, row.value),
    guessed: laterality.from !== 'header' || row.from !== 'header',
  };
}

/** "RCC", "LMLO", "RXCCL"…: the view's usual short name. */
export function viewLabel(view: MammoView): string {
  return `${view.laterality}${view.view ?? view.row}`;
}
