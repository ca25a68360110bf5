import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writePart10 } from '@mammo-denoise/core';
import { generatePhantom, type PhantomOptions } from './phantom';
import { phantomDataset } from './sampleStudy';

export const SCREENING_VIEWS = [
  { laterality: 'R', view: 'CC' },
  { laterality: 'L', view: 'CC' },
  { laterality: 'R', view: 'MLO' },
  { laterality: 'L', view: 'MLO' },
] as const;

/** Portrait, as detectors are: the size of the RSNA GE exam in shared/ (1914 columns, 2294 rows). */
export const SCREENING_PHANTOM: PhantomOptions = {
  width: 1914,
  height: 2294,
  bitsStored: 12,
  seed: 'screening-1',
  noiseSigma: 40,
};

export interface ScreeningStudy {
  readonly studyInstanceUid: string;
  readonly files: Array<{ path: string; laterality: 'R' | 'L'; view: 'CC' | 'MLO' }>;
}

/**
 * The pectoral muscle of an MLO: a dense wedge along the chest wall, widest
 * at the top edge (the phantom itself is a craniocaudal outline).
 */
function addPectoralWedge(pixels: Uint16Array, width: number, height: number, max: number): void {
  const depth = height * 0.45;
  for (let y = 0; y < depth; y += 1) {
    const reach = Math.round(width * 0.3 * (1 - y / depth));
    for (let x = 0; x < reach; x += 1) {
      const i = y * width + x;
      pixels[i] = Math.min(max, Math.round(max * 0.72 + ((pixels[i] as number) % 97) - 48));
    }
  }
}

/** Stores the right breast the usual way: chest wall on the right ("P\L"), so mirrored from the left-facing phantom. */
function mirrorRows(pixels: Uint16Array, width: number, height: number): void {
  for (let y = 0; y < height; y += 1) pixels.subarray(y * width, (y + 1) * width).reverse();
}

/**
 * The breast placed on a larger detector: against the left edge (the chest
 * wall), centred vertically; the rest is air (a low value with a fixed
 * pattern, as a flat-field-corrected detector's open field).
 */
export function onDetector(
  breast: Uint16Array,
  size: { width: number; height: number },
  detector: { width: number; height: number },
  max: number,
): Uint16Array {
  const pixels = new Uint16Array(detector.width * detector.height);
  const top = Math.floor((detector.height - size.height) / 2);
  for (let y = 0; y < detector.height; y += 1)
    for (let x = 0; x < detector.width; x += 1) {
      const by = y - top;
      pixels[y * detector.width + x] =
        x < size.width && by >= 0 && by < size.height
          ? (breast[by * size.width + x] as number)
          : Math.round(0.012 * max) + ((x * 7 + y * 13) % 97);
    }
  return pixels;
}

/**
 * A four-view screening study of phantoms: RCC, LCC, RMLO, LMLO, each with
 * ImageLaterality, ViewPosition, View Code Sequence and PatientOrientation as
 * a scanner writes them, stored the usual way (chest wall on the breast's own
 * side), each view its own series (as Hologic writes them). `omit` leaves
 * headers out (e.g. ViewPosition and the view code, as the RSNA data does),
 * so the viewer must guess from PatientOrientation or the pixels.
 * Deterministic UIDs, so the study keeps its URL.
 */
export function writeScreeningStudy(
  dir: string,
  options: {
    phantom?: PhantomOptions;
    uidRoot?: string;
    patientId?: string;
    views?: ReadonlyArray<(typeof SCREENING_VIEWS)[number]>;
    omit?: string[];
    description?: string;
    /** DICOM DA of the study (20260101 when not given): a prior exam is an earlier one of the same patient. */
    studyDate?: string;
    /** A detector larger than the phantom (e.g. Hologic's 5355x4915): the breast lies against its chest-wall edge. */
    detector?: { width: number; height: number };
    /** All views in one series (as some exports store an exam) instead of a series per view. */
    oneSeries?: boolean;
  } = {},
): ScreeningStudy {
  const phantom = options.phantom ?? SCREENING_PHANTOM;
  const root = options.uidRoot ?? '2.25.30116';
  const studyInstanceUid = `${root}.1`;
  mkdirSync(dir, { recursive: true });
  const max = 2 ** phantom.bitsStored - 1;
  const files = (options.views ?? SCREENING_VIEWS).map(({ laterality, view }, i) => {
    const { pixels: breast } = generatePhantom({ ...phantom, seed: `${phantom.seed}-${laterality}${view}` });
    if (view === 'MLO') addPectoralWedge(breast, phantom.width, phantom.height, max);
    const size = options.detector ?? phantom;
    const pixels = options.detector ? onDetector(breast, phantom, options.detector, max) : breast;
    if (laterality === 'R') mirrorRows(pixels, size.width, size.height);
    const dataset = phantomDataset({ ...phantom, width: size.width, height: size.height }, pixels, {
      laterality,
      view,
      studyInstanceUid,
      seriesInstanceUid: `${root}.2.${options.oneSeries ? 1 : i + 1}`,
      sopInstanceUid: `${root}.3.${i + 1}`,
      instanceNumber: i + 1,
      seriesDescription: options.oneSeries ? 'Phantom screening views' : `Phantom ${laterality}${view}`,
      studyDescription: options.description ?? 'Synthetic screening mammogram (four views)',
      patientName: 'Phantom^Screening',
      patientId: options.patientId ?? 'PHANTOM-SCREEN',
      ...(options.studyDate ? { studyDate: options.studyDate } : {}),
    });
    for (const key of options.omit ?? []) delete dataset[key];
    const path = join(dir, `screening-${laterality}${view}.dcm`);
    writeFileSync(path, writePart10(dataset));
    return { path, laterality, view };
  });
  return { studyInstanceUid, files };
}
