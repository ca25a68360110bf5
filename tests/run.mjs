// One test command for the whole repository: finds every *.test.ts under tests/,
// runs them with Node's test runner (TypeScript through tsx), prints the spec
// report and a closing "N passed, N failed" line. Extra args filter file paths;
// TEST_NAME_PATTERN (a regular expression) filters test names.
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const filters = process.argv.slice(2);

function findTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'generated' || name === 'artifacts') return [];
    if (statSync(path).isDirectory()) return findTests(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = findTests(join(root, 'tests'))
  .filter((f) => filters.length === 0 || filters.some((p) => relative(root, f).includes(p)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}

// Browser tests share one build of the extension and mode bundles (dist/mammo-denoise):
// built here once, so test processes running in parallel never rebuild it under each other.
// Each test's server mounts its own models folder over the bundle's copy.
if (files.some((f) => f.includes(`${join('tests', 'e2e')}`)) && process.env.MAMMO_DENOISE_PREBUILT !== '1') {
  const started = Date.now();
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'webpack-cli', 'bin', 'cli.js'), '-c', join(root, '.webpack', 'webpack.config.mjs')],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, MAMMO_DENOISE_OUT: join(root, 'dist', 'mammo-denoise') },
    },
  );
  console.log(
    `built the extension and mode bundles for the browser tests in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  process.env.MAMMO_DENOISE_PREBUILT = '1';
}

// Each test file runs in its own Node process; tsx lets those load TypeScript.
process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import tsx`.trim();

let passed = 0;
let failed = 0;
const stream = run({
  files,
  concurrency: Number(process.env.TEST_CONCURRENCY ?? 2),
  timeout: Number(process.env.TEST_TIMEOUT_MS ?? 20 * 60 * 1000),
  // TEST_NAME_PATTERN=prior node tests/run.mjs tests/e2e/screening: only the tests whose name matches.
  ...(process.env.TEST_NAME_PATTERN ? { testNamePatterns: [new RegExp(process.env.TEST_NAME_PATTERN)] } : {}),
});
stream.on('test:pass', (e) => {
  if (e.details?.type !== 'suite' && !e.skip) passed += 1;
});
stream.on('test:fail', (e) => {
  if (e.details?.type !== 'suite') failed += 1;
});
const report = stream.compose(spec);
report.pipe(process.stdout, { end: false });
report.on('end', () => {
  process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
});
