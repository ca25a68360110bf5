// Fetches the published, prebuilt OHIF viewer (@ohif/app) with `npm pack` into
// the git-ignored cache .cache/ohif/<version>/ and prints the path of its dist/.
// Usage: npx tsx scripts/ohif/fetchOhif.ts [version]   (default 3.13.2)
// A second run finds the extracted copy and does nothing but print the path.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_OHIF_VERSION = '3.13.2';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function ohifCacheDir(version: string = DEFAULT_OHIF_VERSION): string {
  return join(repoRoot, '.cache', 'ohif', version);
}

/** Path of the prebuilt viewer (the folder holding index.html) for `version`. */
export function ohifDistDir(version: string = DEFAULT_OHIF_VERSION): string {
  return join(ohifCacheDir(version), 'package', 'dist');
}

export function fetchOhif(version: string = DEFAULT_OHIF_VERSION): string {
  const dist = ohifDistDir(version);
  if (existsSync(join(dist, 'index.html'))) return dist;

  const cache = ohifCacheDir(version);
  mkdirSync(cache, { recursive: true });
  // Extract into a scratch folder first, so an interrupted run never leaves a
  // half-extracted package that a later run would mistake for a complete one.
  const scratch = join(cache, `.tmp-${process.pid}`);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch);
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    process.stderr.write(`npm pack @ohif/app@${version} (about 30 MB) ...\n`);
    const out = execFileSync(npm, ['pack', `@ohif/app@${version}`, '--silent', '--pack-destination', scratch], {
      cwd: scratch,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const tarball = out.trim().split('\n').pop() ?? '';
    const tgz = join(scratch, tarball);
    if (!tarball.endsWith('.tgz') || !existsSync(tgz)) {
      throw new Error(`npm pack did not produce a tarball (printed: ${JSON.stringify(out)})`);
    }
    execFileSync('tar', ['-xzf', tgz, '-C', scratch], { stdio: 'inherit' });
    if (!existsSync(join(scratch, 'package', 'dist', 'index.html'))) {
      throw new Error(`@ohif/app@${version} has no dist/index.html`);
    }
    rmSync(join(cache, 'package'), { recursive: true, force: true });
    renameSync(join(scratch, 'package'), join(cache, 'package'));
    renameSync(tgz, join(cache, tarball));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return dist;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const version = process.argv[2] ?? DEFAULT_OHIF_VERSION;
  console.log(fetchOhif(version));
}
