import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import dcmjs, { type NaturalizedDataset } from 'dcmjs';
import { writePart10 } from '@mammo-denoise/core';
import { generatePhantom } from '../../scripts/sample/phantom';
import { mammographyDataset } from '../../scripts/sample/sampleStudy';

/**
 * A folder of what a batch meets in a real study export, written with dcmjs:
 * two good mammograms (8-bit MONOCHROME2, 12-bit MONOCHROME1; odd sizes, so
 * padding is exercised) and four it must refuse or report: multi-frame, RGB,
 * a structured report (no pixel data) and a corrupt file.
 */
export interface BatchFolder {
  readonly dir: string;
  readonly studyInstanceUid: string;
  /** File name → SOP Instance UID, for the good images. */
  readonly good: Readonly<Record<string, string>>;
}

const uid = () => dcmjs.data.DicomMetaDictionary.uid();

export function mammogram(options: {
  bitsStored: 8 | 12;
  photometric: 'MONOCHROME1' | 'MONOCHROME2';
  width: number;
  height: number;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  seed: string;
  instanceNumber?: number;
}): NaturalizedDataset {
  const { pixels: phantom } = generatePhantom({
    width: options.width,
    height: options.height,
    bitsStored: options.bitsStored,
    seed: options.seed,
    noiseSigma: 20,
  });
  const max = 2 ** options.bitsStored - 1;
  // The phantom is MONOCHROME2 (dense tissue bright); MONOCHROME1 stores it inverted.
  const oriented = options.photometric === 'MONOCHROME1' ? phantom.map((v) => max - v) : phantom;
  const pixels = options.bitsStored === 8 ? Uint8Array.from(oriented) : Uint16Array.from(oriented);
  return mammographyDataset({
    pixels,
    width: options.width,
    height: options.height,
    bitsStored: options.bitsStored,
    photometricInterpretation: options.photometric,
    laterality: 'R',
    view: 'CC',
    studyInstanceUid: options.studyInstanceUid,
    seriesInstanceUid: options.seriesInstanceUid,
    instanceNumber: options.instanceNumber ?? 1,
    seriesDescription: 'R CC',
    patientName: 'Batch^Test',
    patientId: 'BATCH-001',
    spacing: 0.1,
  });
}

export function writeBatchFolder(dir: string): BatchFolder {
  mkdirSync(join(dir, 'nested'), { recursive: true });
  const studyInstanceUid = uid();
  const series = uid();
  const write = (name: string, dataset: NaturalizedDataset) => writeFileSync(join(dir, name), writePart10(dataset));
  const eight = mammogram({
    bitsStored: 8,
    photometric: 'MONOCHROME2',
    width: 131,
    height: 97,
    studyInstanceUid,
    seriesInstanceUid: series,
    seed: 'batch-8',
  });
  const twelve = mammogram({
    bitsStored: 12,
    photometric: 'MONOCHROME1',
    width: 120,
    height: 151,
    studyInstanceUid,
    seriesInstanceUid: series,
    seed: 'batch-12',
    instanceNumber: 2,
  });
  write('good-8bit.dcm', eight);
  // In a subfolder: folders are searched recursively and the layout is kept.
  write('nested/good-12bit-mono1.dcm', twelve);

  const frames = 3;
  const multi = new Uint16Array(64 * 48 * frames).map((_, i) => (i * 7) % 4096);
  write('multi-frame.dcm', {
    ...mammogram({
      bitsStored: 12,
      photometric: 'MONOCHROME2',
      width: 64,
      height: 48,
      studyInstanceUid,
      seriesInstanceUid: uid(),
      seed: 'mf',
    }),
    NumberOfFrames: frames,
    PixelData: [multi.buffer],
  });

  const rgb = new Uint8Array(40 * 30 * 3).map((_, i) => (i * 13) % 256);
  write('rgb.dcm', {
    ...mammogram({
      bitsStored: 8,
      photometric: 'MONOCHROME2',
      width: 40,
      height: 30,
      studyInstanceUid,
      seriesInstanceUid: uid(),
      seed: 'rgb',
    }),
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.7',
    SamplesPerPixel: 3,
    PhotometricInterpretation: 'RGB',
    PlanarConfiguration: 0,
    PixelData: [rgb.buffer],
    _vrMap: { PixelData: 'OB' },
  });

  write('report.dcm', {
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.88.11',
    SOPInstanceUID: uid(),
    StudyInstanceUID: studyInstanceUid,
    SeriesInstanceUID: uid(),
    Modality: 'SR',
    PatientName: 'Batch^Test',
    PatientID: 'BATCH-001',
    ValueType: 'CONTAINER',
    ContinuityOfContent: 'SEPARATE',
    ConceptNameCodeSequence: [
      { CodeValue: '111036', CodingSchemeDesignator: 'DCM', CodeMeaning: 'Mammography CAD Report' },
    ],
  });

  // A DICOM preamble and magic, then garbage: looks like DICOM, cannot be parsed.
  const corrupt = new Uint8Array(400);
  corrupt.set(new TextEncoder().encode('DICM'), 128);
  corrupt.set([0x02, 0x00, 0x10, 0x00, 0x55, 0x49, 0xff, 0xff, 0x31, 0x2e], 132);
  writeFileSync(join(dir, 'corrupt.dcm'), corrupt);
  return {
    dir,
    studyInstanceUid,
    good: {
      'good-8bit.dcm': String(eight.SOPInstanceUID),
      'nested/good-12bit-mono1.dcm': String(twelve.SOPInstanceUID),
    },
  };
}

/** sha256 of every file under dir, by relative path: inputs must be byte-identical after a batch. */
export function hashTree(dir: string, prefix = ''): Record<string, string> {
  return Object.fromEntries(
    readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      return e.isDirectory()
        ? Object.entries(hashTree(dir, rel))
        : [
            [
              rel,
              createHash('sha256')
                .update(readFileSync(join(dir, rel)))
                .digest('hex'),
            ],
          ];
    }),
  );
}
