import {
  Enums,
  getEnabledElementByViewportId,
  getRenderingEngines,
  imageLoader,
  type Types,
} from '@cornerstonejs/core';
import { type DenoiseProgress, type DenoiseStats, EngineError } from '@mammo-denoise/core';
import {
  denoisedImageId,
  differenceImageId,
  parseDenoisedImageId,
  parseDifferenceImageId,
  sourceImageIdOf,
} from './denoisedImageIds';
import { differenceWindowOf } from '../compare/differenceImageLoader';
import { DenoisedImages, type LoaderEvents } from './denoisedImageLoader';
import { DenoiseScheduler, type Rank } from '@mammo-denoise/core';
import type { DenoiseService } from './denoiseService';
import type { OhifServices } from '../ohifTypes';
import { setViewportLabel } from './viewportLabel';
import { strengthLabel } from './denoisedImageIds';
import { runIdForImage } from '../model/modelChoice';
import { engineNotice } from './engineNotice';

const formatValue = (v: number): string => (Number.isInteger(v) ? String(v) : v.toPrecision(3));

const PROVIDER_NAMES: Record<string, string> = { webgpu: 'WebGPU', wasm: 'WASM', cpu: 'CPU' };

/** The stack viewport API this controller uses (OHIF's MG viewports are stack viewports). */
type StackViewport = Types.IStackViewport;

/** What a viewport shows: the originals, a model's denoised images, or their difference (Compare). */
export type ImageView = 'original' | 'denoised' | 'difference';

/**
 * The difference view has its own window, so whoever lays it out unlinks
 * window/level on entering it and, on leaving, relinks it and says which
 * properties the viewport returns to (null: the image's defaults).
 */
export interface DifferencePresentation {
  enter(viewport: StackViewport): void;
  leave(viewport: StackViewport): Types.StackViewportProperties | null;
}

function isStackViewport(viewport: unknown): viewport is StackViewport {
  const v = viewport as Partial<StackViewport> | null;
  return (
    !!v &&
    typeof v.getImageIds === 'function' &&
    typeof v.setStack === 'function' &&
    typeof v.getCurrentImageIdIndex === 'function'
  );
}

/**
 * Turns denoising on and off per viewport, keeping camera and window/level,
 * and keeps each viewport's label and progress in step with the image loader.
 */
export class DenoiseController implements LoaderEvents {
  private readonly working = new Map<string, string>();
  /** Timing of each denoised image, shown on the label (and read by the benchmark). */
  private readonly lastStats = new Map<string, DenoiseStats>();
  private differencePresentation: DifferencePresentation | null = null;
  /** Denoised ids a command waits for (the viewport still shows the original meanwhile): they run first. */
  private readonly awaiting = new Set<string>();
  readonly images: DenoisedImages;

  constructor(
    private readonly service: DenoiseService,
    private readonly services: OhifServices,
  ) {
    this.images = new DenoisedImages(service, this, new DenoiseScheduler((imageId) => this.rankOf(imageId)));
    // Cornerstone's viewport events do not bubble; a capturing listener on the document sees every viewport's.
    if (typeof document !== 'undefined') {
      for (const name of [
        Enums.Events.STACK_VIEWPORT_SCROLL,
        Enums.Events.STACK_NEW_IMAGE,
        Enums.Events.VIEWPORT_NEW_IMAGE_SET,
        Enums.Events.ELEMENT_DISABLED,
      ]) {
        document.addEventListener(name, () => this.images.reschedule(), true);
      }
    }
  }

  /**
   * How much a denoised image is wanted now (DenoiseScheduler): in view (or
   * awaited by a command, or behind a difference in view) first, then one in
   * a viewport's stack (Denoise on while scrolling), else not at all.
   */
  rankOf(denoisedId: string): Rank {
    if (this.awaiting.has(denoisedId)) return 0;
    const parsed = parseDenoisedImageId(denoisedId);
    const difference = parsed ? differenceImageId(parsed.modelId, parsed.sourceImageId) : '';
    let rank: Rank = null;
    for (const viewport of this.stackViewports()) {
      const current = viewport.getCurrentImageId();
      if (current === denoisedId || current === difference) return 0;
      if (rank === null && viewport.getImageIds().some((id) => id === denoisedId || id === difference)) rank = 1;
    }
    return rank;
  }

