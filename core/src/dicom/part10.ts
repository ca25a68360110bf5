import dcmjs, { type NaturalizedDataset } from 'dcmjs';
import { captureDcmjsMessages } from './dcmjsMessages';
import { part10Truncation } from './part10Truncation';
import { transferSyntaxOf } from './transferSyntax';

/** The one place DICOM Part 10 files are written and read (dcmjs does the encoding). */

export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
export const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';
export const IMPLEMENTATION_CLASS_UID = '2.25.297113452930419580453297612309154722831';
export const IMPLEMENTATION_VERSION_NAME = 'MAMMO_DENOISE_01';

export function writePart10(dataset: NaturalizedDataset, transferSyntaxUid = EXPLICIT_VR_LITTLE_ENDIAN): Uint8Array {
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const sopClass = dataset.SOPClassUID;
  const sopInstance = dataset.SOPInstanceUID;
  if (typeof sopClass !== 'string' || typeof sopInstance !== 'string')
    throw new Error('a DICOM file needs SOPClassUID and SOPInstanceUID');
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: sopClass,
    MediaStorageSOPInstanceUID: sopInstance,
    TransferSyntaxUID: transferSyntaxUid,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: IMPLEMENTATION_VERSION_NAME,
  };
  // dcmjs says what it changes on the way (e.g. "Truncating value 045YRS of PatientAge because it is longer than 4"):
  // kept for part10WriteWarnings, never printed.
  const { result: bytes, messages } = captureDcmjsMessages(() => {
    const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
    dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
    return new Uint8Array(dict.write());
  });
  writeWarnings.set(bytes, messages);
  return bytes;
}

/** What dcmjs said while writing these bytes with writePart10 (each once). */
const writeWarnings = new WeakMap<Uint8Array, readonly string[]>();
export function part10WriteWarnings(bytes: Uint8Array): readonly string[] {
  return writeWarnings.get(bytes) ?? [];
}

/** What dcmjs said while reading each dataset (kept beside it, so the dataset stays a plain naturalized object). */
const readWarnings = new WeakMap<NaturalizedDataset, readonly string[]>();

/** dcmjs's warnings from reading this dataset with readPart10 (each once), for the caller to report with the file. */
export function part10Warnings(dataset: NaturalizedDataset): readonly string[] {
  return readWarnings.get(dataset) ?? [];
}

/** Why the file readPart10 read this dataset from is cut short (dcmjs zero-fills what is missing), or undefined. */
const truncations = new WeakMap<NaturalizedDataset, string>();
export function truncationOf(dataset: NaturalizedDataset): string | undefined {
  return truncations.get(dataset);
}

/**
 * Reads a Part 10 file. dcmjs's own warnings are caught, never printed: get
 * them with part10Warnings(dataset). Throws with a plain message for a file
 * that is not DICOM or is cut short.
 */
export function readPart10(bytes: Uint8Array, options: { untilPixelData?: boolean } = {}): NaturalizedDataset {
  const { DicomMessage, DicomMetaDictionary } = dcmjs.data;
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const read = (ignoreErrors: boolean) =>
    captureDcmjsMessages(() => {
      const untilPixelData = options.untilPixelData ? { untilTag: '7FE00010', includeUntilTagValue: false } : {};
      const dict = DicomMessage.readFile(buffer, { ...untilPixelData, ignoreErrors });
      const dataset = DicomMetaDictionary.naturalizeDataset(dict.dict);
      dataset._meta = DicomMetaDictionary.naturalizeDataset(dict.meta);
      return dataset;
    });
  let result: ReturnType<typeof read>;
  try {
    result = read(false);
  } catch (error) {
    // Some modalities write the file meta information without its group length (0002,0000). dcmjs reads such a
    // header only when told to ignore errors, which would also let a cut-short dataset through half read:
    // the "WARN:" line it logs then is turned back into the error.
    if (!(error instanceof Error && /meta length tag/.test(error.message)))
      throw new Error(part10ErrorMessage(error, bytes.byteLength, bytes), { cause: error });
    try {
      result = read(true);
    } catch (retryError) {
      throw new Error(part10ErrorMessage(retryError, bytes.byteLength, bytes), { cause: retryError });
    }
    const swallowed = result.messages.find((m) => m.startsWith('WARN:'));
    if (swallowed)
      throw new Error(part10ErrorMessage(new Error(swallowed.replace(/^WARN:\s*/, '')), bytes.byteLength), {
        cause: error,
      });
    result.messages.unshift('the file meta information has no group length (0002,0000)');
  }
  readWarnings.set(result.result, result.messages);
  if (!options.untilPixelData) {
    const cut = part10Truncation(bytes, transferSyntaxOf(result.result));
    if (cut) truncations.set(result.result, cut);
  }
  return result.result;
}

/** dcmjs's read errors said for a person: a read past the end of the buffer means the file is truncated. */
function part10ErrorMessage(error: unknown, size: number, bytes?: Uint8Array): string {
  const message = error instanceof Error ? error.message : String(error);
  const header = bytes ? String.fromCharCode(...bytes.subarray(0, 1024)) : '';
  // The meta header (never deflated) names the syntax: "1.2.840.10008.1.2.1.99" not followed by more UID digits.
  if (/1\.2\.840\.10008\.1\.2\.1\.99(?![0-9.])/.test(header)) {
    return `its deflated data set could not be inflated (${size} bytes; truncated or corrupt): ${message}`;
  }
  if (error instanceof RangeError || /out of (range|bounds)|beyond|outside the bounds|past end/i.test(message)) {
    return `the file ends early (${size} bytes; truncated?): ${message}`;
  }
  return message;
}
