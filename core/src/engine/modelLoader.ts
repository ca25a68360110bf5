/**
 * Fetches a model, checks it against the sha256 from its card (or the app
 * config), and keeps it in Cache Storage so the next visit loads it offline.
 * A cached copy whose hash no longer matches is discarded, never used.
 */

export const MODEL_CACHE_NAME = 'mammo-denoise-models-v1';

export class ModelLoadError extends Error {
  constructor(
    message: string,
    readonly kind: 'network' | 'integrity' | 'config',
  ) {
    super(message);
    this.name = 'ModelLoadError';
  }
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export interface LoadedModel {
  readonly bytes: Uint8Array;
  readonly fromCache: boolean;
}

/** The subset of the Cache Storage API used here (absent in Node and on insecure origins). */
interface CacheLike {
  match(request: string): Promise<Response | undefined>;
  put(request: string, response: Response): Promise<void>;
  delete(request: string): Promise<boolean>;
}

async function openCache(): Promise<CacheLike | null> {
  try {
    return typeof caches === 'undefined' ? null : await caches.open(MODEL_CACHE_NAME);
  } catch {
    // Opaque origins and some private modes refuse Cache Storage; we then just fetch.
    return null;
  }
}

export async function loadModel(
  url: string,
  expectedSha256: string,
  fetchImpl: typeof fetch = fetch,
): Promise<LoadedModel> {
  if (!/^[0-9a-f]{64}$/.test(expectedSha256))
    throw new ModelLoadError(`model ${url}: expected sha256 "${expectedSha256}" is not 64 hex digits`, 'config');
  const cache = await openCache();
  // The hash is part of the key: a new model version never reuses an old entry.
  const key = `${url}#sha256=${expectedSha256}`;
  const cached = await cache?.match(key);
  if (cached) {
    const bytes = new Uint8Array(await cached.arrayBuffer());
    if ((await sha256Hex(bytes)) === expectedSha256) return { bytes, fromCache: true };
    await cache?.delete(key);
  }
  let response: Response;
  try {
    response = await fetchImpl(url);
  } catch (error) {
    throw new ModelLoadError(`model ${url} could not be downloaded: ${(error as Error).message}`, 'network');
  }
  if (!response.ok)
    throw new ModelLoadError(
      `model ${url} could not be downloaded: HTTP ${response.status} ${response.statusText}`,
      'network',
    );
  const bytes = new Uint8Array(await response.arrayBuffer());
  const actual = await sha256Hex(bytes);
  if (actual !== expectedSha256) {
    throw new ModelLoadError(
      `model ${url} failed its integrity check: sha256 ${actual}, ` +
        `expected ${expectedSha256} (a wrong file or a changed model; nothing was cached)`,
      'integrity',
    );
  }
  await cache?.put(key, new Response(bytes, { headers: { 'Content-Type': 'application/octet-stream' } }));
  return { bytes, fromCache: false };
}
