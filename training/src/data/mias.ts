import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { parsePgm, type PgmImage } from './pgm';
import { repoRoot } from './repoRoot';

/** One MIAS mammogram. Consecutive numbers are the two breasts of one patient. */
export interface MiasImage {
  /** File stem, e.g. "mdb001". */
  readonly name: string;
  /** 1-based patient number: mdb001 and mdb002 are patient 1. */
  readonly patient: number;
  readonly image: PgmImage;
}

const MIAS_NAME = /^mdb(\d{3})\.pgm$/i;
const WHERE_TO_GET =
  'MIAS (the mini-MIAS database, 322 1024x1024 PGM film scans, research use) is distributed by the ' +
  'Mammographic Image Analysis Society as all-mias.tar.gz. Pass its folder or archive with --data, or set MIAS_DIR.';

export class MiasNotFoundError extends Error {
  constructor(message: string) {
    super(`${message}\n${WHERE_TO_GET}`);
    this.name = 'MiasNotFoundError';
  }
}

/** Where MIAS is looked for when no path is given: $MIAS_DIR, else ../shared/data/mias beside the repository. */
export function defaultMiasPath(): string {
  return process.env.MIAS_DIR ?? resolve(repoRoot(), '..', 'shared', 'data', 'mias');
}

export function patientOf(name: string): number {
  const match = MIAS_NAME.exec(`${name}.pgm`);
  if (!match) throw new Error(`${name} is not a MIAS file name (mdbNNN)`);
  return Math.ceil(Number(match[1]) / 2);
}

function toImage(fileName: string, bytes: Uint8Array, source: string): MiasImage {
  const name = basename(fileName).replace(/\.pgm$/i, '');
  return { name, patient: patientOf(name), image: parsePgm(bytes, source) };
}

async function readArchive(archive: string): Promise<MiasImage[]> {
  const images: MiasImage[] = [];
  const tar = extract();
  const done = new Promise<void>((resolveDone, reject) => {
    tar.on('entry', (header, stream, next) => {
      const name = basename(header.name);
      if (header.type !== 'file' || !MIAS_NAME.test(name)) {
        stream.resume();
        stream.on('end', next);
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(Buffer.from(c as Uint8Array)));
      stream.on('end', () => {
        try {
          images.push(toImage(name, new Uint8Array(Buffer.concat(chunks)), `${archive}:${header.name}`));
          next();
        } catch (error) {
          reject(error);
        }
      });
    });
    tar.on('finish', () => resolveDone());
    tar.on('error', reject);
  });
  const source = createReadStream(archive);
  const gunzip = createGunzip();
  source.on('error', (e) => tar.destroy(e));
  gunzip.on('error', (e) => tar.destroy(new Error(`${archive}: not a readable .tar.gz archive: ${e.message}`)));
  source.pipe(gunzip).pipe(tar);
  await done;
  return images;
}

/**
 * Reads MIAS from a folder of mdbNNN.pgm files, a folder holding one .tar.gz
 * (the official all-mias.tar.gz layout), or a .tar.gz path. Images come back
 * sorted by name. Missing numbers (e.g. withheld images) are not an error.
 */
export async function readMias(path: string = defaultMiasPath()): Promise<MiasImage[]> {
  if (!existsSync(path)) throw new MiasNotFoundError(`MIAS data not found at ${path}.`);
  let images: MiasImage[];
  if (statSync(path).isFile()) {
    if (!/\.(tar\.gz|tgz)$/i.test(path)) throw new MiasNotFoundError(`${path} is a file but not a .tar.gz archive.`);
    images = await readArchive(path);
  } else {
    const entries = readdirSync(path);
    const pgms = entries.filter((e) => MIAS_NAME.test(e));
    const archives = entries.filter((e) => /\.(tar\.gz|tgz)$/i.test(e));
    if (pgms.length > 0) {
      images = pgms.map((f) => toImage(f, new Uint8Array(readFileSync(join(path, f))), join(path, f)));
    } else if (archives.length === 1) {
      images = await readArchive(join(path, archives[0] as string));
    } else if (archives.length > 1) {
      throw new MiasNotFoundError(`${path} holds several archives (${archives.join(', ')}); pass the one to use.`);
    } else {
      throw new MiasNotFoundError(`${path} holds no mdbNNN.pgm files and no .tar.gz archive.`);
    }
  }
  if (images.length === 0) throw new MiasNotFoundError(`${path} holds no MIAS images (mdbNNN.pgm).`);
  return images.sort((a, b) => a.name.localeCompare(b.name));
}
