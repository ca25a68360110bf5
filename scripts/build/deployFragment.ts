/**
 * The lines a PACS admin appends to a stock OHIF's app-config.js, written
 * into the deployable folder by `npm run build` and shown in docs/deploying.md. The
 * deploy test appends exactly this text to the stock app config, so the guide
 * is what is tested.
 */
export function appConfigFragment(prefix: string): string {
  return `// mammo-denoise: append these lines to the end of your OHIF app-config.js (after "window.config = {...};").
// Tested with the prebuilt OHIF 3.13.2. Research use only; not for primary diagnosis.
(() => {
  // The URL path where the mammo-denoise folder is served (same origin as the viewer).
  const mammoDenoise = '${prefix}';
  const config = window.config;
  config.extensions = [...(config.extensions || []), mammoDenoise + 'extension/index.js'];
  config.modes = [...(config.modes || []), mammoDenoise + 'mode/index.js'];
  config.mammoDenoise = {
    // The models index; the .onnx files and cards are found beside it. Each download is checked
    // against the sha256 in its card; pin one here to accept only that exact file:
    //   modelSha256: { 'mias-dae-paper': '<64 hex digits>' },
    modelIndexUrl: mammoDenoise + 'extension/models/index.json',
    executionProviders: ['webgpu', 'wasm'],
  };
  // OHIF 3.13 calls this on image load errors; keep your own if you have one.
  config.httpErrorHandler = config.httpErrorHandler || ((error) => console.warn('HTTP error', error && error.status));
})();
`;
}

/** Normalises a URL path prefix to "/…/". */
export function normalisePrefix(prefix: string): string {
  if (!/^\/[A-Za-z0-9._~\-/]*$/.test(prefix))
    throw new Error(`--prefix must be a URL path such as /mammo-denoise/, got "${prefix}"`);
  return prefix.endsWith('/') ? prefix : `${prefix}/`;
}
