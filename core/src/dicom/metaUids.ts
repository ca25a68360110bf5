import type { NaturalizedDataset } from 'dcmjs';

const str = (v: unknown): string | undefined => {
  const x = Array.isArray(v) ? v[0] : v;
  return typeof x === 'string' && x.trim() !== '' ? x.trim().replace(/\0/g, '') : undefined;
};

/**
 * Header-stripped exports (the RSNA screening set, some anonymisers) keep the
 * SOP Class and SOP Instance UIDs only in the file meta (0002,0002/0003). The
 * derived image must reference its source by both, so they are taken from
 * there, with a note for the file's report.
 */
export function withSopUidsFromMeta(dataset: NaturalizedDataset): { dataset: NaturalizedDataset; notes: string[] } {
  const meta = (dataset._meta ?? {}) as NaturalizedDataset;
  const notes: string[] = [];
  const filled: NaturalizedDataset = {};
  const sopClass = str(meta.MediaStorageSOPClassUID);
  const sopInstance = str(meta.MediaStorageSOPInstanceUID);
  if (!str(dataset.SOPClassUID) && sopClass) {
    filled.SOPClassUID = sopClass;
    notes.push('SOP Class UID taken from the file meta (0002,0002)');
  }
  if (!str(dataset.SOPInstanceUID) && sopInstance) {
    filled.SOPInstanceUID = sopInstance;
    notes.push('SOP Instance UID taken from the file meta (0002,0003)');
  }
  return { dataset: notes.length ? { ...dataset, ...filled } : dataset, notes };
}
