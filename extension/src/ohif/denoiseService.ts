import { DenoiseClient, EngineError, type WorkerLike } from '../engine/client';
import { loadModelCatalog, type CatalogModel, type ModelCatalog } from '../engine/modelCatalog';
import { haloFor } from '../engine/tiling';
import type { DenoiseProgress, DenoiseResult, EngineReady, StoredImage } from '../engine/types';
import type { DenoiseConfiguration } from './config';

export type ServiceState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly catalog: ModelCatalog }
  | { readonly status: 'unavailable'; readonly reason: string };

type Listener = () => void;

/**
 * Owns the model catalog, the user's model choice and one engine client (one
 * worker) per model used. Everything OHIF-specific stays out: the commands and
 * image loader call it, the toolbar reads its state.
 */
export class DenoiseService {
  private state: ServiceState = { status: 'loading' };
  private selected: string | null = null;
  private readonly clients = new Map<string, DenoiseClient>();
  private readonly engines = new Map<string, EngineReady>();
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly config: DenoiseConfiguration,
    private readonly createWorker: () => WorkerLike,
  ) {}

  async init(): Promise<void> {
    try {
      const catalog = await loadModelCatalog(this.config.modelIndexUrl, { pinnedSha256: this.config.modelSha256 });
      this.state = { status: 'ready', catalog };
      this.selected = catalog.defaultId;
    } catch (error) {
      this.state = { status: 'unavailable', reason: (error as Error).message };
    }
    this.emit();
  }

  getState(): ServiceState {
    return this.state;
  }

  models(): readonly CatalogModel[] {
    return this.state.status === 'ready' ? this.state.catalog.models : [];
  }

  selectedModel(): CatalogModel | null {
    return this.models().find((m) => m.id === this.selected) ?? null;
  }

  model(id: string): CatalogModel | null {
    return this.models().find((m) => m.id === id) ?? null;
  }

  selectModel(id: string): void {
    if (!this.model(id)) throw new Error(`unknown model "${id}"`);
    this.selected = id;
    this.emit();
  }

  engineFor(modelId: string): EngineReady | null {
    return this.engines.get(modelId) ?? null;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async denoise(modelId: string, image: StoredImage, options: { signal?: AbortSignal; onProgress?: (p: DenoiseProgress) => void }): Promise<DenoiseResult> {
    const model = this.model(modelId);
    if (!model) throw new EngineError(this.state.status === 'unavailable' ? this.state.reason : `model "${modelId}" is not configured`, 'config');
    const client = this.clientFor(model);
    const ready = await client.start();
    if (!this.engines.has(model.id)) {
      this.engines.set(model.id, ready);
      this.emit();
    }
    return client.denoise(image, { tileSize: this.config.tileSize, halo: haloFor(model.card.io.receptiveFieldRadius), signal: options.signal, onProgress: options.onProgress });
  }

  dispose(): void {
    for (const client of this.clients.values()) client.stop();
    this.clients.clear();
    this.listeners.clear();
  }

  private clientFor(model: CatalogModel): DenoiseClient {
    let client = this.clients.get(model.id);
    if (!client) {
      client = new DenoiseClient(this.createWorker, {
        modelUrl: model.onnxUrl, sha256: model.sha256, inputName: model.card.io.inputName, outputName: model.card.io.outputName,
        executionProviders: this.config.executionProviders, wasmPaths: this.config.wasmPaths, numThreads: this.config.numThreads ?? undefined,
      });
      this.clients.set(model.id, client);
    }
    return client;
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
