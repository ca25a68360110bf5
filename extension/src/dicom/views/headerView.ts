/**
 * Which breast and which view a mammogram shows, read from its header. No
 * OHIF, React or Cornerstone here: the same rules serve the viewer's
 * screening layout (instance metadata) and Node (naturalized dcmjs datasets).
 */

export type Laterality = 'R' | 'L';

/** The views of DICOM CID 4014 (View for Mammography) a screening layout tells apart. */
export type MammoViewName = 'CC' | 'XCCL' | 'XCCM' | 'FB' | 'MLO' | 'ML' | 'LM' | 'LMO' | 'SIO' | 'ISO';

/** The row of the screening layout a view belongs to: craniocaudal-like or oblique/lateral. */
export type ViewRow = 'CC' | 'MLO';

/** Where a value came from: the header says so, or it was guessed (PatientOrientation or pixels). */
export type Evidence = 'header' | 'orientation' | 'pixels';

/** The header fields read, as naturalized DICOM (dcmjs) or OHIF instance metadata name them. */
export interface ViewHeader {
  /** Any other attribute of the dataset or instance is ignored (a whole naturalized dataset may be passed). */
  [attribute: string]: unknown;
  ImageLaterality?: unknown;
  Laterality?: unknown;
  ViewPosition?: unknown;
  ViewCodeSequence?: unknown;
  PatientOrientation?: unknown;
}

const ROW_OF: Record<MammoViewName, ViewRow> = { CC: 'CC', XCCL: 'CC', XCCM: 'CC', FB: 'CC', MLO: 'MLO', ML: 'MLO', LM: 'MLO', LMO: 'MLO', SIO: 'MLO', ISO: 'MLO' };

export const rowOf = (view: MammoViewName): ViewRow => ROW_OF[view];

/**
 * CID 4014 codes: SNOMED CT (SCT) values and the legacy SNOMED RT (SRT/SNM3)
 * ones older scanners still write (a GE Senographe writes R-10226 for MLO).
 */
const VIEW_CODES: Record<string, MammoViewName> = {
  '399162004': 'CC', 'R-10242': 'CC',
  '399192008': 'XCCL', 'R-1024A': 'XCCL',
  '399101009': 'XCCM', 'R-1024B': 'XCCM',
  '399196006': 'FB', 'R-10244': 'FB',
  '399368009': 'MLO', 'R-10226': 'MLO',
  '399260004': 'ML', 'R-10224': 'ML',
  '399352003': 'LM', 'R-10228': 'LM',
  '399099002': 'LMO', 'R-10230': 'LMO',
  '399188001': 'SIO', 'R-102D0': 'SIO',
  '441555000': 'ISO', 'R-40AAA': 'ISO',
};

/** ViewPosition (0018,5101) as scanners write it for mammograms. */
const VIEW_POSITIONS: Record<string, MammoViewName> = {
  CC: 'CC', XCCL: 'XCCL', XCC: 'XCCL', XCCM: 'XCCM', FB: 'FB', MLO: 'MLO', ML: 'ML', LM: 'LM', LMO: 'LMO', SIO: 'SIO', ISO: 'ISO',
};

/** The first value of a string or multi-valued (array) attribute, trimmed, upper case; null if empty. */
export function firstText(value: unknown): string | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (typeof v !== 'string') return null;
  const t = v.trim().toUpperCase();
  return t === '' ? null : t;
}

export function lateralityFromHeader(header: ViewHeader): Laterality | null {
  for (const value of [header.ImageLaterality, header.Laterality]) {
    const t = firstText(value);
    if (t === 'R' || t === 'L') return t;
  }
  return null;
}

/** The view named by ViewPosition, else by the View Code Sequence; null if neither names a known view. */
export function viewFromHeader(header: ViewHeader): MammoViewName | null {
  const position = firstText(header.ViewPosition);
  if (position && VIEW_POSITIONS[position]) return VIEW_POSITIONS[position];
  const items = Array.isArray(header.ViewCodeSequence) ? header.ViewCodeSequence : header.ViewCodeSequence ? [header.ViewCodeSequence] : [];
  for (const item of items) {
    const code = firstText((item as { CodeValue?: unknown } | null)?.CodeValue);
    if (code && VIEW_CODES[code]) return VIEW_CODES[code];
  }
  return null;
}

/**
 * PatientOrientation (0020,0020): the patient directions of the image's rows
 * (left to right) and columns (top to bottom), e.g. RCC "P\L", LMLO "A\FR".
 * Accepts the array form (dcmjs, DICOM JSON) and the backslash string form.
 */
export function parsePatientOrientation(value: unknown): { row: string; column: string } | null {
  const parts = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split('\\') : [];
  const [row, column] = parts.map((p) => p.trim().toUpperCase());
  return row && column ? { row, column } : null;
}

/** Where the chest wall (posterior) lies in the stored image, by PatientOrientation; null if it does not say. */
export function chestWallFromOrientation(value: unknown): 'left' | 'right' | null {
  const orientation = parsePatientOrientation(value);
  if (!orientation) return null;
  // Rows run towards posterior: the chest wall is at the right edge; towards anterior: at the left.
  if (orientation.row.includes('P')) return 'right';
  if (orientation.row.includes('A')) return 'left';
  return null;
}

/**
 * Laterality from PatientOrientation: mammograms are stored with the chest
 * wall on the breast's own side (a right breast faces left, "P\…"), so the
 * side of the chest wall says which breast it is (a guess: the header does
 * not say it outright, and an image stored mirrored would fool it).
 */
export function lateralityFromOrientation(value: unknown): Laterality | null {
  const side = chestWallFromOrientation(value);
  return side === 'right' ? 'R' : side === 'left' ? 'L' : null;
}

/**
 * CC or MLO from PatientOrientation's column direction: an oblique or
 * lateral view runs towards the feet ("F…"), a craniocaudal one from lateral
 * to medial (towards the patient's L or R only).
 */
export function rowFromOrientation(value: unknown): ViewRow | null {
  const orientation = parsePatientOrientation(value);
  if (!orientation) return null;
  if (/[FH]/.test(orientation.column)) return 'MLO';
  if (/^[LR]$/.test(orientation.column)) return 'CC';
  return null;
}

/** Whether the stored image must be shown upside down for its view's convention (lateral or axilla at the top). */
export function verticalFlipFromOrientation(value: unknown, laterality: Laterality, row: ViewRow): boolean {
  const orientation = parsePatientOrientation(value);
  if (!orientation) return false;
  // MLO/ML: the column should run towards the feet; one running to the head is stored upside down.
  if (row === 'MLO') return orientation.column.includes('H') && !orientation.column.includes('F');
  // CC: the column should run from lateral to medial, towards the other breast.
  const medial = laterality === 'R' ? 'L' : 'R';
  return orientation.column === laterality && orientation.column !== medial;
}
