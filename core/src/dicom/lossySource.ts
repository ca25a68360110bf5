import type { NaturalizedDataset } from 'dcmjs';
import type { PixelSource } from './storedImage';
import { TRANSFER_SYNTAXES } from './transferSyntax';

/**
 * Marks a derived image made from lossy-compressed pixels, as PS3.3 C.7.6.1.1.5
 * asks: Lossy Image Compression "01" once any step lost information, the
 * methods in order, and the derivation description saying it in words.
 * A derived image of lossless pixels keeps what deriveDenoised copied.
 */
export function markLossySource(derived: NaturalizedDataset, source: PixelSource): NaturalizedDataset {
  if (!source.lossy) return derived;
  const syntax = TRANSFER_SYNTAXES[source.transferSyntaxUid];
  const from = syntax && syntax.codec !== 'native' ? `lossy ${syntax.name}` : 'lossy-compressed';
  const description = String(derived.DerivationDescription ?? '');
  const methods = source.lossyMethods.length ? { LossyImageCompressionMethod: [...source.lossyMethods] } : {};
  return {
    ...derived,
    LossyImageCompression: '01',
    ...methods,
    // ST: at most 1024 characters.
    DerivationDescription: `${description}; source pixels were ${from} (Lossy Image Compression 01)`.slice(0, 1024),
  };
}
