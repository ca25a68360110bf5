/**
 * WORKAROUND. Upstream issue: no upstream issue found (searched 2026-12-03) for the DICOM image loader keeping
 *   every loaded file's pixel bytes in the metadata cache. Related, not the same:
 *   cornerstonejs/cornerstoneWADOImageLoader#225 (decoding through workers doubles memory; see decoderWorkersIdle.ts).
 * Delete when: the loader drops a single-frame file's pixel bytes once the frame is decoded, or lets them go with
 *   the image (re-check on each OHIF upgrade: `wadouri/loadImage.js` `loadImageFromNaturalizedMetadata` puts the file
 *   in @cornerstonejs/metadata's NATURALIZED cache and never removes it).
 *
 * Memory workaround (@cornerstonejs/dicom-image-loader 5.x as bundled by
 * OHIF 3.13.2): for file URLs (OHIF's dicomjson source) the
 * loader naturalizes each fetched Part 10 file into the metadata cache and
 * decodes the frame from the cached PixelData. The cache keeps that PixelData
 * for the page's life, beside the decoded image: a second 53 MB for a
 * 5355x4915 16-bit mammogram, 212 MB for a four-view exam (issue 16's probe).
 * So once a single-frame image is loaded, its cached PixelData is let go: the
 * rest of the header stays for the metadata readers. When the image leaves
 * Cornerstone's cache (eviction, or OHIF purging it on leaving the mode), the
 * loader would find no pixels to decode the next time, so the file is fetched
 * again then and its PixelData put back, and the image loads as before.
 *
 * Limits: a reload in the moment between the eviction and the refetch fails
 * with the loader's own error (never wrong pixels); multi-frame files are left
 * whole, and so are compressed ones; an evicted image's file is held again until it is shown (as without
 * this workaround).
 */
import { Enums, eventTarget } from '@cornerstonejs/core';
import { readPart10 } from '@mammo-denoise/core';

/** The naturalized instance the loader caches and hands over as `image.data`: the fields this reads and changes. */
export interface NaturalizedInstance {
  PixelData?: unknown;
  NumberOfFrames?: unknown;
  TransferSyntaxUID?: unknown;
}

/**
 * Where a released image's file is: the URL of a `dicomweb:` image id (OHIF's dicomjson source), or null. `wadouri:`
 * ids are left alone: a WADO-URI server may need the loader's own request headers, which a refetch here lacks.
 */
export function fileUrlOf(imageId: string): string | null {
  const match = /^dicomweb:(.+)$/.exec(imageId);
  if (!match?.[1]) return null;
  return match[1].replace(/[?&]frame=\d+$/, '');
}

/** Native (uncompressed) little-endian syntaxes: the files whose pixel bytes are as large as the decoded image. */
const NATIVE_SYNTAXES = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1']);

/**
 * Whether this image's cached file may let its pixels go: a naturalized single-frame instance that has them, in a
 * native syntax. Compressed files are left whole: they are a fraction of the image's size, and their fragments'
 * layout in the loader's reader is not one this workaround re-creates on a refetch.
 */
export function releasable(data: unknown): data is NaturalizedInstance {
  if (!data || typeof data !== 'object' || !('PixelData' in data)) return false;
  const { PixelData, NumberOfFrames, TransferSyntaxUID } = data as NaturalizedInstance;
  return (
    Array.isArray(PixelData) &&
    PixelData.length === 1 &&
    // One frame: the reader gives it as a list of buffers ([[ArrayBuffer]]), dcmjs's readFile as one buffer.
    (PixelData[0] instanceof ArrayBuffer || Array.isArray(PixelData[0])) &&
    (NumberOfFrames === undefined || Number(NumberOfFrames) <= 1) &&
    NATIVE_SYNTAXES.has(String(TransferSyntaxUID))
  );
}

export interface FileRelease {
  /** Images whose cached PixelData was let go, by image id. */
  readonly released: ReadonlyMap<string, NaturalizedInstance>;
  /** Settles when every refetch started so far has put its PixelData back. */
  settled(): Promise<void>;
  uninstall(): void;
}

/** How a released file is read again (fetch in the browser; tests hand in their own). */
export type FetchFile = (url: string) => Promise<ArrayBuffer>;

const fetchFile: FetchFile = async (url) => {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.arrayBuffer();
};

/**
 * From now on each loaded single-frame file image lets its cached PixelData
 * go, and gets it back by refetching the file when the image leaves
 * Cornerstone's cache. `warn` hears of a refetch that failed.
 */
export function installLoaderFileRelease(
  warn: (message: string) => void = (message) => console.warn(message),
  fetchBytes: FetchFile = fetchFile,
): FileRelease {
  const released = new Map<string, NaturalizedInstance>();
  const pending = new Set<Promise<void>>();
  const onLoaded = (event: Event) => {
    const image = (event as CustomEvent<{ image?: { imageId?: string; data?: unknown } }>).detail?.image;
    if (!image?.imageId || !fileUrlOf(image.imageId) || !releasable(image.data)) return;
    released.set(image.imageId, image.data);
    delete image.data.PixelData;
  };
  const onRemoved = (event: Event) => {
    const imageId = (event as CustomEvent<{ imageId?: string }>).detail?.imageId;
    const instance = imageId ? released.get(imageId) : undefined;
    const url = imageId ? fileUrlOf(imageId) : null;
    if (!imageId || !instance || !url) return;
    released.delete(imageId);
    const refetch = fetchBytes(url)
      .then((buffer) => {
        instance.PixelData = readPart10(new Uint8Array(buffer)).PixelData;
      })
      .catch((error: unknown) =>
        warn(
          `${url}: could not read the file again after its image left the cache (${String(error)}); ` +
            'it will fail to load until the page is reloaded. Other images are unaffected.',
        ),
      )
      .finally(() => pending.delete(refetch));
    pending.add(refetch);
  };
  eventTarget.addEventListener(Enums.Events.IMAGE_LOADED, onLoaded);
  eventTarget.addEventListener(Enums.Events.IMAGE_CACHE_IMAGE_REMOVED, onRemoved);
  return {
    released,
    settled: async () => {
      while (pending.size > 0) await Promise.all(pending);
    },
    uninstall: () => {
      eventTarget.removeEventListener(Enums.Events.IMAGE_LOADED, onLoaded);
      eventTarget.removeEventListener(Enums.Events.IMAGE_CACHE_IMAGE_REMOVED, onRemoved);
    },
  };
}
