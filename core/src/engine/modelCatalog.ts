import type { ModelDefaults } from './defaultModel';
import {
  ModelConfigError,
  parseModelCard,
  parseModelIndex,
  type ModelCard,
  type ModelDefaultsByKind,
} from '../contract/modelCard';

/** A model the viewer can offer: where its bytes are and what they must hash to. */
export interface CatalogModel {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly onnxUrl: string;
  /** From the card, unless the app config pins another. */
  readonly sha256: string;
  readonly card: ModelCard;
}

export interface ModelCatalog {
  readonly defaultId: string;
  /** The index's default per kind of image (defaultModelFor reads it through `catalogDefaults`). */
  readonly defaultsByKind: ModelDefaultsByKind;
  /** The default model first. */
  readonly models: readonly CatalogModel[];
}

async function fetchJson(url: string, what: string, fetchImpl: typeof fetch): Promise<unknown> {
  let response: Response;
  try {
    response = await fetchImpl(url);
  } catch (error) {
    throw new ModelConfigError(`${what} ${url} could not be fetched: ${(error as Error).message}`);
  }
  if (!response.ok) throw new ModelConfigError(`${what} ${url} could not be fetched: HTTP ${response.status}`);
  try {
    return await response.json();
  } catch {
    throw new ModelConfigError(`${what} ${url} is not valid JSON`);
  }
}

/**
 * Reads models/index.json (or a deployed copy) and each model's card. File
 * names in the index resolve against the index's URL. `pinnedSha256` (from the
 * app config) overrides a card's hash, so an admin can pin the exact model.
 */
export async function loadModelCatalog(
  indexUrl: string,
  options: { pinnedSha256?: Readonly<Record<string, string>>; fetchImpl?: typeof fetch } = {},
): Promise<ModelCatalog> {
  const fetchImpl = options.fetchImpl ?? fetch;
  const index = parseModelIndex(await fetchJson(indexUrl, 'model index', fetchImpl), indexUrl);
  const models = await Promise.all(
    index.models.map(async (entry): Promise<CatalogModel> => {
      const cardUrl = new URL(entry.card, indexUrl).href;
      const card = parseModelCard(await fetchJson(cardUrl, 'model card', fetchImpl), cardUrl);
      if (card.id !== entry.id)
        throw new ModelConfigError(`${cardUrl} describes model "${card.id}", but the index lists it as "${entry.id}"`);
      const pinned = options.pinnedSha256?.[entry.id];
      if (pinned !== undefined && !/^[0-9a-f]{64}$/.test(pinned))
        throw new ModelConfigError(`pinned sha256 for "${entry.id}" is not 64 lowercase hex digits`);
      return {
        id: entry.id,
        name: card.name,
        version: card.version,
        onnxUrl: new URL(entry.onnx, indexUrl).href,
        sha256: pinned ?? card.onnx.sha256,
        card,
      };
    }),
  );
  models.sort((a, b) => (a.id === index.default ? -1 : b.id === index.default ? 1 : 0));
  return { defaultId: index.default, defaultsByKind: index.defaults ?? {}, models };
}

/** A catalog's defaults in the form defaultModelFor takes. */
export const catalogDefaults = (catalog: ModelCatalog): ModelDefaults => ({
  default: catalog.defaultId,
  defaults: catalog.defaultsByKind,
});
