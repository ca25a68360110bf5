import {
  DenoiseClient,
  EngineError,
  type WorkerLike,
  defaultModelFor,
  catalogDefaults,
  loadModelCatalog,
  type CatalogModel,
  type ModelCatalog,
  DEFAULT_STRENGTH,
  strengthProblem,
  tilingFor,
  type DenoiseProgress,
  type DenoiseResult,
  type EngineReady,
  type StoredImage,
} from '@mammo-denoise/core';
import type { DenoiseConfiguration } from '../config';
import { parseRunId, runId } from './denoisedImageIds';

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
  /** The model the user picked (picker or M); null: each image gets its kind's default. */
  private selected: string | null = null;
  private strength = DEFAULT_STRENGTH;
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

  /** The picked model, or the index's plain default (what the picker ticks when no image is in view). */
  selectedModel(): CatalogModel | null {
    return this.modelFor(null);
  }

  /**
   * The model Denoise uses for an image: the user's pick, else the index's
   * default for the image's kind (defaultModelFor: BitsStored ≤ 8 film, more
   * digital); null image (none in view): the plain default.
   */
  modelFor(image: { readonly bitsStored: number } | null): CatalogModel | null {
    if (this.state.status !== 'ready') return null;
    const { catalog } = this.state;
    return this.model(this.selected ?? (image ? defaultModelFor(catalogDefaults(catalog), image) : catalog.defaultId));
  }

  /** A model by id, or by run id ("<model>@<strength>"). */
  model(id: string): CatalogModel | null {
    const { modelId } = parseRunId(id);
    return this.models().find((m) => m.id === modelId) ?? null;
  }

  takesNoiseMap(id: string): boolean {
    return Boolean(this.model(id)?.card.io.noiseMapInputName);
  }

  /** The run id a model is shown under now: with the current strength where the model takes a noise map. */
  runIdOf(modelId: string): string {
    const { modelId: id } = parseRunId(modelId);
    return runId(id, this.takesNoiseMap(id) ? this.strength : undefined);
  }

  currentStrength(): number {
    return this.strength;
  }

  /** Strength for noise-conditioned models from now on (each value's images are cached apart). */
  setStrength(strength: number): void {
    const problem = strengthProblem(strength);
    if (problem) throw new Error(problem);
    this.strength = strength;
    this.emit();
  }

  selectModel(id: string): void {
    const model = this.model(id);
    if (!model) throw new Error(`unknown model "${id}"`);
    this.selected = model.id;
    this.emit();
  }

  engineFor(modelId: string): EngineReady | null {
    return this.engines.get(parseRunId(modelId).modelId) ?? null;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * `modelId`: a model id or a run id; a run id's strength is the
   * strength it runs at (so an image id always means one output).
   */
  /**
   * `transferPixels`: the image's buffer is a copy made for this run, moved to the worker (see DenoiseRequestOptions).
   */
  async denoise(
    modelId: string,
    image: StoredImage,
    options: { signal?: AbortSignal; onProgress?: (p: DenoiseProgress) => void; transferPixels?: boolean },
  ): Promise<DenoiseResult> {
    const model = this.model(modelId);
    const { strength } = parseRunId(modelId);
    if (!model)
      throw new EngineError(
        this.state.status === 'unavailable' ? this.state.reason : `model "${modelId}" is not configured`,
        'config',
      );
    const client = this.clientFor(model);
    const ready = await client.start();
    if (!this.engines.has(model.id)) {
      this.engines.set(model.id, ready);
      this.emit();
    }
    return client.denoise(image, {
      ...tilingFor(model.card.io, this.config.tileSize),
      signal: options.signal,
      onProgress: options.onProgress,
      transferPixels: options.transferPixels,
      ...(strength !== undefined && model.card.io.noiseMapInputName ? { strength } : {}),
    });
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
        modelUrl: model.onnxUrl,
        sha256: model.sha256,
        inputName: model.card.io.inputName,
        outputName: model.card.io.outputName,
        noiseMapInputName: model.card.io.noiseMapInputName,
        executionProviders: this.config.executionProviders,
        wasmPaths: this.config.wasmPaths,
        numThreads: this.config.numThreads ?? undefined,
      });
      this.clients.set(model.id, client);
    }
    return client;
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
