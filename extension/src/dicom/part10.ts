import dcmjs, { type NaturalizedDataset } from 'dcmjs';

/** The one place DICOM Part 10 files are written and read (dcmjs does the encoding). */

export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
export const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';
export const IMPLEMENTATION_CLASS_UID = '2.25.297113452930419580453297612309154722831';
export const IMPLEMENTATION_VERSION_NAME = 'MAMMO_DENOISE_01';

export function writePart10(dataset: NaturalizedDataset, transferSyntaxUid = EXPLICIT_VR_LITTLE_ENDIAN): Uint8Array {
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const sopClass = dataset.SOPClassUID;
  const sopInstance = dataset.SOPInstanceUID;
  if (typeof sopClass !== 'string' || typeof sopInstance !== 'string') throw new Error('a DICOM file needs SOPClassUID and SOPInstanceUID');
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: sopClass,
    MediaStorageSOPInstanceUID: sopInstance,
    TransferSyntaxUID: transferSyntaxUid,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: IMPLEMENTATION_VERSION_NAME,
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return new Uint8Array(dict.write());
}

export function readPart10(bytes: Uint8Array, options: { untilPixelData?: boolean } = {}): NaturalizedDataset {
  const { DicomMessage, DicomMetaDictionary } = dcmjs.data;
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const dict = DicomMessage.readFile(buffer, options.untilPixelData ? { untilTag: '7FE00010', includeUntilTagValue: false } : {});
  const dataset = DicomMetaDictionary.naturalizeDataset(dict.dict);
  dataset._meta = DicomMetaDictionary.naturalizeDataset(dict.meta);
  return dataset;
}
