#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fetchOhif } from '../ohif/fetchOhif';
import { writeSampleStudy } from '../sample/sampleStudy';
import { writeMiasStudies } from '../sample/miasStudy';
import { SCREENING_PHANTOM, writeScreeningStudy } from '../sample/screeningStudy';
import { writeFfdmScreeningStudy } from '../sample/ffdmScreeningStudy';
import { defaultMiasPath } from '../../training/src/data/mias';
import { findStudies } from '@mammo-denoise/core';
import { dicomJsonDataSource, dicomWebDataSource, renderAppConfig } from './appConfig';
import { createDicomWebProxy } from './dicomWebProxy';
import { dicomJsonStudies, perStudyLists, scanDicomFolder, studyListPath } from './dicomJsonStudies';
import { createStaticServer } from './staticServer';

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface StartOptions {
  readonly port: number;
  readonly dicom?: string;
  readonly models: string;
  readonly build: boolean;
  /**
   * Folder holding ffdm-train.tar, to offer one real four-view exam from (default: ../shared/data/ffdm, if present).
   */
  readonly ffdm?: string;
  /** MIAS folder or archive to offer a few images from (default: the training default, if present). */
  readonly mias?: string;
  /** Overrides of the extension's configuration (app config `mammoDenoise`), e.g. providers and threads. */
  readonly extensionConfiguration?: Record<string, unknown>;
  /** A PACS's DICOMweb root: served same-origin under /dicomweb/ and made the default (writable) data source. */
  readonly dicomweb?: string;
  /** Authorization header value the proxy adds to every PACS request (never logged). */
  readonly dicomwebAuth?: string;
}

/** Where the PACS is served same-origin. */
export const DICOMWEB_PROXY_PREFIX = '/dicomweb/';

/**
 * Builds the extension and mode bundles (webpack, .webpack/) with the given
 * models folder, into `out` (npm start: dist/; npm run build: build/).
 */
export function buildBundles(models: string, out: string = join(repoRoot, 'dist', 'mammo-denoise')): string {
  execFileSync(
    process.execPath,
    [
      join(repoRoot, 'node_modules', 'webpack-cli', 'bin', 'cli.js'),
      '-c',
      join(repoRoot, '.webpack', 'webpack.config.mjs'),
    ],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, MAMMO_DENOISE_MODELS: models, MAMMO_DENOISE_OUT: out },
    },
  );
  return out;
}

