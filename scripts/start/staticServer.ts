import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

/** MIME types the viewer, ONNX Runtime and the DICOM loader need exactly. */
export const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.dcm': 'application/dicom',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

/** COOP/COEP make the page cross-origin isolated: SharedArrayBuffer, hence multi-threaded WASM. */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;

export interface Mount {
  /** URL prefix ending in "/", e.g. "/mammo-denoise/". */
  readonly prefix: string;
  readonly dir: string;
}

export interface StaticServerOptions {
  readonly mounts: readonly Mount[];
  /** Served for unknown extension-less paths (the viewer's client-side routes). */
  readonly spaIndex: string;
  /** In-memory files by URL path (e.g. the generated app-config.js). */
  readonly generated: ReadonlyMap<string, { body: string; type: string }>;
  /** Requests under these prefixes are handled here first (e.g. a PACS proxy). */
  readonly handlers?: ReadonlyArray<{ prefix: string; handle(req: IncomingMessage, res: ServerResponse): void }>;
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { ...ISOLATION_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

function sendFile(req: IncomingMessage, res: ServerResponse, path: string): void {
  const size = statSync(path).size;
  res.writeHead(200, {
    ...ISOLATION_HEADERS,
    'Content-Type': MIME[extname(path).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': size,
    'Cache-Control': 'no-cache',
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(path).pipe(res);
}

/** Resolves a URL path inside a mount, refusing anything that escapes it. */
function inside(dir: string, rest: string): string | null {
  const path = normalize(join(dir, decodeURIComponent(rest)));
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep) ? path : null;
}

export function createStaticServer(options: StaticServerOptions): Server {
  const mounts = [...options.mounts]
    .map((m) => ({ prefix: m.prefix, dir: resolve(m.dir) }))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const handler = options.handlers?.find((h) => url.pathname.startsWith(h.prefix));
    if (handler) return handler.handle(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
    const generated = options.generated.get(url.pathname);
    if (generated) return send(res, 200, generated.body, generated.type);
    for (const mount of mounts) {
      if (!url.pathname.startsWith(mount.prefix)) continue;
      const path = inside(mount.dir, url.pathname.slice(mount.prefix.length) || 'index.html');
      if (path && existsSync(path) && statSync(path).isFile()) return sendFile(req, res, path);
      if (path && existsSync(join(path, 'index.html'))) return sendFile(req, res, join(path, 'index.html'));
    }
    if (!extname(url.pathname)) return sendFile(req, res, options.spaIndex);
    return send(res, 404, `not found: ${url.pathname}`);
  });
}
