/**
 * Bounds the memory the extension's own images take in Cornerstone's cache:
 * denoised images and difference images each get a byte budget, and the least
 * recently used ones beyond it are removed, never one a viewport shows.
 *
 * Why: Cornerstone's cache evicts only at its own limit (OHIF's default is
 * gigabytes), and a 5355x4915 16-bit image is 53 MB in each form, so a
 * screening exam denoised, compared and differenced grew the page past 2 GB.
 * An evicted image is simply made again (denoised, or differenced from the
 * cached pair) when it is shown.
 */
export interface CacheBudget {
  readonly denoisedBytes: number;
  readonly differenceBytes: number;
}

/** Room for a four-view screening exam of 5355x4915 16-bit images denoised, and two differences of such images. */
export const DEFAULT_CACHE_BUDGET: CacheBudget = { denoisedBytes: 256 * 2 ** 20, differenceBytes: 128 * 2 ** 20 };

export type DerivedKind = 'denoised' | 'difference';

/** What of Cornerstone's cache this uses (injected, so it is tested without Cornerstone). */
export interface ImageStore {
  remove(imageId: string): void;
}

export class DerivedImageCache {
  /** Insertion order is use order: a use moves the id to the end. */
  private readonly entries = new Map<string, { kind: DerivedKind; bytes: number }>();

  constructor(
    private readonly store: ImageStore,
    /** Ids shown in a viewport now (or awaited by a command): never evicted. */
    private readonly inUse: () => ReadonlySet<string>,
    private readonly budget: CacheBudget = DEFAULT_CACHE_BUDGET,
  ) {}

  /** An image of ours entered Cornerstone's cache: count it, then evict beyond the budget. */
  added(imageId: string, kind: DerivedKind, bytes: number): void {
    this.entries.delete(imageId);
    this.entries.set(imageId, { kind, bytes });
    this.evict(kind);
  }

  /** It left the cache (evicted by us or by Cornerstone, or purged with the study). */
  removed(imageId: string): void {
    this.entries.delete(imageId);
  }

  /** Shown again: most recently used. */
  touch(imageId: string): void {
    const entry = this.entries.get(imageId);
    if (!entry) return;
    this.entries.delete(imageId);
    this.entries.set(imageId, entry);
  }

  bytes(kind: DerivedKind): number {
    let total = 0;
    for (const entry of this.entries.values()) if (entry.kind === kind) total += entry.bytes;
    return total;
  }

  private evict(kind: DerivedKind): void {
    const limit = kind === 'denoised' ? this.budget.denoisedBytes : this.budget.differenceBytes;
    let total = this.bytes(kind);
    if (total <= limit) return;
    const keep = this.inUse();
    for (const [imageId, entry] of [...this.entries]) {
      if (total <= limit) break;
      if (entry.kind !== kind || keep.has(imageId)) continue;
      this.entries.delete(imageId);
      total -= entry.bytes;
      this.store.remove(imageId);
    }
  }
}
