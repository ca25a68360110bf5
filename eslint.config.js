// ESLint flat config: typescript-eslint's recommended rules, the import
// boundaries of the layout (docs/architecture.md): core is framework-free,
// everything reaches core through its package doors, and only the extension
// (and its tests, through the extension's internals door) reach into the extension;
// and no line longer than Prettier's printWidth.
import Module from 'node:module';
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import globals from 'globals';

// typescript-eslint parses with TypeScript's JavaScript API. The project's
// compiler is TypeScript 7 (native), which has none; typescript-eslint 8 reads
// TypeScript < 6.1, installed as the dev dependency `typescript-eslint-ts-api`.
// Inside the ESLint process only, `typescript` resolves to it. Delete this
// once typescript-eslint runs on TypeScript 7 (its @typescript/native peer).
const require = Module.createRequire(import.meta.url);
const typescriptApi = require.resolve('typescript-eslint-ts-api');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'typescript' ? typescriptApi : resolveFilename.call(this, request, ...rest);
};
const { default: tseslint } = await import('typescript-eslint');

const CORE_PACKAGE_ONLY = {
  group: ['**/core/src/**', '@mammo-denoise/core/src/**'],
  message:
    'Import core by its package doors: @mammo-denoise/core, or @mammo-denoise/core/node for the Node-only decoder.',
};
const NOT_THE_EXTENSION = {
  group: ['**/extension/src/**', '@mammo-denoise/ohif-extension-denoise', '@mammo-denoise/ohif-extension-denoise/**'],
  message: 'Only the extension and its tests import the extension; shared code belongs in core.',
};
const FRAMEWORKS = {
  group: [
    '@ohif/*',
    'react',
    'react-dom',
    'react/*',
    '@cornerstonejs/core',
    '@cornerstonejs/core/**',
    '@cornerstonejs/tools',
    '@cornerstonejs/tools/**',
  ],
  message:
    'core is framework-free: no OHIF, React or Cornerstone ' +
    '(the @cornerstonejs/codec-* packages are plain codecs and allowed).',
};
const restrict = (...patterns) => ['error', { patterns }];
/** Prettier's printWidth (.prettierrc): Prettier breaks code there but leaves long strings and comments alone. */
const PRINT_WIDTH = 120;

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '.cache/**',
      'dist/**',
      'build/**',
      '.ohif/**',
      'models/**',
      'data/**',
      'training/runs/**',
      'training/checkpoints/**',
      'tests/fixtures/generated/**',
      'tests/artifacts/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node, ...globals.browser } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { '@stylistic': stylistic },
    rules: {
      // Every line, strings, template literals, regular expressions and comments included, fits the formatter's
      // width: long text is split (concatenation, a shorter comment line), never exempted.
      '@stylistic/max-len': ['error', { code: PRINT_WIDTH, tabWidth: 2 }],
      // tsc (noUnusedLocals/Parameters) already reports these; a leading _ marks an intended unused binding.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
      // Type-only imports stay visibly type-only (isolatedModules, and webpack's esbuild-loader drops them).
      // import('…') types stay allowed: ambient codec declarations and createRequire'd modules need them.
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      'no-restricted-imports': restrict(CORE_PACKAGE_ONLY, NOT_THE_EXTENSION),
    },
  },
  {
    files: ['core/**'],
    rules: {
      'no-restricted-imports': restrict(FRAMEWORKS, NOT_THE_EXTENSION, {
        group: ['**/training/**', '**/cli/**', '@mammo-denoise/training'],
        message: 'core depends on nothing of this repository.',
      }),
    },
  },
  {
    files: ['training/**'],
    rules: {
      'no-restricted-imports': restrict(CORE_PACKAGE_ONLY, NOT_THE_EXTENSION, FRAMEWORKS, {
        group: ['**/cli/**', '**/scripts/**', '**/bench/**'],
        message: 'training imports only the core package.',
      }),
    },
  },
  { files: ['extension/**'], rules: { 'no-restricted-imports': restrict(CORE_PACKAGE_ONLY) } },
  {
    files: ['tests/extension/**'],
    rules: {
      'no-restricted-imports': restrict(CORE_PACKAGE_ONLY, {
        group: ['**/extension/src/**'],
        message: 'Tests reach the extension through @mammo-denoise/ohif-extension-denoise/internals.',
      }),
    },
  },
  // Plain JavaScript entry points and configs: no TypeScript-only rules to apply.
  { files: ['**/*.{js,mjs,cjs}'], rules: { '@typescript-eslint/consistent-type-imports': 'off' } },
);
