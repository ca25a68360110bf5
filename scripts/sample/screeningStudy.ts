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
 * A four-view screening study of phantoms: RCC, LCC, RMLO, LMLO, each with
 * ImageLaterality, ViewPosition, View Code Sequence and PatientOrientation as
 * a scanner writes them, stored the usual way (chest wall on the breast's own
 * side), each view its own series (as Hologic writes them). `omit` leaves headers out (e.g. ViewPosition and the view code, as
 * the RSNA data does), so the viewer must guess from PatientOrientation or the
 * pixels. Deterministic UIDs, so the study keeps its URL.
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
  } = {},
): ScreeningStudy {
  const phantom = options.phantom ?? SCREENING_PHANTOM;
  const root = options.uidRoot ?? '2.25.30116';
  const studyInstanceUid = `${root}.1`;
  mkdirSync(dir, { recursive: true });
  const max = 2 ** phantom.bitsStored - 1;
  const files = (options.views ?? SCREENING_VIEWS).map(({ laterality, view }, i) => {
    const { pixels } = generatePhantom({ ...phantom, seed: `${phantom.seed}-${laterality}${view}` });
    if (view === 'MLO') addPectoralWedge(pixels, phantom.width, phantom.height, max);
    if (laterality === 'R') mirrorRows(pixels, phantom.width, phantom.height);
    const dataset = phantomDataset(phantom, pixels, {
      laterality,
      view,
      studyInstanceUid,
      seriesInstanceUid: `${root}.2.${i + 1}`,
      sopInstanceUid: `${root}.3.${i + 1}`,
      instanceNumber: i + 1,
      seriesDescription: `Phantom ${laterality}${view}`,
      studyDescription: options.description ?? 'Synthetic screening mammogram (four views)',
      patientName: 'Phantom^Screening',
      patientId: options.patientId ?? 'PHANTOM-SCREEN',
    });
    for (const key of options.omit ?? []) delete dataset[key];
    const path = join(dir, `screening-${laterality}${view}.dcm`);
    writeFileSync(path, writePart10(dataset));
    return { path, laterality, view };
  });
  return { studyInstanceUid, files };
}
