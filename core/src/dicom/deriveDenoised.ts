import dcmjs, { type NaturalizedDataset } from 'dcmjs';
import { formatStrength } from '../engine/strength';
import type { StoredPixelArray } from '../engine/types';
import { DX_FOR_PRESENTATION, MG_FOR_PRESENTATION, SECONDARY_CAPTURE } from './sopClasses';

/**
 * Builds the derived DICOM image saved after denoising, in the spirit of
 * dcmjs's DerivedDataset → DerivedPixels → DerivedImage chain: same patient
 * and study, new series and instance, DERIVED\SECONDARY, and the derivation
 * recorded (description with the model, version and sha256; Derivation Code
 * Sequence; Source Image Sequence referencing the original).
 */

/** IODs whose modules a denoised copy still satisfies; anything else becomes Secondary Capture. */
export const SAME_IOD_ALLOWED = new Set([MG_FOR_PRESENTATION, DX_FOR_PRESENTATION]);

export interface ModelIdentity {
  readonly id: string;
  readonly version: string;
  readonly sha256: string;
  /**
   * Noise-map strength, for noise-conditioned models only (absent
   * for the MIAS models, whose records stay as they were).
   */
  readonly strength?: number;
}

/** " at noise-map strength 1.25x", or nothing for a model without a noise map. */
const strengthNote = (model: ModelIdentity): string =>
  model.strength !== undefined ? ` at noise-map strength ${formatStrength(model.strength)}` : '';

export interface DeriveOptions {
  readonly model: ModelIdentity;
  /** 'same-iod' keeps the source IOD where it allows (default); 'secondary-capture' always uses SC. */
  readonly iod?: 'same-iod' | 'secondary-capture';
  readonly seriesInstanceUid?: string;
  readonly sopInstanceUid?: string;
  readonly seriesNumber?: number;
  /** Local date-time used for Content/Series Date and Time (tests pass a fixed one). */
  readonly now?: Date;
}

/** Attributes copied from the source: patient, study, equipment, geometry, view and pixel description. */
const COPIED = [
  'SpecificCharacterSet',
  'PatientName',
  'PatientID',
  'PatientBirthDate',
  'PatientSex',
  'PatientAge',
  'OtherPatientIDs',
  'StudyInstanceUID',
  'StudyDate',
  'StudyTime',
  'StudyID',
  'AccessionNumber',
  'ReferringPhysicianName',
  'StudyDescription',
  'Manufacturer',
  'InstitutionName',
  'ManufacturerModelName',
  'DeviceSerialNumber',
  'SoftwareVersions',
  'Modality',
  'BodyPartExamined',
  'PatientOrientation',
  'ImageLaterality',
  'Laterality',
  'ViewPosition',
  'ViewCodeSequence',
  'AnatomicRegionSequence',
  'PresentationIntentType',
  'PositionerType',
  'DetectorType',
  'FrameOfReferenceUID',
  'PositionReferenceIndicator',
  'AcquisitionDate',
  'AcquisitionTime',
  'AcquisitionDateTime',
  'KVP',
  'ExposureTime',
  'XRayTubeCurrent',
  'Exposure',
  'ExposureInuAs',
  'DistanceSourceToDetector',
  'DistanceSourceToPatient',
  'BodyPartThickness',
  'CompressionForce',
  'AnodeTargetMaterial',
  'FilterMaterial',
  'BreastImplantPresent',
  'OrganExposed',
  'AcquisitionContextSequence',
  'EntranceDoseInmGy',
  'OrganDose',
  'PartialView',
  'BurnedInAnnotation',
  'SamplesPerPixel',
  'PhotometricInterpretation',
  'Rows',
  'Columns',
  'PixelSpacing',
  'ImagerPixelSpacing',
  'PixelSpacingCalibrationType',
  'EstimatedRadiographicMagnificationFactor',
  'BitsAllocated',
  'BitsStored',
  'HighBit',
  'PixelRepresentation',
  'PixelIntensityRelationship',
  'PixelIntensityRelationshipSign',
  'RescaleIntercept',
  'RescaleSlope',
  'RescaleType',
  'WindowCenter',
  'WindowWidth',
  'WindowCenterWidthExplanation',
  'VOILUTFunction',
  'VOILUTSequence',
  'PresentationLUTShape',
  'QualityControlImage',
  'LossyImageCompression',
  'LossyImageCompressionRatio',
  'LossyImageCompressionMethod',
] as const;

/**
 * Type 2 attributes (present, possibly empty) of the Patient, General Study and General Image modules: a
 * header-stripped source (the RSNA screening set) lacks them, and the derived image must still pass dciodvfy.
 */
