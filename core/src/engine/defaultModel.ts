import type { ImageKind, ModelDefaultsByKind } from '../contract/modelCard';

/**
 * Which model serves an image when nobody chose one (DECISIONS: "Which model
 * serves an image"). The viewer's Denoise and Save, and the batch tool without
 * --model, all call defaultModelFor, so they never disagree.
 */

/** The part of models/index.json (or of a loaded catalog) the rule reads. */
export interface ModelDefaults {
  readonly default: string;
  readonly defaults?: ModelDefaultsByKind;
}

/**
 * 8 bits stored or fewer: a film scan (the MIAS models' domain, value / 255);
 * more: a digital mammogram (12-16 bit, signal-dependent quantum noise).
 */
export function imageKindOf(image: { readonly bitsStored: number }): ImageKind {
  return image.bitsStored <= 8 ? 'film8bit' : 'digital';
}

/** The index's default for this kind of image, or its plain "default" where it names none. */
export function defaultModelFor(index: ModelDefaults, image: { readonly bitsStored: number }): string {
  return index.defaults?.[imageKindOf(image)] ?? index.default;
}
