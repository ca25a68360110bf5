/**
 * Behaviour check for refactors (issue 14): runs the batch tool (the engine on
 * onnxruntime-node) on the `npm start` sample study and prints one sha256 per
 * derived image's PixelData, plus one over all of them. A refactor that keeps
 * behaviour prints the same hashes before and after.
 *   npx tsx scripts/check/sampleOutputHash.ts [files or folders; default: the sample study]
 * It goes through the tool's bin (not its modules) so the same script runs on either layout.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import dcmjs from 'dcmjs';

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const sample = join(repoRoot, '.cache', 'sample');
const inputs =
  process.argv.length > 2
    ? process.argv.slice(2)
    : [join(sample, 'phantom-L-CC.dcm'), join(sample, 'phantom-L-MLO.dcm'), join(sample, 'mias', 'mdb033-0.dcm')];

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)]));
}

const out = mkdtempSync(join(tmpdir(), 'sample-hash-'));
try {
  execFileSync(
    process.execPath,
    [join(repoRoot, 'cli', 'bin', 'ohif-denoise.mjs'), ...inputs, '--out', out, '--threads', '1'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const all = createHash('sha256');
  for (const file of files(out)) {
    const bytes = readFileSync(file);
    const dataset = dcmjs.data.DicomMessage.readFile(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    );
    const pixels = dataset.dict['7FE00010']?.Value?.[0];
    if (!(pixels instanceof ArrayBuffer)) throw new Error(`${file} has no PixelData`);
    const hash = createHash('sha256').update(new Uint8Array(pixels)).digest('hex');
    all.update(hash);
    console.log(`${hash}  ${relative(out, file)}`);
  }
  console.log(`${all.digest('hex')}  all`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
