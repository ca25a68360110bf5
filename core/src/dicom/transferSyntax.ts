import type { NaturalizedDataset } from 'dcmjs';

/** The transfer syntaxes the decoder knows by name, and what each means for the pixels. */

export const TRANSFER_SYNTAX = {
  implicitLittle: '1.2.840.10008.1.2',
  explicitLittle: '1.2.840.10008.1.2.1',
  deflatedExplicitLittle: '1.2.840.10008.1.2.1.99',
  explicitBig: '1.2.840.10008.1.2.2',
  jpegBaseline: '1.2.840.10008.1.2.4.50',
  jpegExtended: '1.2.840.10008.1.2.4.51',
  jpegLosslessProcess14: '1.2.840.10008.1.2.4.57',
  jpegLosslessSv1: '1.2.840.10008.1.2.4.70',
  jpegLsLossless: '1.2.840.10008.1.2.4.80',
  jpegLsNearLossless: '1.2.840.10008.1.2.4.81',
  jpeg2000Lossless: '1.2.840.10008.1.2.4.90',
  jpeg2000: '1.2.840.10008.1.2.4.91',
  htj2kLossless: '1.2.840.10008.1.2.4.201',
  htj2kLosslessRpcl: '1.2.840.10008.1.2.4.202',
  htj2k: '1.2.840.10008.1.2.4.203',
  rle: '1.2.840.10008.1.2.5',
} as const;

export type PixelCodec = 'native' | 'jpeg' | 'jpeg-lossless' | 'jpeg-ls' | 'jpeg2000' | 'rle';

export interface TransferSyntaxInfo {
  readonly name: string;
  readonly codec: PixelCodec;
  /** The syntax allows information loss (the stream itself may still say it is exact: JPEG-LS NEAR 0). */
  readonly lossy: boolean;
  /** Lossy Image Compression Method (0028,2114) defined term for a lossy source. */
  readonly lossyMethod?: string;
}

const T = TRANSFER_SYNTAX;

export const TRANSFER_SYNTAXES: Readonly<Record<string, TransferSyntaxInfo>> = {
  [T.implicitLittle]: { name: 'implicit VR little endian', codec: 'native', lossy: false },
  [T.explicitLittle]: { name: 'explicit VR little endian', codec: 'native', lossy: false },
  [T.deflatedExplicitLittle]: { name: 'deflated explicit VR little endian', codec: 'native', lossy: false },
  [T.explicitBig]: { name: 'explicit VR big endian', codec: 'native', lossy: false },
  [T.jpegBaseline]: { name: 'JPEG baseline (process 1)', codec: 'jpeg', lossy: true, lossyMethod: 'ISO_10918_1' },
  [T.jpegExtended]: { name: 'JPEG extended (process 2 and 4)', codec: 'jpeg', lossy: true, lossyMethod: 'ISO_10918_1' },
  [T.jpegLosslessProcess14]: { name: 'JPEG lossless (process 14)', codec: 'jpeg-lossless', lossy: false },
  [T.jpegLosslessSv1]: { name: 'JPEG lossless (process 14, selection value 1)', codec: 'jpeg-lossless', lossy: false },
  [T.jpegLsLossless]: { name: 'JPEG-LS lossless', codec: 'jpeg-ls', lossy: false },
  [T.jpegLsNearLossless]: { name: 'JPEG-LS near-lossless', codec: 'jpeg-ls', lossy: true, lossyMethod: 'ISO_14495_1' },
  [T.jpeg2000Lossless]: { name: 'JPEG 2000 lossless', codec: 'jpeg2000', lossy: false },
  [T.jpeg2000]: { name: 'JPEG 2000', codec: 'jpeg2000', lossy: true, lossyMethod: 'ISO_15444_1' },
  [T.htj2kLossless]: { name: 'HTJ2K lossless', codec: 'jpeg2000', lossy: false },
  [T.htj2kLosslessRpcl]: { name: 'HTJ2K lossless RPCL', codec: 'jpeg2000', lossy: false },
  [T.htj2k]: { name: 'HTJ2K', codec: 'jpeg2000', lossy: true, lossyMethod: 'ISO_15444_15' },
  [T.rle]: { name: 'RLE lossless', codec: 'rle', lossy: false },
};

/** Transfer syntaxes whose pixel data is stored uncompressed (native). */
export const NATIVE_TRANSFER_SYNTAXES: ReadonlySet<string> = new Set(
  Object.entries(TRANSFER_SYNTAXES)
    .filter(([, info]) => info.codec === 'native')
    .map(([uid]) => uid),
);

/**
 * The file's transfer syntax (from its meta header); implicit
 * VR little endian when it has none, as the standard's default.
 */
export function transferSyntaxOf(dataset: NaturalizedDataset): string {
  const value = (dataset._meta as Record<string, unknown> | undefined)?.TransferSyntaxUID;
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.trim() ? first.trim().replace(/\0/g, '') : TRANSFER_SYNTAX.implicitLittle;
}

/** "JPEG 2000 lossless (1.2.840.10008.1.2.4.90)", or the bare UID of an unknown syntax. */
export function describeTransferSyntax(uid: string): string {
  const info = TRANSFER_SYNTAXES[uid];
  return info ? `${info.name} (${uid})` : uid;
}