  /** Image ids that must stay in the cache: shown in a viewport or awaited. */
  idsInUse(): ReadonlySet<string> {
    const ids = new Set<string>(this.awaiting);
    for (const viewport of this.stackViewports()) {
      const current = viewport.getCurrentImageId();
      if (current) ids.add(current);
      const difference = parseDifferenceImageId(current ?? '');
      if (difference) ids.add(denoisedImageId(difference.modelId, difference.sourceImageId));
    }
    return ids;
  }

  private stackViewports(): StackViewport[] {
    return (getRenderingEngines() ?? []).flatMap((engine) => engine.getViewports()).filter(isStackViewport);
  }

  viewport(viewportId?: string): StackViewport | null {
    const id = viewportId ?? this.services.viewportGridService.getActiveViewportId();
    const viewport = getEnabledElementByViewportId(id)?.viewport;
    return isStackViewport(viewport) ? viewport : null;
  }

  /** The model a viewport shows (denoised or as a difference), or null when it shows originals. */
  modelShown(viewport: StackViewport | null): string | null {
    const current = viewport?.getCurrentImageId();
    return current ? ((parseDenoisedImageId(current) ?? parseDifferenceImageId(current))?.modelId ?? null) : null;
  }

  viewShown(viewport: StackViewport | null): ImageView {
    const current = viewport?.getCurrentImageId() ?? '';
    return parseDifferenceImageId(current) ? 'difference' : parseDenoisedImageId(current) ? 'denoised' : 'original';
  }

  setDifferencePresentation(presentation: DifferencePresentation): void {
    this.differencePresentation = presentation;
  }

  /** The M key: the next configured model, in the index's order (the default first). */
  async selectNextModel(): Promise<void> {
    const models = this.service.models();
    const next =
      models[(models.findIndex((m) => m.id === this.service.selectedModel()?.id) + 1) % Math.max(1, models.length)];
    if (!next) {
      const state = this.service.getState();
      this.notify(
        'No model to choose',
        state.status === 'unavailable' ? state.reason : 'The models are still loading.',
        'warning',
      );
      return;
    }
    this.notify('Denoise model', `${next.name} ${next.version}`, 'info');
    await this.selectModel(next.id);
  }

  /** Makes `modelId` the model Denoise uses; viewports showing another model's result switch to this one's. */
  async selectModel(modelId: string): Promise<void> {
    this.service.selectModel(modelId);
    for (const viewportId of this.services.viewportGridService.getState().viewports.keys()) {
      const viewport = this.viewport(viewportId);
      const view = this.viewShown(viewport);
      if (viewport && view !== 'original' && this.modelShown(viewport) !== this.service.runIdOf(modelId))
        await this.show(viewport, this.service.runIdOf(modelId), false, view);
    }
    this.services.toolbarService.refreshToolbarState({});
  }

  async toggle(viewportId?: string): Promise<void> {
    const viewport = this.viewport(viewportId);
    if (!viewport) {
      this.notify(
        'Denoise needs a 2D image viewport',
        'Select a viewport showing a mammogram. Nothing was changed.',
        'warning',
      );
      return;
    }
    if (this.modelShown(viewport)) await this.show(viewport, null);
    else await this.show(viewport, runIdForImage(this.service, viewport.getCurrentImageId()), true);
  }

