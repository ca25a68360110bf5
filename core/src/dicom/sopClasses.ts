/**
 * The SOP classes the product treats by name: one place for their UIDs
 * (PS3.4 Annex B), and the one rule that reads a mammography SOP class as
 * Modality MG when a file leaves Modality out.
 */
export const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';
export const MG_FOR_PRESENTATION = '1.2.840.10008.5.1.4.1.1.1.2';
export const DX_FOR_PRESENTATION = '1.2.840.10008.5.1.4.1.1.1.1';

/**
 * SOP classes of mammography images (Digital Mammography For Presentation and
 * For Processing, breast tomosynthesis and breast projection).
 */
export const MAMMOGRAPHY_SOP_CLASSES: ReadonlySet<string> = new Set([
  MG_FOR_PRESENTATION,
  '1.2.840.10008.5.1.4.1.1.1.2.1',
  '1.2.840.10008.5.1.4.1.1.13.1.3',
  '1.2.840.10008.5.1.4.1.1.13.1.4',
  '1.2.840.10008.5.1.4.1.1.13.1.5',
]);

/**
 * An image's modality: its own Modality, or MG where Modality is missing and
 * the SOP class is a mammography one (whose IODs require Modality MG; some
 * public Hologic screening data leaves it out). Undefined when neither says.
 */
export function modalityOf(modality: string | undefined, sopClassUid: string | undefined): string | undefined {
  const own = modality?.trim();
  if (own) return own;
  return MAMMOGRAPHY_SOP_CLASSES.has(sopClassUid?.trim() ?? '') ? 'MG' : undefined;
}
