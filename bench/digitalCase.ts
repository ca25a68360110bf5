import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  writePart10,
  defaultModelFor,
  computeIntensityMap,
  parseModelCard,
  parseModelIndex,
  type ModelCard,
  estimateNoiseLevel,
  type StoredImage,
} from '@mammo-denoise/core';
import { generatePhantom } from '../scripts/sample/phantom';
import { mammographyDataset } from '../scripts/sample/sampleStudy';

/**
 * The bench's full-field digital case: a 4096x3328 (portrait: 3328 wide),
 * 12-bit synthetic mammogram, denoised by whatever models/index.json serves
 * such an image (defaultModelFor, the rule the viewer and the batch tool use).
 */
export const LARGE = { width: 3328, height: 4096, bitsStored: 12 } as const;
export const LARGE_PATIENT_ID = 'BENCH-FFDM-001';

export interface BenchModel {
  readonly card: ModelCard;
  readonly onnx: Uint8Array;
}

export function readBenchModel(modelsDir: string, id: string): BenchModel {
  const index = parseModelIndex(JSON.parse(readFileSync(join(modelsDir, 'index.json'), 'utf8')), 'index.json');
  const entry = index.models.find((m) => m.id === id);
  if (!entry) throw new Error(`model ${id} is not in ${modelsDir}/index.json`);
  return {
    card: parseModelCard(JSON.parse(readFileSync(join(modelsDir, entry.card), 'utf8')), entry.card),
    onnx: new Uint8Array(readFileSync(join(modelsDir, entry.onnx))),
  };
}

/**
 * The model the index serves for a 12-bit image, and a line that
 * says why (a missing digital default falls back to "default").
 */
export function digitalDefault(modelsDir: string): { id: string; note: string } {
  const index = parseModelIndex(JSON.parse(readFileSync(join(modelsDir, 'index.json'), 'utf8')), 'index.json');
  const id = defaultModelFor(index, { bitsStored: LARGE.bitsStored });
  return {
    id,
    note: index.defaults?.digital
      ? 'defaults.digital in models/index.json'
      : 'models/index.json names no defaults.digital yet, so its "default"',
  };
}

/** Writes the large image as one DICOM file in `dir` (for the viewer) and returns it as the engine reads it. */
export function writeLargeDigitalStudy(dir: string): StoredImage {
  mkdirSync(dir, { recursive: true });
  const { pixels } = generatePhantom({
    width: LARGE.width,
    height: LARGE.height,
    bitsStored: LARGE.bitsStored,
    seed: 'bench-ffdm',
    noiseSigma: 40,
  });
  const dataset = mammographyDataset({
    pixels,
    width: LARGE.width,
    height: LARGE.height,
    bitsStored: LARGE.bitsStored,
    photometricInterpretation: 'MONOCHROME2',
    laterality: 'R',
    view: 'CC',
    studyInstanceUid: '2.25.99120260201',
    seriesInstanceUid: '2.25.99120260202',
    sopInstanceUid: '2.25.99120260203',
    instanceNumber: 1,
    seriesDescription: `Bench full-field ${LARGE.width}x${LARGE.height} 12-bit`,
    patientName: 'Bench^Digital',
    patientId: LARGE_PATIENT_ID,
    spacing: 0.07,
  });
  writeFileSync(join(dir, 'bench-ffdm.dcm'), writePart10(dataset));
  return {
    width: LARGE.width,
    height: LARGE.height,
    pixels,
    bitsStored: LARGE.bitsStored,
    signed: false,
    photometricInterpretation: 'MONOCHROME2',
    rescaleSlope: 1,
    rescaleIntercept: 0,
  };
}

/**
 * Noise level estimation alone (intensity map excluded), the fastest
 * of `runs`: what a noise-conditioned model adds once per image.
 */
export function timeNoiseLevel(image: StoredImage, runs = 3): number {
  const map = computeIntensityMap(image);
  let best = Infinity;
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    estimateNoiseLevel(image, map);
    best = Math.min(best, performance.now() - started);
  }
  return best;
}
