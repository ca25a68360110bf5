import { cache, Enums, getEnabledElementByViewportId, imageLoader, type Types } from '@cornerstonejs/core';
import type { DenoiseProgress, DenoiseStats } from '../engine/types';
import { EngineError } from '../engine/client';
import { denoisedImageId, isDenoisedImageId, parseDenoisedImageId, sourceImageIdOf } from './cornerstone/denoisedImageIds';
import type { LoaderEvents } from './cornerstone/denoisedImageLoader';
import { NotPrefetchedError } from './cornerstone/denoisedImageLoader';
import type { DenoiseService } from './denoiseService';
import type { OhifServices } from './ohifTypes';
import { setViewportLabel } from './viewportLabel';

const PROVIDER_NAMES: Record<string, string> = { webgpu: 'WebGPU', wasm: 'WASM', cpu: 'CPU' };

/** The stack viewport API this controller uses (OHIF's MG viewports are stack viewports). */
type StackViewport = Types.IStackViewport;

function isStackViewport(viewport: unknown): viewport is StackViewport {
  const v = viewport as Partial<StackViewport> | null;
  return !!v && typeof v.getImageIds === 'function' && typeof v.setStack === 'function' && typeof v.getCurrentImageIdIndex === 'function';
}

/**
 * Turns denoising on and off per viewport, keeping camera and window/level,
 * and keeps each viewport's label and progress in step with the image loader.
 */
export class DenoiseController implements LoaderEvents {
  private readonly working = new Map<string, string>();
  /** Timing of each denoised image, shown on the label (and read by the benchmark). */
  private readonly lastStats = new Map<string, DenoiseStats>();

  constructor(
    private readonly service: DenoiseService,
    private readonly services: OhifServices,
  ) {}

  viewport(viewportId?: string): StackViewport | null {
    const id = viewportId ?? this.services.viewportGridService.getActiveViewportId();
    const viewport = getEnabledElementByViewportId(id)?.viewport;
    return isStackViewport(viewport) ? viewport : null;
  }

  /** The model a viewport shows, or null when it shows originals. */
  modelShown(viewport: StackViewport | null): string | null {
    const current = viewport?.getCurrentImageId();
    return current ? parseDenoisedImageId(current)?.modelId ?? null : null;
  }

  async toggle(viewportId?: string): Promise<void> {
    const viewport = this.viewport(viewportId);
    if (!viewport) {
      this.notify('Denoise needs a 2D image viewport', 'Select a viewport showing a mammogram. Nothing was changed.', 'warning');
      return;
    }
    if (this.modelShown(viewport)) await this.show(viewport, null);
    else await this.show(viewport, this.service.selectedModel()?.id ?? null, true);
  }

  /**
   * Shows `modelId`'s denoised images (null: the originals) in a viewport.
   * The current image is denoised first, on the original, so the switch is instant.
   */
  async show(viewport: StackViewport, modelId: string | null, explain = false): Promise<boolean> {
    const state = this.service.getState();
    if (modelId !== null && state.status !== 'ready') {
      this.notify('Denoise is unavailable', `${state.status === 'unavailable' ? state.reason : 'The models are still loading.'} The original image stays displayed.`, 'error');
      return false;
    }
    if (explain && modelId === null) {
      this.notify('Denoise is unavailable', 'No model is configured. The original image stays displayed.', 'error');
      return false;
    }
    const ids = viewport.getImageIds();
    const index = viewport.getCurrentImageIdIndex();
    const target = ids.map((id) => (modelId ? denoisedImageId(modelId, sourceImageIdOf(id)) : sourceImageIdOf(id)));
    const targetId = target[index];
    if (!targetId) return false;
    if (modelId) {
      try {
        this.working.set(targetId, viewport.id);
        await imageLoader.loadAndCacheImage(targetId, { priority: 0, requestType: Enums.RequestType.Interaction });
      } catch {
        // The loader has already told the user (onError); the original stays displayed.
        this.working.delete(targetId);
        return false;
      }
    } else {
      for (const id of ids) if (isDenoisedImageId(id) && !cache.getImage(id)) imageLoader.cancelLoadImage(id);
    }
    const camera = viewport.getCamera();
    const properties = viewport.getProperties();
    await viewport.setStack(target, index);
    viewport.setCamera(camera);
    viewport.setProperties(properties);
    viewport.render();
    this.refreshLabel(viewport);
    this.services.toolbarService.refreshToolbarState({ viewportId: viewport.id });
    return true;
  }

