#!/usr/bin/env node
/**
 * npm run build: the deployable folder for an existing OHIF 3.x (issue 4).
 * The same webpack build as npm start (buildBundles), written to
 * build/mammo-denoise/, then checked (bundles, worker, onnxruntime-web
 * files, every model with its sha256 against its card), with the app config
 * fragment and a short DEPLOY.md beside it; sizes are printed at the end.
 */
import { Command } from 'commander';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseModelCard, parseModelIndex, MODEL_CACHE_NAME } from '@mammo-denoise/core';
import { buildBundles } from '../start/start';
import { appConfigFragment, normalisePrefix } from './deployFragment';
import { deployReadme } from './deployReadme';

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** onnxruntime-web 1.30's WebGPU build runs both providers on this runtime (see .webpack/). */
export const ORT_RUNTIME_FILES = [
  'ort-wasm-simd-threaded.asyncify.wasm',
  'ort-wasm-simd-threaded.asyncify.mjs',
] as const;

export interface DeployBuild {
  readonly dir: string;
  readonly files: ReadonlyArray<{ path: string; bytes: number }>;
  readonly models: ReadonlyArray<{ id: string; sha256: string }>;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** Fails the build, naming what is missing or wrong, rather than ship a folder that cannot work. */
function checkDeployable(dir: string): DeployBuild['models'] {
  const missing = (path: string) => !existsSync(join(dir, path));
  const required = [
    'extension/index.js',
    'mode/index.js',
    ...ORT_RUNTIME_FILES.map((f) => `extension/ort/${f}`),
    'extension/models/index.json',
  ];
  const absent = required.filter(missing);
  if (absent.length) throw new Error(`the build lacks ${absent.join(', ')}`);
  if (!readdirSync(join(dir, 'extension')).some((f) => /^mammo-denoise\.[0-9a-f]+\.js$/.test(f)))
    throw new Error('the build lacks the denoising worker (extension/mammo-denoise.<hash>.js)');
  const modelsDir = join(dir, 'extension', 'models');
  const index = parseModelIndex(JSON.parse(readFileSync(join(modelsDir, 'index.json'), 'utf8')), 'models/index.json');
  return index.models.map((entry) => {
    for (const f of [entry.card, entry.onnx])
      if (!existsSync(join(modelsDir, f)))
        throw new Error(`models/index.json lists ${f}, which is not in the models folder`);
    const card = parseModelCard(JSON.parse(readFileSync(join(modelsDir, entry.card), 'utf8')), entry.card);
    const sha256 = createHash('sha256')
      .update(readFileSync(join(modelsDir, entry.onnx)))
      .digest('hex');
    if (sha256 !== card.onnx.sha256)
      throw new Error(
        `${entry.onnx} has sha256 ${sha256}, but its card says ${card.onnx.sha256}: the viewer would refuse it`,
      );
    return { id: entry.id, sha256 };
  });
}

export function buildDeployable(options: { out: string; models: string; prefix: string }): DeployBuild {
  const dir = resolve(options.out);
  const prefix = normalisePrefix(options.prefix);
  if (!existsSync(join(options.models, 'index.json')))
    throw new Error(`${options.models} has no index.json: nothing to deploy as the model`);
  rmSync(dir, { recursive: true, force: true });
  buildBundles(resolve(options.models), dir);
  const models = checkDeployable(dir);
  writeFileSync(join(dir, 'app-config.fragment.js'), appConfigFragment(prefix));
  writeFileSync(join(dir, 'DEPLOY.md'), deployReadme({ prefix, models, cacheName: MODEL_CACHE_NAME }));
  const files = listFiles(dir)
    .map((path) => ({ path: relative(dir, path), bytes: statSync(path).size }))
    .sort((a, b) => a.path.localeCompare(b.path));
  return { dir, files, models };
}

const mib = (bytes: number): string =>
  bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

export function sizeReport(build: DeployBuild): string {
  const group = (path: string): string =>
    path.includes('/ort/')
      ? 'onnxruntime-web runtime (extension/ort/)'
      : path.includes('/models/')
        ? 'models (extension/models/)'
        : path.endsWith('.map')
          ? 'source maps (optional)'
          : path.startsWith('mode/')
            ? 'mode bundle'
            : path.startsWith('extension/')
              ? 'extension bundles and worker'
              : 'guide and app config fragment';
  const totals = new Map<string, number>();
  for (const f of build.files) totals.set(group(f.path), (totals.get(group(f.path)) ?? 0) + f.bytes);
  const all = build.files.reduce((n, f) => n + f.bytes, 0);
  const lines = [...totals].map(([name, bytes]) => `  ${mib(bytes).padStart(10)}  ${name}`);
  return [`${build.dir} (${build.files.length} files):`, ...lines, `  ${mib(all).padStart(10)}  total`].join('\n');
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const program = new Command()
    .name('npm run build --')
    .description(
      'Write the deployable folder for an existing OHIF 3.x: extension and mode bundles, ' +
        'worker, onnxruntime-web files, models, app config fragment',
    )
    .option('--out <dir>', 'output folder', join(repoRoot, 'build', 'mammo-denoise'))
    .option('--models <dir>', 'models folder (index.json, cards, .onnx)', join(repoRoot, 'models'))
    .option(
      '--prefix <path>',
      'URL path the folder will be served at, used in app-config.fragment.js',
      '/mammo-denoise/',
    )
    .action((opts: { out: string; models: string; prefix: string }) => {
      const cwd = process.env.INIT_CWD ?? process.cwd();
      const build = buildDeployable({
        out: resolve(cwd, opts.out),
        models: resolve(cwd, opts.models),
        prefix: opts.prefix,
      });
      const models = build.models.map((m) => `${m.id} (sha256 ${m.sha256.slice(0, 12)}…, matches its card)`);
      console.log(`models: ${models.join(', ')}`);
      console.log(sizeReport(build));
      console.log(
        `next: copy the folder so the viewer serves it at ${normalisePrefix(opts.prefix)}, ` +
          'and append app-config.fragment.js to its app config (DEPLOY.md).',
      );
    });
  try {
    program.parse();
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
