import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writePart10 } from '@mammo-denoise/core';
import { readMias } from '../../training/src/data/mias';
import { Random } from '../../training/src/data/random';
import { splitPatients } from '../../training/src/data/dataset';
import { DATASET_SEED } from '../../training/src/train/config';
import { addNoise, conditionById } from '../../training/src/noise/noise';
import { mammographyDataset } from './sampleStudy';

/** How many MIAS images npm start offers: one breast of each of the first test-split patients (never trained on). */
export const MIAS_SAMPLE_COUNT = 3;
const NOISE = ['gaussian-20', 'salt-pepper-0.97'] as const;

/**
 * Converts a few MIAS images to 8-bit MG DICOM (200 µm), each as its own
 * study with three series: as scanned, with Gaussian noise σ 20, and with
 * salt-and-pepper noise (SNR 0.97). Deterministic UIDs and noise.
 */
export async function writeMiasStudies(dir: string, miasPath?: string): Promise<string[]> {
  const all = await readMias(miasPath);
  const testPatients = splitPatients(
    all.map((i) => i.patient),
    DATASET_SEED,
  ).test.slice(0, MIAS_SAMPLE_COUNT);
  const images = testPatients
    .map((p) => all.find((i) => i.patient === p))
    .filter((i): i is (typeof all)[number] => i !== undefined);
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  images.forEach((image, s) => {
    const pixels = Uint8Array.from(image.image.pixels);
    const study = `2.25.5550${s + 1}0000`;
    const variants: Array<[string, Uint8Array]> = [
      ['as scanned', pixels],
      ...NOISE.map((id): [string, Uint8Array] => [
        conditionById(id).label,
        addNoise(pixels, conditionById(id), Random.fromSeed(`${image.name}/${id}`)),
      ]),
    ];
    variants.forEach(([description, values], v) => {
      const path = join(dir, `${image.name}-${v}.dcm`);
      writeFileSync(
        path,
        writePart10(
          mammographyDataset({
            pixels: values,
            width: image.image.width,
            height: image.image.height,
            bitsStored: 8,
            photometricInterpretation: 'MONOCHROME2',
            laterality: Number(image.name.slice(3)) % 2 === 1 ? 'L' : 'R',
            view: 'MLO',
            studyInstanceUid: study,
            seriesInstanceUid: `${study}.${v + 1}`,
            sopInstanceUid: `${study}.${v + 1}.1`,
            instanceNumber: 1,
            seriesDescription: `MIAS ${image.name}, ${description}`,
            studyDescription: `MIAS ${image.name} (film, 200 µm, 8-bit)`,
            patientName: `MIAS^${image.name}`,
            patientId: `MIAS-${image.name}`,
            spacing: 0.2,
          }),
        ),
      );
      written.push(path);
    });
  });
  return written;
}