const TYPE_2_EMPTY_IF_MISSING = [
  'PatientName',
  'PatientID',
  'PatientBirthDate',
  'PatientSex',
  'StudyDate',
  'StudyTime',
  'ReferringPhysicianName',
  'StudyID',
  'AccessionNumber',
  'PatientOrientation',
] as const;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const dicomDate = (d: Date): string => `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}`;
const dicomTime = (d: Date): string => `${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;

/** Deep copy of a naturalized value (dcmjs arrays carry extra properties that structuredClone refuses). */
function cloneValue(value: unknown): unknown {
  if (value instanceof ArrayBuffer) return value.slice(0);
  if (ArrayBuffer.isView(value)) return (value as Uint8Array).slice();
  if (Array.isArray(value)) return value.map(cloneValue);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneValue(v)]));
  return value;
}

export function derivationDescription(model: ModelIdentity): string {
  // DerivationDescription is ST (1024 chars): room for the full hash.
  return (
    `Denoised by model ${model.id} version ${model.version} (ONNX sha256 ${model.sha256})${strengthNote(model)}; ` +
    'research use, not for primary diagnosis'
  );
}

export function deriveDenoised(
  source: NaturalizedDataset,
  pixels: StoredPixelArray,
  options: DeriveOptions,
): NaturalizedDataset {
  const { DicomMetaDictionary } = dcmjs.data;
  const sourceClass = String(source.SOPClassUID ?? '');
  const sourceInstance = String(source.SOPInstanceUID ?? '');
  if (!sourceClass || !sourceInstance || !source.StudyInstanceUID)
    throw new Error('the source image has no SOP Class, SOP Instance or Study Instance UID');
  const rows = Number(source.Rows);
  const columns = Number(source.Columns);
  if (pixels.length !== rows * columns)
    throw new Error(`denoised pixels (${pixels.length}) do not match the source's ${columns}x${rows}`);
  const sameIod = (options.iod ?? 'same-iod') === 'same-iod' && SAME_IOD_ALLOWED.has(sourceClass);
  const now = options.now ?? new Date();

  const derived: NaturalizedDataset = {};
  for (const key of COPIED) if (source[key] !== undefined) derived[key] = cloneValue(source[key]);
  for (const key of TYPE_2_EMPTY_IF_MISSING) if (derived[key] === undefined) derived[key] = '';
  const sourceSeries = String(source.SeriesDescription ?? '').trim();
  const strength = options.model.strength !== undefined ? ` ${formatStrength(options.model.strength)}` : '';
  const bitsAllocated = Number(source.BitsAllocated);
  Object.assign(derived, {
    SOPClassUID: sameIod ? sourceClass : SECONDARY_CAPTURE,
    SOPInstanceUID: options.sopInstanceUid ?? DicomMetaDictionary.uid(),
    SeriesInstanceUID: options.seriesInstanceUid ?? DicomMetaDictionary.uid(),
    SeriesNumber: options.seriesNumber ?? 9001,
    InstanceNumber: Number(source.InstanceNumber ?? 1),
    // Up to 64 characters (LO).
    SeriesDescription: `${sourceSeries ? `${sourceSeries} ` : ''}denoised (${options.model.id}${strength})`.slice(-64),
    SeriesDate: dicomDate(now),
    SeriesTime: dicomTime(now),
    ContentDate: dicomDate(now),
    ContentTime: dicomTime(now),
    InstanceCreationDate: dicomDate(now),
    InstanceCreationTime: dicomTime(now),
    ImageType: ['DERIVED', 'SECONDARY'],
    DerivationDescription: derivationDescription(options.model),
    DerivationCodeSequence: [{ CodeValue: '113087', CodingSchemeDesignator: 'DCM', CodeMeaning: 'Smoothing' }],
    SourceImageSequence: [
      {
        ReferencedSOPClassUID: sourceClass,
        ReferencedSOPInstanceUID: sourceInstance,
        PurposeOfReferenceCodeSequence: [
          {
            CodeValue: '121322',
            CodingSchemeDesignator: 'DCM',
            CodeMeaning: 'Source image for image processing operation',
          },
        ],
      },
    ],
    ImageComments:
      `Denoised by ${options.model.id} ${options.model.version}${strengthNote(options.model)}. ` +
      'Not for primary diagnosis.',
    BurnedInAnnotation: 'NO',
    PixelData: [pixels.buffer.slice(pixels.byteOffset, pixels.byteOffset + pixels.byteLength)],
    _vrMap: { PixelData: bitsAllocated === 8 ? 'OB' : 'OW' },
  });
  if (!sameIod) {
    // Secondary Capture: the SC Equipment module; DX/MG-only attributes are dropped.
    Object.assign(derived, { ConversionType: 'WSD', Modality: derived.Modality ?? 'OT' });
    for (const key of [
      'PresentationIntentType',
      'PositionerType',
      'DetectorType',
      'ViewCodeSequence',
      'ViewPosition',
      'OrganExposed',
      'AcquisitionContextSequence',
      'ImagerPixelSpacing',
      'PixelIntensityRelationship',
      'PixelIntensityRelationshipSign',
    ] as const)
      delete derived[key];
  } else if (derived.AcquisitionContextSequence === undefined) {
    derived.AcquisitionContextSequence = [];
  }
  return derived;
}