  /**
   * Shows `modelId`'s denoised images (null: the originals) in a viewport.
   * The current image is denoised first, on the original, so the switch is instant.
   */
  async show(
    viewport: StackViewport,
    modelId: string | null,
    explain = false,
    view: Exclude<ImageView, 'original'> = 'denoised',
  ): Promise<boolean> {
    const state = this.service.getState();
    if (modelId !== null && state.status !== 'ready') {
      this.notify(
        'Denoise is unavailable',
        `${state.status === 'unavailable' ? state.reason : 'The models are still loading.'} ` +
          'The original image stays displayed.',
        'error',
      );
      return false;
    }
    if (explain && modelId === null) {
      this.notify('Denoise is unavailable', 'No model is configured. The original image stays displayed.', 'error');
      return false;
    }
    const ids = viewport.getImageIds();
    const index = viewport.getCurrentImageIdIndex();
    const derivedId = view === 'difference' ? differenceImageId : denoisedImageId;
    const target = ids.map((id) => (modelId ? derivedId(modelId, sourceImageIdOf(id)) : sourceImageIdOf(id)));
    const targetId = target[index];
    const sourceId = ids[index] ? sourceImageIdOf(ids[index]) : '';
    if (!targetId) return false;
    if (modelId) {
      // Progress of the model run is reported for the denoised id, also when a difference is asked for.
      const denoisedId = denoisedImageId(modelId, sourceId);
      // The user may move on while the model runs (another image, series or study): the run then
      // stops (it is kept, paused, and resumes if the image is asked for again) and nothing is swapped in.
      const movedOn = this.whenMovedOn(viewport, sourceId);
      this.awaiting.add(denoisedId);
      this.working.set(denoisedId, viewport.id);
      try {
        const ready =
          view === 'difference'
            ? imageLoader.loadAndCacheImage(targetId, { priority: 0, requestType: Enums.RequestType.Interaction })
            : this.images.get(denoisedId);
        const outcome = await Promise.race([ready.then(() => 'ready' as const), movedOn.promise]);
        if (outcome === 'moved on' || this.movedOn(viewport, sourceId)) {
          // The progress label belonged to the image left behind (OHIF may have put a new viewport under the same id).
          const now = this.viewport(viewport.id);
          if (now) this.refreshLabel(now);
          return false;
        }
      } catch (error) {
        if (!(error instanceof EngineError && error.kind === 'cancelled')) {
          const failure = error instanceof Error ? error : new Error(String(error));
          if (view === 'difference' && !(error instanceof EngineError))
            this.notify('Difference view failed', `${failure.message}. The image shown is unchanged.`, 'error');
          else this.reportFailure(failure, viewport);
        }
        return false;
      } finally {
        movedOn.stop();
        this.awaiting.delete(denoisedId);
        this.working.delete(denoisedId);
        this.images.reschedule();
      }
    }
    const camera = viewport.getCamera();
    const properties = viewport.getProperties();
    const entering = view === 'difference' && modelId !== null && this.viewShown(viewport) !== 'difference';
    const leaving = (view !== 'difference' || modelId === null) && this.viewShown(viewport) === 'difference';
    if (entering) this.differencePresentation?.enter(viewport);
    await viewport.setStack(target, index);
    // Denoise off, or another model: background runs for the old stack are no longer wanted.
    this.images.reschedule();
    viewport.setCamera(camera);
    if (view === 'difference' && modelId) {
      const halfWindow = differenceWindowOf(targetId)?.halfWindow ?? 1;
      viewport.setProperties({ voiRange: { lower: -halfWindow, upper: halfWindow }, invert: false });
    } else if (leaving) {
      const restore = this.differencePresentation?.leave(viewport) ?? null;
      if (restore) viewport.setProperties(restore);
      else viewport.resetProperties();
    } else viewport.setProperties(properties);
    viewport.render();
    this.refreshLabel(viewport);
    this.services.toolbarService.refreshToolbarState({ viewportId: viewport.id });
    return true;
  }

  /**
   * The viewport no longer shows `sourceId` (the user scrolled,
   * opened another series or study, or the viewport is gone).
   */
  private movedOn(viewport: StackViewport, sourceId: string): boolean {
    return (
      getEnabledElementByViewportId(viewport.id)?.viewport !== viewport ||
      sourceImageIdOf(viewport.getCurrentImageId() ?? '') !== sourceId
    );
  }

  /** Resolves 'moved on' once the viewport no longer shows `sourceId`; stop() removes the listeners. */
  private whenMovedOn(viewport: StackViewport, sourceId: string): { promise: Promise<'moved on'>; stop(): void } {
    let stop = () => {};
    const promise = new Promise<'moved on'>((resolve) => {
      const check = () => {
        if (this.movedOn(viewport, sourceId)) resolve('moved on');
      };
      const events = [
        Enums.Events.STACK_NEW_IMAGE,
        Enums.Events.STACK_VIEWPORT_SCROLL,
        Enums.Events.VIEWPORT_NEW_IMAGE_SET,
        Enums.Events.ELEMENT_DISABLED,
      ];
      for (const name of events) viewport.element.addEventListener(name, check);
      const gone = (event: Event) => {
        if ((event as CustomEvent<{ viewportId?: string }>).detail?.viewportId === viewport.id) check();
      };
      document.addEventListener(Enums.Events.ELEMENT_DISABLED, gone, true);
      stop = () => {
        for (const name of events) viewport.element.removeEventListener(name, check);
        document.removeEventListener(Enums.Events.ELEMENT_DISABLED, gone, true);
      };
    });
    return { promise, stop: () => stop() };
  }