export async function start(options: StartOptions) {
  const ohif = fetchOhif();
  const models = resolve(options.models);
  if (!existsSync(join(models, 'index.json')))
    console.warn(
      `warning: ${models} has no index.json, so no model is configured; the viewer will say so when Denoise is pressed`,
    );
  const bundles = join(repoRoot, 'dist', 'mammo-denoise');
  // The test runner builds the bundles once for all test files (tests/run.mjs): parallel
  // test processes rebuilding dist/ would race. The models folder is mounted, not bundled.
  const prebuilt = process.env.MAMMO_DENOISE_PREBUILT === '1';
  if ((options.build && !prebuilt) || !existsSync(join(bundles, 'extension', 'index.js'))) buildBundles(models);

  let studiesRoot: string;
  if (options.dicom) {
    studiesRoot = resolve(options.dicom);
    if (!existsSync(studiesRoot)) throw new Error(`--dicom ${studiesRoot} does not exist`);
  } else {
    studiesRoot = join(repoRoot, '.cache', 'sample');
    if (!existsSync(join(studiesRoot, 'phantom-L-CC.dcm'))) writeSampleStudy(studiesRoot);
    // A four-view screening study (RCC, LCC, RMLO, LMLO) for the screening layout, and the same patient's
    // exam of a year before (the Prior button hangs it under the current one).
    if (!existsSync(join(studiesRoot, 'screening', 'screening-LMLO.dcm')))
      writeScreeningStudy(join(studiesRoot, 'screening'));
    if (!existsSync(join(studiesRoot, 'screening-prior', 'screening-LMLO.dcm')))
      writeScreeningStudy(join(studiesRoot, 'screening-prior'), {
        uidRoot: '2.25.30115',
        studyDate: '20250102',
        phantom: { ...SCREENING_PHANTOM, seed: 'screening-prior' },
        description: 'Synthetic screening mammogram (four views), the year before',
      });
    // Where the real mammograms are, one real four-view exam whose views the viewer must guess.
    const ffdm = options.ffdm ?? join(repoRoot, '..', 'shared', 'data', 'ffdm');
    if (!existsSync(join(studiesRoot, 'ffdm-screening'))) {
      try {
        writeFfdmScreeningStudy(ffdm, join(studiesRoot, 'ffdm-screening'));
      } catch (error) {
        console.warn(`the real four-view exam from ${ffdm} is not offered: ${(error as Error).message.split('\n')[0]}`);
      }
    }
    // MIAS, where present, adds a few real film mammograms with and without added noise.
    const mias = options.mias ?? defaultMiasPath();
    if (existsSync(mias)) {
      try {
        await writeMiasStudies(join(studiesRoot, 'mias'), mias);
      } catch (error) {
        console.warn(`MIAS at ${mias} not offered: ${(error as Error).message.split('\n')[0]}`);
      }
    }
  }
  const scanned = scanDicomFolder(studiesRoot);
  const skipped = scanned.filter((f): f is { path: string; skipped: string } => 'skipped' in f);
  for (const f of skipped) console.warn(`skipped ${f.path}: ${f.skipped}`);
  // dcmjs's remarks on a file (e.g. a fixed-length AS of 6 bytes)
  // are said once per file, in words, not as its raw log lines.
  for (const f of scanned)
    if ('warnings' in f && f.warnings?.length)
      console.warn(
        `note: ${f.path} is readable, with ${f.warnings.length} ` +
          `header irregularit${f.warnings.length === 1 ? 'y' : 'ies'} ` +
          `(${f.warnings.slice(0, 2).join('; ')}${f.warnings.length > 2 ? '; …' : ''})`,
      );
  const index = dicomJsonStudies(scanned, studiesRoot, '/studies/files');
  if (index.studies.length === 0) throw new Error(`no readable DICOM image in ${studiesRoot}`);

  const proxy = options.dicomweb
    ? createDicomWebProxy({
        upstream: options.dicomweb,
        prefix: DICOMWEB_PROXY_PREFIX,
        ...(options.dicomwebAuth ? { authorization: options.dicomwebAuth } : {}),
      })
    : null;
  const appConfig = renderAppConfig({
    extensionUrl: '/mammo-denoise/extension/index.js',
    modeUrl: '/mammo-denoise/mode/index.js',
    extensionConfiguration: {
      modelIndexUrl: '/mammo-denoise/extension/models/index.json',
      ...options.extensionConfiguration,
    },
    dataSources: proxy ? [dicomWebDataSource(DICOMWEB_PROXY_PREFIX), dicomJsonDataSource] : [dicomJsonDataSource],
    defaultDataSourceName: proxy ? 'dicomweb' : 'dicomjson',
  });
  const server = createStaticServer({
    mounts: [
      { prefix: '/mammo-denoise/', dir: bundles },
      { prefix: '/mammo-denoise/extension/models/', dir: models },
      { prefix: '/studies/files/', dir: studiesRoot },
      { prefix: '/', dir: ohif },
    ],
    spaIndex: join(ohif, 'index.html'),
    generated: new Map([
      ['/app-config.js', { body: appConfig, type: 'text/javascript; charset=utf-8' }],
      ['/studies/index.json', { body: JSON.stringify(index), type: 'application/json; charset=utf-8' }],
      ...[...perStudyLists(index)].map(
        ([path, body]) => [path, { body, type: 'application/json; charset=utf-8' }] as const,
      ),
    ]),
    ...(proxy ? { handlers: [proxy] } : {}),
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolveListen());
  });
  const base = `http://localhost:${options.port}`;
  const studies = index.studies as Array<{
    StudyInstanceUID: string;
    StudyDescription: string;
    PatientID: string;
    NumInstances: number;
  }>;
  // The PACS's studies, when one is configured (its failure leaves the local ones working).
  let pacsStudies: Array<{
    StudyInstanceUID: string;
    StudyDescription: string;
    PatientID: string;
    NumInstances: number;
  }> = [];
  let pacsError: string | undefined;
  if (options.dicomweb) {
    try {
      pacsStudies = (
        await findStudies({
          root: options.dicomweb,
          ...(options.dicomwebAuth ? { authorization: options.dicomwebAuth } : {}),
        })
      ).map((s) => ({
        StudyInstanceUID: s.studyUid,
        StudyDescription: s.description,
        PatientID: s.patientId,
        NumInstances: s.instances ?? 0,
      }));
    } catch (error) {
      pacsError = (error as Error).message;
    }
  }
  return { server, base, studies, studiesRoot, skipped, pacsStudies, pacsError };
}

