import type { CDPSession } from 'playwright-core';
import type { ViewerPage } from './viewerPage';

/**
 * Where a page's bytes are, so a memory regression says which part grew:
 * the main thread's V8 heap and ArrayBuffer backing stores (CDP
 * Runtime.getHeapUsage), what Cornerstone's image cache holds by kind, and
 * the page's workers. Workers' own memory (onnxruntime's WASM heap, the
 * decoders') is what the renderer's RSS holds beyond these.
 */
export interface MemoryBreakdown {
  readonly heapMb: number;
  readonly arrayBuffersMb: number;
  readonly cacheMb: number;
  readonly cached: Record<string, number>;
  readonly workers: number;
}

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

export async function openBreakdown(viewer: ViewerPage): Promise<() => Promise<MemoryBreakdown>> {
  const session: CDPSession = await viewer.context.newCDPSession(viewer.page);
  return async () => {
    const usage = (await session.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
    const cache = (await viewer.page.evaluate(`(() => {
      const cs = window.cornerstone;
      const cached = {};
      let bytes = 0;
      for (const id of cs.cache._imageCache ? cs.cache._imageCache.keys() : []) {
        const entry = cs.cache._imageCache.get(id);
        const kind =
          id.startsWith('denoised-difference:') ? 'difference' : id.startsWith('denoised:') ? 'denoised' : 'original';
        cached[kind] = (cached[kind] || 0) + 1;
        bytes += entry && entry.sizeInBytes ? entry.sizeInBytes : 0;
      }
      return { bytes: cs.cache.getCacheSize ? cs.cache.getCacheSize() : bytes, cached };
    })()`)) as { bytes: number; cached: Record<string, number> };
    return {
      heapMb: mb(usage.usedSize),
      arrayBuffersMb: mb(usage.backingStorageSize ?? 0),
      cacheMb: mb(cache.bytes),
      cached: cache.cached,
      workers: viewer.page.workers().length,
    };
  };
}

export const describeBreakdown = (b: MemoryBreakdown) =>
  `heap ${b.heapMb}, ArrayBuffers ${b.arrayBuffersMb}, Cornerstone cache ${b.cacheMb} (${
    Object.entries(b.cached)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ') || 'empty'
  }), ${b.workers} workers`;