  refreshLabel(viewport: StackViewport): void {
    const modelId = this.modelShown(viewport);
    const model = modelId ? this.service.model(modelId) : null;
    const engine = modelId ? this.service.engineFor(modelId) : null;
    const stats = this.lastStats.get(viewport.getCurrentImageId());
    const view = this.viewShown(viewport);
    if (!modelId) setViewportLabel(viewport.element, { kind: 'hidden' });
    else if (view === 'difference') {
      const window = differenceWindowOf(viewport.getCurrentImageId());
      const range = window
        ? ` · window ±${formatValue(window.halfWindow)} (largest change ${formatValue(window.maxAbs)})`
        : '';
      setViewportLabel(viewport.element, {
        kind: 'difference',
        text:
          `DIFFERENCE: denoised − original · ${model?.name ?? modelId} ${model?.version ?? ''}` +
          `${strengthLabel(modelId)} · mid-grey = no change, white = brighter after denoising${range}`,
      });
    } else {
      const provider = PROVIDER_NAMES[engine?.executionProvider ?? ''] ?? engine?.executionProvider ?? '';
      const time = stats ? ` · ${(stats.milliseconds / 1000).toFixed(1)} s` : '';
      setViewportLabel(viewport.element, {
        kind: 'denoised',
        text:
          `DENOISED · ${model?.name ?? modelId} ${model?.version ?? ''}${strengthLabel(modelId)} · ` +
          `${provider}${time}`,
        milliseconds: stats?.milliseconds,
      });
    }
  }

  /** Labels of the viewports showing `imageId` (or its difference), e.g. once a difference image is ready. */
  refreshLabelsOf(imageId: string): void {
    this.forViewportsOf(imageId, (viewport) => this.refreshLabel(viewport));
  }

  // LoaderEvents: the loader reports per image; labels follow the viewports showing it.
  onStart(imageId: string): void {
    this.forViewportsOf(imageId, (viewport) =>
      setViewportLabel(viewport.element, { kind: 'working', text: `Denoising with ${this.modelName(imageId)}…` }),
    );
  }

  onProgress(imageId: string, progress: DenoiseProgress): void {
    const percent = progress.tilesTotal ? Math.round((100 * progress.tilesDone) / progress.tilesTotal) : 0;
    this.forViewportsOf(imageId, (viewport) =>
      setViewportLabel(viewport.element, {
        kind: 'working',
        text:
          `Denoising with ${this.modelName(imageId)}… ${percent}% ` +
          `(${progress.tilesDone}/${progress.tilesTotal} tiles)`,
      }),
    );
  }

  onDone(imageId: string, stats: DenoiseStats): void {
    this.lastStats.set(imageId, stats);
    this.explainEngineOnce(parseDenoisedImageId(imageId)?.modelId ?? null);
    this.forViewportsOf(imageId, (viewport) => this.refreshLabel(viewport));
    this.working.delete(imageId);
  }

  /** A Cornerstone request for an image in view failed (a command's own request reports its failure itself). */
  onError(imageId: string, error: Error): void {
    if (this.working.has(imageId)) return;
    this.forViewportsOf(imageId, (viewport) => {
      if (error instanceof EngineError && error.kind === 'cancelled') this.refreshLabel(viewport);
      else {
        this.reportFailure(error, viewport);
        // Scrolled onto an image that cannot be denoised: the viewport goes back to the originals, labelled as such.
        void this.show(viewport, null);
      }
    });
  }

  private reportFailure(error: Error, viewport: StackViewport): void {
    this.refreshLabel(viewport);
    this.notify(
      'Denoising failed',
      `${error.message}. The original image stays displayed and unmodified; nothing was saved.`,
      'error',
    );
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
      const current = viewport?.getCurrentImageId() ?? '';
      const difference = parseDifferenceImageId(current);
      // A difference viewport waits on its denoised image, so it shows that image's progress too.
      if (
        current === imageId ||
        (difference && denoisedImageId(difference.modelId, difference.sourceImageId) === imageId)
      )
        ids.add(viewportId);
    }
    for (const id of ids) {
      const viewport = this.viewport(id);
      if (viewport) each(viewport);
    }
  }

  /** Says once per model when it runs slower than configured (no WebGPU, one WASM thread), and why. */
  private readonly engineExplained = new Set<string>();
  private explainEngineOnce(modelId: string | null): void {
    const ready = modelId ? this.service.engineFor(modelId) : null;
    if (!modelId || !ready || this.engineExplained.has(modelId)) return;
    this.engineExplained.add(modelId);
    const notice = engineNotice(ready, globalThis.crossOriginIsolated === true);
    if (notice) this.notify('Denoise engine', notice, 'info');
  }

  private notify(title: string, message: string, type: 'info' | 'warning' | 'error'): void {
    this.services.uiNotificationService.show({ title, message, type, duration: type === 'error' ? 10_000 : 4_000 });
  }
}