  refreshLabel(viewport: StackViewport): void {
    const modelId = this.modelShown(viewport);
    const model = modelId ? this.service.model(modelId) : null;
    const engine = modelId ? this.service.engineFor(modelId) : null;
    const stats = this.lastStats.get(viewport.getCurrentImageId());
    if (!modelId) setViewportLabel(viewport.element, { kind: 'hidden' });
    else {
      const provider = PROVIDER_NAMES[engine?.executionProvider ?? ''] ?? engine?.executionProvider ?? '';
      const time = stats ? ` · ${(stats.milliseconds / 1000).toFixed(1)} s` : '';
      setViewportLabel(viewport.element, { kind: 'denoised', text: `DENOISED · ${model?.name ?? modelId} ${model?.version ?? ''} · ${provider}${time}`, milliseconds: stats?.milliseconds });
    }
  }

  // LoaderEvents: the loader reports per image; labels follow the viewports showing it.
  onStart(imageId: string): void {
    this.forViewportsOf(imageId, (viewport) => setViewportLabel(viewport.element, { kind: 'working', text: `Denoising with ${this.modelName(imageId)}…` }));
  }

  onProgress(imageId: string, progress: DenoiseProgress): void {
    const percent = progress.tilesTotal ? Math.round((100 * progress.tilesDone) / progress.tilesTotal) : 0;
    this.forViewportsOf(imageId, (viewport) => setViewportLabel(viewport.element, { kind: 'working', text: `Denoising with ${this.modelName(imageId)}… ${percent}% (${progress.tilesDone}/${progress.tilesTotal} tiles)` }));
  }

  onDone(imageId: string, stats: DenoiseStats): void {
    this.lastStats.set(imageId, stats);
    this.forViewportsOf(imageId, (viewport) => this.refreshLabel(viewport));
    this.working.delete(imageId);
  }

  onError(imageId: string, error: Error): void {
    this.forViewportsOf(imageId, (viewport) => {
      if (error instanceof NotPrefetchedError) return;
      if (error instanceof EngineError && error.kind === 'cancelled') this.refreshLabel(viewport);
      else this.reportFailure(error, viewport);
    });
    this.working.delete(imageId);
  }

  private reportFailure(error: Error, viewport: StackViewport): void {
    this.refreshLabel(viewport);
    this.notify('Denoising failed', `${error.message}. The original image stays displayed and unmodified; nothing was saved.`, 'error');
  }

  private modelName(imageId: string): string {
    const modelId = parseDenoisedImageId(imageId)?.modelId ?? '';
    return this.service.model(modelId)?.name ?? modelId;
  }

  private forViewportsOf(imageId: string, each: (viewport: StackViewport) => void): void {
    const explicit = this.working.get(imageId);
    const ids = new Set<string>(explicit ? [explicit] : []);
    for (const viewportId of this.services.viewportGridService.getState().viewports.keys()) {
      const viewport = this.viewport(viewportId);
      if (viewport?.getCurrentImageId() === imageId) ids.add(viewportId);
    }
    for (const id of ids) {
      const viewport = this.viewport(id);
      if (viewport) each(viewport);
    }
  }

  private notify(title: string, message: string, type: 'info' | 'warning' | 'error'): void {
    this.services.uiNotificationService.show({ title, message, type, duration: type === 'error' ? 10_000 : 4_000 });
  }
}
