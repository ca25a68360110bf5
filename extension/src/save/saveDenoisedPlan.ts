import type { ModelIdentity } from '@mammo-denoise/core';

/**
 * The decisions behind "Save denoised as new series", free of OHIF and
 * Cornerstone so they are tested in Node: where it goes, under which UIDs,
 * and where the source's Part 10 comes from.
 */

/** The parts of an OHIF data source configuration Save reads. */
export interface DataSourceConfig {
  readonly wadoRoot?: string;
  readonly supportsStow?: boolean;
}

export type SaveDestination =
  { readonly kind: 'stow'; readonly root: string } | { readonly kind: 'download'; readonly reason: string };

/**
 * Writable means what OHIF 3.13.2 means (its data source list uses
 * `supportsStow ?? wadoRoot`): an explicit supportsStow: false downloads.
 */
export function saveDestination(config: DataSourceConfig | null | undefined): SaveDestination {
  const root = config?.wadoRoot;
  if (!root) return { kind: 'download', reason: 'the active data source has no DICOMweb root (e.g. local files)' };
  if (config.supportsStow === false)
    return { kind: 'download', reason: 'the active data source is read-only (supportsStow: false)' };
  return { kind: 'stow', root };
}

/** Where a source image's own Part 10 file can be fetched without DICOMweb (wadouri-style image ids). */
export function part10UrlOf(imageId: string, base: string): string | null {
  const match = /^(?:dicomweb|wadouri|dicomfile-url):(.+)$/.exec(imageId);
  if (!match?.[1]) return null;
  // Strip a frame selector: the file is the whole instance.
  const url = new URL(match[1], base);
  url.searchParams.delete('frame');
  return url.href;
}

/** A file name that says what the file is, safe on every file system. */
export function downloadName(sourceDescription: string, sopInstanceUid: string, modelId: string): string {
  const stem =
    (sourceDescription.trim() || sopInstanceUid)
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 60) || 'image';
  return `${stem}-denoised-${modelId.replace(/[^A-Za-z0-9._-]+/g, '_')}.dcm`;
}

export function confirmResaveMessage(
  model: ModelIdentity,
  existing: { description: string; seriesNumber?: number },
): string {
  return (
    `This image was already saved denoised by ${model.id} ${model.version} (series ${existing.seriesNumber ?? '?'}, ` +
    `"${existing.description}"). Save another copy as a new series, or keep the existing one and save nothing?`
  );
}
