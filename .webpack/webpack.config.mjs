// Builds the OHIF extension and mode as ES modules that a stock, prebuilt
// OHIF 3.x loads at run time (app config `extensions` / `modes` URLs).
//
// - The host's Cornerstone is used, never a second copy: @cornerstonejs/core
//   and /tools are externals read from the globals the host sets
//   (window.cornerstone, window.cornerstoneTools). OHIF 3.13.2 bundles 5.6.8,
//   the version the types here are pinned to.
// - onnxruntime-web's WASM/JSEP binaries are copied next to the bundle (ort/)
//   and loaded from there at run time, not inlined.
// - models/ is copied beside the extension (models/index.json + cards + .onnx).
import CopyPlugin from 'copy-webpack-plugin';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = process.env.MAMMO_DENOISE_OUT ?? resolve(root, 'dist', 'mammo-denoise');
const modelsDir = process.env.MAMMO_DENOISE_MODELS ?? resolve(root, 'models');

const common = {
  mode: process.env.NODE_ENV === 'development' ? 'development' : 'production',
  devtool: 'source-map',
  experiments: { outputModule: true },
  resolve: {
    extensions: ['.ts', '.js', '.mjs', '.json'],
    // Use onnxruntime-web's build that fetches its .wasm/.mjs from env.wasm.wasmPaths.
    conditionNames: ['onnxruntime-web-use-extern-wasm', 'import', 'module', 'browser', 'default'],
  },
  module: {
    rules: [{ test: /\.ts$/, loader: 'esbuild-loader', options: { target: 'es2022' } }],
    // onnxruntime-web's loader import()s its runtime from wasmPaths on purpose.
    parser: { javascript: { importMeta: true, dynamicImportMode: 'eager' } },
  },
  externalsType: 'global',
  externals: {
    '@cornerstonejs/core': 'cornerstone',
    '@cornerstonejs/tools': 'cornerstoneTools',
  },
  performance: { hints: false },
  optimization: { minimize: process.env.NODE_ENV !== 'development' },
};

const library = (name) => ({
  path: resolve(out, name),
  filename: 'index.js',
  chunkFilename: '[name].[contenthash:8].js',
  library: { type: 'module' },
  chunkFormat: 'module',
  chunkLoading: 'import',
  publicPath: 'auto',
  globalObject: 'globalThis',
  uniqueName: `mammoDenoise_${name}`,
  clean: true,
});

export default [
  {
    ...common,
    name: 'extension',
    entry: resolve(root, 'extension', 'src', 'index.ts'),
    output: library('extension'),
    plugins: [
      new CopyPlugin({
        patterns: [
          // The WebGPU build of onnxruntime-web 1.30 runs both providers on its asyncify runtime.
          {
            from: resolve(
              root,
              'node_modules',
              'onnxruntime-web',
              'dist',
              'ort-wasm-simd-threaded.asyncify.{mjs,wasm}',
            ),
            to: 'ort/[name][ext]',
          },
          { from: resolve(modelsDir, '*.{json,onnx,md}'), to: 'models/[name][ext]', noErrorOnMissing: true },
        ],
      }),
    ],
  },
  {
    ...common,
    name: 'mode',
    entry: resolve(root, 'mode', 'src', 'index.ts'),
    output: library('mode'),
    // The mode finds the extension at run time beside itself (new URL('../extension/index.js', import.meta.url));
    // webpack must leave import.meta.url and that URL to the browser, not resolve them at build time.
    module: {
      ...common.module,
      parser: { javascript: { ...common.module.parser.javascript, importMeta: false, url: false } },
    },
  },
];
