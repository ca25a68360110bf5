import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import dcmjs, { type NaturalizedDataset } from 'dcmjs';
import { MG_FOR_PRESENTATION, writePart10 } from '@mammo-denoise/core';
import { DEFAULT_PHANTOM, generatePhantom, type PhantomOptions } from './phantom';

export interface MammogramSpec {
  readonly pixels: Uint16Array | Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly bitsStored: number;
  readonly photometricInterpretation: 'MONOCHROME1' | 'MONOCHROME2';
  readonly laterality: 'L' | 'R';
  readonly view: 'CC' | 'MLO';
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly sopInstanceUid?: string;
  readonly instanceNumber: number;
  readonly seriesDescription: string;
  readonly studyDescription?: string;
  readonly patientName: string;
  readonly patientId: string;
  /** Pixel spacing in mm. */
  readonly spacing: number;
  /** DICOM DA; 20260101 when not given. */
  readonly studyDate?: string;
}

/** A Digital Mammography X-Ray Image – For Presentation dataset (naturalized, for dcmjs). */
export function mammographyDataset(spec: MammogramSpec): NaturalizedDataset {
  const { DicomMetaDictionary } = dcmjs.data;
  const max = 2 ** spec.bitsStored - 1;
  const eightBit = spec.bitsStored <= 8;
  const pixelBuffer = spec.pixels.buffer.slice(spec.pixels.byteOffset, spec.pixels.byteOffset + spec.pixels.byteLength);
  return {
    SOPClassUID: MG_FOR_PRESENTATION,
    SOPInstanceUID: spec.sopInstanceUid ?? DicomMetaDictionary.uid(),
    StudyInstanceUID: spec.studyInstanceUid,
    SeriesInstanceUID: spec.seriesInstanceUid,
    SpecificCharacterSet: 'ISO_IR 192',
    ImageType: ['ORIGINAL', 'PRIMARY', ''],
    StudyDate: spec.studyDate ?? '20260101',
    StudyTime: '090000',
    ContentDate: '20260101',
    ContentTime: '090000',
    AccessionNumber: 'PHANTOM1',
    Modality: 'MG',
    Manufacturer: 'mammo-denoise synthetic phantom',
    ReferringPhysicianName: '',
    StudyDescription: spec.studyDescription ?? 'Synthetic mammography phantom',
    SeriesDescription: spec.seriesDescription,
    PatientName: spec.patientName,
    PatientID: spec.patientId,
    PatientBirthDate: '',
    PatientSex: 'F',
    BodyPartExamined: 'BREAST',
    StudyID: '1',
    SeriesNumber: 1,
    InstanceNumber: spec.instanceNumber,
    // Rows towards the nipple (A) or the chest wall (P); columns lateral to medial (CC) or towards the feet (MLO).
    PatientOrientation:
      spec.laterality === 'L' ? ['A', spec.view === 'MLO' ? 'FR' : 'R'] : ['P', spec.view === 'MLO' ? 'FL' : 'L'],
    ImageLaterality: spec.laterality,
    ViewPosition: spec.view,
    ViewCodeSequence: [
      spec.view === 'CC'
        ? {
            CodeValue: '399162004',
            CodingSchemeDesignator: 'SCT',
            CodeMeaning: 'cranio-caudal',
            ViewModifierCodeSequence: [],
          }
        : {
            CodeValue: '399368009',
            CodingSchemeDesignator: 'SCT',
            CodeMeaning: 'medio-lateral oblique',
            ViewModifierCodeSequence: [],
          },
    ],
    AnatomicRegionSequence: [{ CodeValue: '76752008', CodingSchemeDesignator: 'SCT', CodeMeaning: 'Breast' }],
    OrganExposed: 'BREAST',
    AcquisitionContextSequence: [],
    PresentationLUTShape: spec.photometricInterpretation === 'MONOCHROME1' ? 'INVERSE' : 'IDENTITY',
    PresentationIntentType: 'FOR PRESENTATION',
    PositionerType: 'MAMMOGRAPHIC',
    DetectorType: 'DIRECT',
    BurnedInAnnotation: 'NO',
    LossyImageCompression: '00',
    SamplesPerPixel: 1,
    PhotometricInterpretation: spec.photometricInterpretation,
    Rows: spec.height,
    Columns: spec.width,
    PixelSpacing: [spec.spacing, spec.spacing],
    ImagerPixelSpacing: [spec.spacing, spec.spacing],
    BitsAllocated: eightBit ? 8 : 16,
    BitsStored: spec.bitsStored,
    HighBit: spec.bitsStored - 1,
    PixelRepresentation: 0,
    PixelIntensityRelationship: 'LOG',
    PixelIntensityRelationshipSign: spec.photometricInterpretation === 'MONOCHROME1' ? 1 : -1,
    RescaleIntercept: 0,
    RescaleSlope: 1,
    RescaleType: 'US',
    WindowCenter: [Math.round(max * 0.55), Math.round(max * 0.5)],
    WindowWidth: [Math.round(max * 0.6), Math.round(max * 0.35)],
    WindowCenterWidthExplanation: ['NORMAL', 'HARDER'],
    VOILUTFunction: 'LINEAR',
    PixelData: [pixelBuffer],
    _vrMap: { PixelData: eightBit ? 'OB' : 'OW' },
  };
}

/**
 * A phantom view as the sample studies store it: MONOCHROME2 at 0.1 mm, the
 * phantom's size and bit depth; `spec` names the view, its study and series.
 */
export function phantomDataset(
  phantom: PhantomOptions,
  pixels: Uint16Array,
  spec: Omit<MammogramSpec, 'pixels' | 'width' | 'height' | 'bitsStored' | 'photometricInterpretation' | 'spacing'>,
): NaturalizedDataset {
  return mammographyDataset({
    pixels,
    width: phantom.width,
    height: phantom.height,
    bitsStored: phantom.bitsStored,
    photometricInterpretation: 'MONOCHROME2',
    spacing: 0.1,
    ...spec,
  });
}

export interface SampleStudy {
  readonly studyInstanceUid: string;
  readonly files: string[];
}

/**
 * Writes the sample study: left CC and left MLO phantoms (12-bit, 2048x1664,
 * 0.1 mm), MONOCHROME2. Deterministic UIDs so the study has a stable URL.
 */
export function writeSampleStudy(dir: string, phantom: PhantomOptions = DEFAULT_PHANTOM): SampleStudy {
  mkdirSync(dir, { recursive: true });
  const studyInstanceUid = '2.25.187234071529438710283451902364512341001';
  const seriesInstanceUid = '2.25.187234071529438710283451902364512341002';
  const files: string[] = [];
  (['CC', 'MLO'] as const).forEach((view, i) => {
    const { pixels } = generatePhantom({ ...phantom, seed: `${phantom.seed}-${view}` });
    const dataset = phantomDataset(phantom, pixels, {
      laterality: 'L',
      view,
      studyInstanceUid,
      seriesInstanceUid,
      sopInstanceUid: `2.25.18723407152943871028345190236451234110${i + 1}`,
      instanceNumber: i + 1,
      seriesDescription: 'Phantom L CC and MLO',
      patientName: 'Phantom^Mammography',
      patientId: 'PHANTOM-001',
    });
    const path = join(dir, `phantom-L-${view}.dcm`);
    writeFileSync(path, writePart10(dataset));
    files.push(path);
  });
  return { studyInstanceUid, files };
}
