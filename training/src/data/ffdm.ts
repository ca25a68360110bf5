import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { extract } from 'tar-stream';
import { readPart10, type StoredImage } from '@mammo-denoise/core';
import { decodeStoredImage } from '@mammo-denoise/core/node';
import { repoRoot } from './repoRoot';

/**
 * The real digital mammograms of ../shared/data/ffdm (For Presentation,
 * 12-16 bit, pixel data compressed as the scanners stored it), read in place
 * from the tar and decoded by the project's one DICOM pixel decoder.
 */
export interface FfdmImage {
  /** Path inside the archive or folder, e.g. "ffdm/rsna/10011/220375232.dcm". */
  readonly name: string;
  /** The patient: the folder under rsna/, or the file itself for single-file sources. */
  readonly patient: string;
  readonly image: StoredImage;
  readonly laterality: string | null;
  readonly manufacturer: string | null;
}

export type FfdmSplit = 'train' | 'validation' | 'test';

/**
 * Split by patient, fixed here so every run and the card agree. Test: two
 * patients of different scanner types, a 16-bit MONOCHROME1 4915x5355 image
 * (Hologic-like) and a four-image 1914x2294 12-bit SIGMOID exam; validation:
 * one more 2082x2776 patient; training: the other four (ten images: two
 * 2082x2776 and 2394x3062 exams, the GE Senographe and the Siemens crop).
 * Patients not named here (other data passed with --data) count as test.
 */
export const FFDM_SPLIT: Readonly<Record<string, FfdmSplit>> = {
  'rsna/10011': 'train',
  'rsna/10042': 'train',
  'fo-dicom/GH133.dcm': 'train',
  'fo-dicom/OutOfBoundsOverlay.dcm': 'train',
  'rsna/10008': 'validation',
  'rsna/10025': 'test',
  'rsna/10038': 'test',
};

export const splitOf = (patient: string): FfdmSplit => FFDM_SPLIT[patient] ?? 'test';

export function patientOfPath(name: string): string {
  const parts = name.split('/').filter((p) => p !== '' && p !== '.' && p !== 'ffdm');
  if (parts[0] === 'rsna' && parts.length >= 3) return `rsna/${parts[1]}`;
  return parts.slice(-2).join('/');
}

export const defaultFfdmPath = (): string =>
  process.env.FFDM_DIR ?? resolve(repoRoot(), '..', 'shared', 'data', 'ffdm');

async function archiveEntries(archive: string): Promise<Array<{ name: string; bytes: Uint8Array }>> {
  const entries: Array<{ name: string; bytes: Uint8Array }> = [];
  const tar = extract();
  const done = new Promise<void>((resolveDone, reject) => {
    tar.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(Buffer.from(c as Uint8Array)));
      stream.on('end', () => {
        if (header.type === 'file' && header.name.toLowerCase().endsWith('.dcm'))
          entries.push({ name: header.name, bytes: new Uint8Array(Buffer.concat(chunks)) });
        next();
      });
    });
    tar.on('finish', () => resolveDone());
    tar.on('error', reject);
  });
  const source = createReadStream(archive);
  source.on('error', (e) => tar.destroy(e));
  source.pipe(tar);
  await done;
  return entries;
}

function folderEntries(folder: string): Array<{ name: string; bytes: Uint8Array }> {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) =>
      statSync(join(dir, n)).isDirectory()
        ? walk(join(dir, n))
        : n.toLowerCase().endsWith('.dcm')
          ? [join(dir, n)]
          : [],
    );
  return walk(folder)
    .sort()
    .map((path) => ({ name: relative(folder, path).split('\\').join('/'), bytes: new Uint8Array(readFileSync(path)) }));
}

const text = (v: unknown): string | null => {
  const x = Array.isArray(v) ? v[0] : v;
  return typeof x === 'string' && x.trim() !== '' ? x.trim() : null;
};

/**
 * Reads every .dcm of a folder, a folder holding ffdm-train.tar, or the tar
 * itself. A file that cannot be decoded is an error naming it: training on
 * a silently shorter list would change the split.
 */
export async function readFfdm(path = defaultFfdmPath()): Promise<FfdmImage[]> {
  if (!existsSync(path))
    throw new Error(`no digital mammograms at ${path}: pass --ffdm-data <folder or ffdm-train.tar>, or set FFDM_DIR`);
  const tarInFolder = statSync(path).isDirectory() ? readdirSync(path).find((n) => n.endsWith('.tar')) : undefined;
  const entries =
    statSync(path).isDirectory() && !tarInFolder
      ? folderEntries(path)
      : await archiveEntries(tarInFolder ? join(path, tarInFolder) : path);
  const images: FfdmImage[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const dataset = readPart10(entry.bytes);
    const decoded = await decodeStoredImage(dataset);
    if (!decoded.ok) throw new Error(`${entry.name}: ${decoded.reason}`);
    images.push({
      name: entry.name,
      patient: patientOfPath(entry.name),
      image: decoded.image,
      laterality: text(dataset.ImageLaterality) ?? text(dataset.Laterality),
      manufacturer: text(dataset.Manufacturer),
    });
  }
  return images;
}
