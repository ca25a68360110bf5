/** The nginx MIME types the viewer's files need (inside the prefix's location block). */
const NGINX_TYPES =
  'types { application/wasm wasm; application/json json; text/javascript js mjs; application/octet-stream onnx; }';

/** DEPLOY.md inside the deployable folder: docs/deploying.md's guide, short, for whoever copies the folder. */
export function deployReadme(options: {
  prefix: string;
  models: ReadonlyArray<{ id: string; sha256: string }>;
  cacheName: string;
}): string {
  const { prefix } = options;
  return `# mammo-denoise for an existing OHIF 3.x

Denoise and Compare for mammograms, as an OHIF extension and mode loaded at run time. Tested with the
prebuilt OHIF 3.13.2 (\`@ohif/app\`). Research use only; not for primary diagnosis. Pixels never leave the
browser: the model runs in the viewer (onnxruntime-web, WebGPU or WASM); only the model files are downloaded.

## Install
1. Copy this folder so the viewer's web server serves it at \`${prefix}\` (same origin as OHIF), e.g. beside
   OHIF's index.html. (Built for that path with \`npm run build -- --prefix ${prefix}\`; use another prefix to rebuild,
   or edit the one line in the fragment.)
2. Append \`app-config.fragment.js\` to the end of the viewer's app config (app-config.js). It adds the
   extension and mode by URL, the \`mammoDenoise\` block and an \`httpErrorHandler\` if you have none.
3. Send these headers (multi-threaded WASM needs cross-origin isolation; without COOP/COEP it runs on one
   thread, slower but correct), and serve \`.wasm\` as \`application/wasm\`:

nginx:
\`\`\`
add_header Cross-Origin-Opener-Policy "same-origin" always;
add_header Cross-Origin-Embedder-Policy "require-corp" always;
location ${prefix} { ${NGINX_TYPES} }
\`\`\`
Apache:
\`\`\`
Header always set Cross-Origin-Opener-Policy "same-origin"
Header always set Cross-Origin-Embedder-Policy "require-corp"
AddType application/wasm .wasm
AddType text/javascript .mjs
\`\`\`
With COEP, every cross-origin resource the viewer loads (a PACS on another host, a model host) must send
\`Cross-Origin-Resource-Policy: cross-origin\` or CORS headers.

## Models
\`extension/models/\` holds index.json, each .onnx and its card. Each download is checked against the sha256 in
its card (or one pinned in the app config: \`mammoDenoise.modelSha256\`); a mismatch is refused with a message
and nothing is cached. Shipped here: ${options.models.map((m) => `${m.id} (sha256 ${m.sha256})`).join(', ')}.
To host the models elsewhere, point \`mammoDenoise.modelIndexUrl\` at that copy of index.json.

## Content-Security-Policy
Add \`'wasm-unsafe-eval'\` to \`script-src\`, allow the bundle's worker (\`worker-src 'self'\`), and the model
host in \`connect-src\` when it is not the viewer's origin. \`blob:\` (worker-src and script-src) is needed only
if these files are served from another origin than the viewer.

## Uninstall
Remove the appended lines from the app config and delete this folder. Browsers keep downloaded models in
Cache Storage under "${options.cacheName}" (removed by clearing the site's data).
`;
}
