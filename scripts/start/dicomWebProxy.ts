import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ISOLATION_HEADERS } from './staticServer';

/**
 * Serves a PACS's DICOMweb API same-origin under a local prefix (Orthanc sends
 * no CORS headers, and a cross-origin-isolated page needs every response to
 * be same-origin or CORP-marked). JSON answers have the PACS's absolute URLs
 * (BulkDataURI, RetrieveURL) rewritten to the proxy's, so the viewer never
 * talks to the PACS directly. The authorization value, if configured, is added
 * here and is never logged or echoed.
 */

export interface DicomWebProxyOptions {
  /** The PACS's DICOMweb root, e.g. http://127.0.0.1:8042/dicom-web */
  readonly upstream: string;
  /** URL prefix served locally, e.g. "/dicomweb/" (must end in "/"). */
  readonly prefix: string;
  /** Authorization header value sent to the PACS on every request. */
  readonly authorization?: string;
}

// Hop-by-hop headers (RFC 9110 7.6.1) and those the proxy sets itself.
const DROPPED_REQUEST = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'accept-encoding',
  'origin',
  'referer',
  'cookie',
]);
const DROPPED_RESPONSE = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'trailer',
  'content-length',
  'access-control-allow-origin',
]);

export function createDicomWebProxy(options: DicomWebProxyOptions): {
  prefix: string;
  handle(req: IncomingMessage, res: ServerResponse): void;
} {
  const upstream = new URL(options.upstream.replace(/\/+$/, ''));
  const upstreamRoot = upstream.href.replace(/\/+$/, '');
  if (upstream.protocol !== 'http:' && upstream.protocol !== 'https:')
    throw new Error(`--dicomweb ${options.upstream}: only http and https URLs are supported`);
  if (!options.prefix.startsWith('/') || !options.prefix.endsWith('/'))
    throw new Error(`the DICOMweb proxy prefix must start and end with "/" (got ${options.prefix})`);
  const send = upstream.protocol === 'https:' ? httpsRequest : httpRequest;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const rest = (req.url ?? '/').slice(options.prefix.length - 1); // keeps the leading "/"
    const target = new URL(upstreamRoot + rest);
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers as IncomingHttpHeaders)) {
      if (value !== undefined && !DROPPED_REQUEST.has(name)) headers[name] = value;
    }
    if (options.authorization) headers.authorization = options.authorization;
    const publicRoot = `http://${req.headers.host ?? 'localhost'}${options.prefix.replace(/\/$/, '')}`;

    const outgoing = send(target, { method: req.method, headers }, (answer) => {
      const responseHeaders: Record<string, string | string[]> = { ...ISOLATION_HEADERS };
      for (const [name, value] of Object.entries(answer.headers)) {
        if (value !== undefined && !DROPPED_RESPONSE.has(name)) responseHeaders[name] = value;
      }
      const type = String(answer.headers['content-type'] ?? '');
      if (/json/i.test(type)) {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const body = Buffer.from(Buffer.concat(chunks).toString('utf8').split(upstreamRoot).join(publicRoot), 'utf8');
          res.writeHead(answer.statusCode ?? 502, { ...responseHeaders, 'content-length': String(body.length) });
          res.end(body);
        });
        answer.on('error', () => res.destroy());
      } else {
        if (answer.headers['content-length']) responseHeaders['content-length'] = answer.headers['content-length'];
        res.writeHead(answer.statusCode ?? 502, responseHeaders);
        answer.pipe(res);
      }
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(502, {
        ...ISOLATION_HEADERS,
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(
        JSON.stringify({
          Message: `the PACS at ${upstreamRoot} could not be reached (${error.code ?? error.message})`,
          Details: 'the viewer keeps working; saving and loading from this PACS do not',
        }),
      );
    });
    req.pipe(outgoing);
  };
  return { prefix: options.prefix, handle };
}
