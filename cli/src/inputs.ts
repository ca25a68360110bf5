import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** One DICOM object to denoise: where it comes from, how to read it, where its copy goes under --out. */
export interface BatchSource {
  /** Shown in messages: a path, or study/series/instance UIDs. */
  readonly label: string;
  /** Output file, relative to the output folder. */
  readonly outputName: string;
  /** Real path of a local input (never written to). */
  readonly localPath?: string;
  read(): Promise<Uint8Array>;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Relative to where the tool was started when inside it, absolute otherwise. */
function displayPath(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') ? rel : file;
}

function walk(dir: string, exclude: string | null): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.name.startsWith('.')) return [];
      if (entry.isDirectory()) return exclude !== null && realpathSync(path) === exclude ? [] : walk(path, exclude);
      return entry.isFile() ? [path] : [];
    });
}

/**
 * Files named on the command line, and every file under folders named there
 * (DICOM files often have no extension, so none is required). The output
 * folder is left out of the walk, so a rerun never reads its own outputs.
 */
export function localSources(paths: readonly string[], outDir: string, cwd: string = process.cwd()): BatchSource[] {
  const out = existsSync(outDir) ? realpathSync(outDir) : resolve(outDir);
  return paths.flatMap((given) => {
    const path = resolve(cwd, given);
    if (!existsSync(path)) throw new UsageError(`input ${given} does not exist`);
    const isDir = statSync(path).isDirectory();
    if (isDir && realpathSync(path) === out)
      throw new UsageError(
        `--out ${outDir} is an input folder; outputs go to a folder of their own, so inputs are never overwritten`,
      );
    const base = isDir ? path : dirname(path);
    const files = isDir ? walk(path, out) : [path];
    return files.map((file): BatchSource => ({
      label: displayPath(cwd, file),
      outputName: relative(base, file),
      localPath: realpathSync(file),
      read: async () => new Uint8Array(await readFile(file)),
    }));
  });
}

/** The default output folder: `<input>-denoised` beside a folder input, or beside the folder holding a file input. */
export function defaultOutDir(paths: readonly string[], cwd: string = process.cwd()): string {
  const first = resolve(cwd, paths[0] ?? '.');
  const folder = existsSync(first) && statSync(first).isDirectory() ? first : dirname(first);
  return `${folder.replace(new RegExp(`\\${sep}+$`), '')}-denoised`;
}
