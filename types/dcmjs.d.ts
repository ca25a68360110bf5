/**
 * The part of dcmjs (which ships no TypeScript types) this project uses.
 * Naturalized datasets are plain objects keyed by DICOM keyword.
 */
declare module 'dcmjs' {
  export type NaturalizedDataset = Record<string, unknown> & {
    _meta?: Record<string, unknown>;
    _vrMap?: Record<string, string>;
  };
  /** Denaturalized: keyed by tag "00100010" with { vr, Value }. */
  export type DenaturalizedDataset = Record<string, { vr: string; Value?: unknown[]; InlineBinary?: string }>;

  export class DicomDict {
    constructor(meta: DenaturalizedDataset);
    meta: DenaturalizedDataset;
    dict: DenaturalizedDataset;
    write(options?: { allowInvalidVRLength?: boolean }): ArrayBuffer;
  }

  export const data: {
    DicomDict: typeof DicomDict;
    DicomMessage: {
      readFile(
        buffer: ArrayBuffer,
        options?: {
          ignoreErrors?: boolean;
          untilTag?: string;
          includeUntilTagValue?: boolean;
          forceStoreRaw?: boolean;
        },
      ): DicomDict;
    };
    DicomMetaDictionary: {
      naturalizeDataset(dataset: DenaturalizedDataset): NaturalizedDataset;
      denaturalizeDataset(dataset: NaturalizedDataset): DenaturalizedDataset;
      uid(): string;
      date(): string;
      time(): string;
    };
  };

  const dcmjs: { data: typeof data };
  export default dcmjs;
}
