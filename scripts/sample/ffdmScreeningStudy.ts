import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MG_FOR_PRESENTATION, readPart10, writePart10 } from '@mammo-denoise/core';

/** The four-view RSNA exam of shared/ffdm offered by npm start: patient 10038 (1914x2294, GE, JPEG lossless). */
export const FFDM_SCREENING_PATIENT = 'ffdm/rsna/10038';

/**
 * Copies a real four-view exam out of ffdm-train.tar into `dir` for npm start.
 * Its headers say only ImageLaterality (the RSNA export stripped ViewPosition,
 * PatientOrientation and Modality), so the viewer guesses the views from the
 * pixels and marks them. RSNA stored them as Digital X-Ray objects without
 * Modality; the copy says Modality MG, since OHIF stacks images without
 * Modality into one display set and the screening layout needs one per
 * image. Pixels and every other attribute are kept as stored (same transfer
 * syntax). Returns the files, or null without the archive.
 */
export function writeFfdmScreeningStudy(ffdmDir: string, dir: string): string[] | null {
  const archive =
    existsSync(ffdmDir) && statSync(ffdmDir).isDirectory()
      ? readdirSync(ffdmDir).find((n) => n.endsWith('.tar'))
      : undefined;
  if (!archive) return null;
  mkdirSync(dir, { recursive: true });
  // Extracted outside `dir`: npm start serves every DICOM file under its folder, and the originals would be duplicates.
  const extracted = mkdtempSync(join(tmpdir(), 'ffdm-screening-'));
  execFileSync('tar', ['xf', join(ffdmDir, archive), '-C', extracted, FFDM_SCREENING_PATIENT]);
  const source = join(extracted, FFDM_SCREENING_PATIENT);
  const files = readdirSync(source)
    .filter((n) => n.endsWith('.dcm'))
    .sort()
    .map((name) => {
      const dataset = readPart10(new Uint8Array(readFileSync(join(source, name))));
      const meta = (dataset._meta ?? {}) as { TransferSyntaxUID?: unknown; MediaStorageSOPClassUID?: unknown };
      const sopClass = String(
        dataset.SOPClassUID ??
          (Array.isArray(meta.MediaStorageSOPClassUID)
            ? meta.MediaStorageSOPClassUID[0]
            : meta.MediaStorageSOPClassUID) ??
          MG_FOR_PRESENTATION,
      );
      const transferSyntax = String(
        Array.isArray(meta.TransferSyntaxUID) ? meta.TransferSyntaxUID[0] : meta.TransferSyntaxUID,
      );
      const copy = {
        ...dataset,
        Modality: dataset.Modality ?? 'MG',
        SOPClassUID: sopClass,
        StudyDescription: dataset.StudyDescription ?? 'RSNA screening exam, patient 10038 (views guessed)',
      };
      const path = join(dir, `rsna-10038-${name}`);
      writeFileSync(path, writePart10(copy, transferSyntax));
      return path;
    });
  rmSync(extracted, { recursive: true, force: true });
  return files;
}