/**
 * The viewer URL that opens exactly one local study: its own study list
 * (`url=`), since OHIF's dicomjson source opens every study of the list it gets.
 */
export function studyUrl(base: string, studyInstanceUid: string, dataSource?: 'dicomjson'): string {
  const source = dataSource ? `&datasources=${dataSource}` : '';
  return `${base}/denoise?StudyInstanceUIDs=${studyInstanceUid}&url=${studyListPath(studyInstanceUid)}${source}`;
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const port = (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('must be a port number');
    return n;
  };
  const program = new Command()
    .name('npm start --')
    .description('Serve the prebuilt OHIF viewer with the Denoise extension and mode, and a sample mammography study')
    .option('--port <n>', 'port on localhost', port, 3000)
    .option('--dicom <folder>', 'serve your own DICOM files instead of the sample study')
    .option('--models <dir>', 'models folder (index.json, cards, .onnx)', join(repoRoot, 'models'))
    .option(
      '--mias <path>',
      'MIAS folder or archive to offer a few images from (default: $MIAS_DIR or ../shared/data/mias, if present)',
    )
    .option('--no-build', 'reuse the existing bundles in dist/')
    .option(
      '--dicomweb <url>',
      'a PACS DICOMweb root (e.g. http://127.0.0.1:8042/dicom-web): served same-origin, opened and saved to',
    )
    .option(
      '--dicomweb-auth <header>',
      'Authorization header value for the PACS (default: $DICOMWEB_AUTHORIZATION); never printed',
    )
    .action(async (opts: StartOptions) => {
      const auth = opts.dicomwebAuth ?? process.env.DICOMWEB_AUTHORIZATION;
      const { base, studies, studiesRoot, skipped, pacsStudies, pacsError } = await start({
        ...opts,
        ...(auth ? { dicomwebAuth: auth } : {}),
      });
      console.log(`\nOHIF with Denoise is running at ${base}`);
      console.log(
        `studies from ${studiesRoot}${skipped.length ? ` (${skipped.length} files skipped, listed above)` : ''}:`,
      );
      for (const s of studies) {
        console.log(`  ${s.StudyDescription || '(no description)'}, patient ${s.PatientID}, ${s.NumInstances} images`);
        console.log(`    ${studyUrl(base, s.StudyInstanceUID, opts.dicomweb ? 'dicomjson' : undefined)}`);
      }
      console.log(`worklist: ${base}/?url=/studies/index.json&mrn=${studies[0]?.PatientID ?? ''}`);
      if (opts.dicomweb) {
        console.log(
          `\nPACS ${opts.dicomweb}, served at ${base}${DICOMWEB_PROXY_PREFIX} ` +
            '(the default data source; Save stores there):',
        );
        if (pacsError) console.log(`  cannot list its studies: ${pacsError}`);
        for (const s of pacsStudies)
          console.log(
            `  ${s.StudyDescription || '(no description)'}, patient ${s.PatientID}: ` +
              `${base}/denoise?StudyInstanceUIDs=${s.StudyInstanceUID}`,
          );
        console.log(`  worklist: ${base}/`);
      }
      console.log('Ctrl+C stops the server.');
    });
  program.parseAsync().catch((error: unknown) => {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
