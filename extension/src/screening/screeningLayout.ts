import { cache, Enums, imageLoader, metaData, type Types } from '@cornerstonejs/core';
import { formatStudyDate, modalityOf, viewLabel, type MammoView } from '@mammo-denoise/core';
import { planScreeningLayout } from '@mammo-denoise/core';
import { readCornerstoneImage } from '../denoise/cornerstoneStoredImage';
import { registerMirroredZoomPan } from './mirroredZoomPan';
import { sourceImageIdOf } from '../denoise/denoisedImageIds';
import type { DenoiseController } from '../denoise/denoiseController';
import { EVALUATORS, SCREENING_PROTOCOL_ID } from '../id';
import { runIdForImage } from '../model/modelChoice';
import type { DenoiseService } from '../denoise/denoiseService';
import {
  chestWallArea,
  isPriorViewport,
  MAMMO_MODALITIES_ATTRIBUTE,
  MAMMO_SLOT_ATTRIBUTE,
  MAMMO_VIEW_COUNT_ATTRIBUTE,
  PRIOR_STAGES,
  PRIOR_VIEWPORTS,
  SCREENING_STAGES,
  SCREENING_VIEWPORTS,
  screeningProtocol,
  slotOfViewport,
} from './screeningProtocol';
import type { PriorExam, PriorExamInfo } from './priorExam';
import type { MatchItem, MatchOptions, ScreeningServices, StudyLike } from './screeningServices';
import { firstInstance, type InstanceMetadata, ViewRegistry } from './viewRegistry';
import { setViewTag } from './viewTag';
import { setViewportLabel } from '../denoise/viewportLabel';

type StackViewport = Types.IStackViewport;

/**
 * Runs the screening hanging protocol once OHIF has laid it out: completes
 * each image's view from its pixels where the header is silent (re-hanging
 * when that moves an image), mirrors each image on screen where it is stored
 * the other way round and pins its chest wall to the midline (Cornerstone
 * flips and display area, never the pixels), tags each viewport with its view
 * (marked "guessed" unless the header said it), and denoises all views
 * together.
 */
export class ScreeningLayout {
  readonly registry = new ViewRegistry();
  private arranging: Promise<void> | null = null;
  /** Denoise-all: a press while it runs stops it (the round no longer matches). */
  private denoiseRound = 0;
  private denoising = false;
  /**
   * Elements watched for size changes: a re-hang from one row to
   * two resizes a viewport, and the fit moves the chest wall.
   */
  private readonly watched = new WeakSet<HTMLElement>();
  /** The current study's prior exam once found and loaded (its viewports' tags name its date). */
  private prior: (PriorExamInfo & { currentStudyUid: string }) | null = null;

  constructor(
    private readonly services: ScreeningServices,
    private readonly controller: DenoiseController,
    private readonly service: DenoiseService,
    private readonly priors?: PriorExam,
  ) {}

  install(): void {
    registerMirroredZoomPan(this.services.syncGroupService);
    const hp = this.services.hangingProtocolService;
    hp.addCustomAttribute(MAMMO_SLOT_ATTRIBUTE, 'Mammography screening slot (RCC, LCC, RMLO, LMLO)', (displaySet) => {
      const instance = firstInstance(displaySet);
      return instance ? this.registry.slotOf(instance) : null;
    });
    // The study's own images: a loaded prior's display sets are in the list too.
    const ownImages = (study: MatchItem, options?: MatchOptions): InstanceMetadata[] =>
      (options?.displaySets ?? [])
        .filter(
          (ds) => !study.StudyInstanceUID || !ds.StudyInstanceUID || ds.StudyInstanceUID === study.StudyInstanceUID,
        )
        .map(firstInstance)
        .filter((instance): instance is InstanceMetadata => instance !== null);
    hp.addCustomAttribute(
      MAMMO_MODALITIES_ATTRIBUTE,
      'Modalities in the study (MG for a mammography SOP class)',
      (study, options) => {
        const listed = (study as { ModalitiesInStudy?: unknown }).ModalitiesInStudy;
        const modalities = new Set(
          (Array.isArray(listed) ? listed : typeof listed === 'string' ? listed.split('\\') : []).filter(
            (m): m is string => typeof m === 'string' && m.trim() !== '',
          ),
        );
        for (const instance of ownImages(study, options)) {
          const modality = modalityOf(instance.Modality, instance.SOPClassUID);
          if (modality) modalities.add(modality);
        }
        return [...modalities];
      },
    );
    hp.addCustomAttribute(MAMMO_VIEW_COUNT_ATTRIBUTE, 'Mammography screening views in the study', (study, options) => {
      const perSlot = new Map<string, number>();
      for (const instance of ownImages(study, options))
        perSlot.set(this.registry.slotOf(instance), (perSlot.get(this.registry.slotOf(instance)) ?? 0) + 1);
      // An exam has one image per view, sometimes a repeat; a collection with three or more of one view
      // (a teaching file, a set of test images) is not read as a screening exam and keeps OHIF's layout.
      return Math.max(0, ...perSlot.values()) > 2 ? 0 : perSlot.size;
    });
    hp.subscribe(hp.EVENTS.PROTOCOL_CHANGED ?? 'event::hanging_protocol_changed', () => {
      void this.arrange();
      void this.findPrior();
    });
    // OHIF mounts each viewport's stack (and its options' display area) after PROTOCOL_CHANGED, also when a
    // re-hang keeps the viewport ids; VIEWPORT_DATA_CHANGED comes once that mount is done.
    const viewports = this.services.cornerstoneViewportService;
    viewports.subscribe(
      viewports.EVENTS.VIEWPORT_DATA_CHANGED ?? 'event::cornerstoneViewportService:viewportDataChanged',
      (event) => {
        if (this.isActive() && slotOfViewport((event as { viewportId?: string } | undefined)?.viewportId ?? ''))
          void this.arrange();
      },
    );
    if (typeof document === 'undefined') return;
    // A viewport gets its image after the protocol event, and Reset (camera reset) drops flips: re-apply then.
    const again = (event: Event) => {
      const id = (event as CustomEvent<{ viewportId?: string }>).detail?.viewportId ?? '';
      if (this.isActive() && slotOfViewport(id)) void this.arrange();
    };
    document.addEventListener(Enums.Events.VIEWPORT_NEW_IMAGE_SET, again, true);
    document.addEventListener(Enums.Events.CAMERA_RESET, again, true);
  }

  /** OHIF's hanging protocol state; undefined before the first protocol is applied. */
  private hangingState() {
    return this.services.hangingProtocolService.getState() as
      ReturnType<ScreeningServices['hangingProtocolService']['getState']> | undefined;
  }

  isActive(): boolean {
    return this.hangingState()?.protocolId === SCREENING_PROTOCOL_ID;
  }

  /** The screening viewports that show an image now, by slot order (RCC, LCC, RMLO, LMLO), the prior's after. */
  viewports(): StackViewport[] {
    return [...Object.values(SCREENING_VIEWPORTS), ...Object.values(PRIOR_VIEWPORTS)]
      .map((id) => this.controller.viewport(id))
      .filter((v): v is StackViewport => !!v && v.getImageIds().length > 0);
  }

  /** Arranges once at a time; a request while one runs runs again after it. */
  arrange(): Promise<void> {
    const run = async () => {
      if (this.arranging) await this.arranging.catch(() => undefined);
      if (!this.isActive()) return;
      await this.arrangeNow();
    };
    const next = run().finally(() => {
      if (this.arranging === next) this.arranging = null;
    });
    this.arranging = next;
    return next;
  }

  private async arrangeNow(): Promise<void> {
    // Images whose header leaves the view open: read their pixels (the loader has them, or loads them once).
    // The current exam's, and the prior's only while it is shown: a prior never viewed costs no memory.
    const prior = this.inPriorStage() ? this.priorExam()?.studyInstanceUid : undefined;
    let moved = false;
    for (const displaySet of this.displaySetsOf(this.hangingState()?.activeStudyUID, prior)) {
      const instance = firstInstance(displaySet);
      const imageId = instance ? imageIdOf(displaySet) : null;
      if (!instance || !imageId || !this.registry.wantsPixels(instance)) continue;
      try {
        const image = cache.getImage(imageId) ?? (await imageLoader.loadAndCacheImage(imageId));
        const stored = readCornerstoneImage(image).stored;
        if (this.registry.addPixels(instance, stored)) moved = true;
      } catch {
        // An image that cannot be read keeps its header's (or the default) view: the layout never fails on it.
      }
    }
    if (moved && this.isActive()) {
      const stageId = this.inPriorStage() ? this.stageId() : this.stageFor();
      this.services.hangingProtocolService.setProtocol(SCREENING_PROTOCOL_ID, { stageId });
      return; // PROTOCOL_CHANGED arranges the new viewports.
    }
    for (const viewport of this.viewports()) this.present(viewport);
  }

  /**
   * The display sets of these studies, and those that name no study; all of them while the current study is not
   * known yet (a loaded prior's display sets sit in the same list as the current exam's).
   */
  private displaySetsOf(current: string | undefined, prior?: string) {
    return this.services.displaySetService
      .getActiveDisplaySets()
      .filter(
        (ds) => !current || !ds.StudyInstanceUID || ds.StudyInstanceUID === current || ds.StudyInstanceUID === prior,
      );
  }

  /** The stage shown now. */
  private stageId(): string | undefined {
    return screeningProtocol.stages[this.hangingState()?.stageIndex ?? -1]?.id;
  }

  inPriorStage(): boolean {
    return this.isActive() && PRIOR_STAGES.includes(this.stageId() ?? '');
  }

  /** The prior exam of the study shown, once loaded (the Prior button's state). */
  priorExam(): PriorExamInfo | null {
    const current = this.hangingState()?.activeStudyUID;
    return this.prior && this.prior.currentStudyUid === current ? this.prior : null;
  }

  /** Looks up (once per study) and loads the patient's prior exam; the toolbar learns of it when it is there. */
  private async findPrior(): Promise<void> {
    const current = this.hangingState()?.activeStudyUID;
    if (!this.priors || !this.isActive() || !current) return;
    const found = await this.priors.find(current);
    if (found && this.hangingState()?.activeStudyUID === current) {
      this.prior = { ...found, currentStudyUid: current };
      this.services.toolbarService.refreshToolbarState({});
    }
  }

  /**
   * Prior (toolbar): the current CC pair over the prior's, then the MLO
   * pairs, then back to the current exam's layout. The first press hangs the
   * prior as OHIF's second study (studyInstanceUIDsIndex 1).
   */
  togglePrior(): void {
    const prior = this.priorExam();
    if (!this.isActive() || !prior) return;
    const hp = this.services.hangingProtocolService;
    const stage = this.stageId();
    if (stage === SCREENING_STAGES.priorCc) {
      hp.setProtocol(SCREENING_PROTOCOL_ID, { stageId: SCREENING_STAGES.priorMlo });
      return;
    }
    if (stage === SCREENING_STAGES.priorMlo) {
      hp.setProtocol(SCREENING_PROTOCOL_ID, { stageId: this.stageFor() });
      return;
    }
    const currentUid = this.hangingState()?.activeStudyUID ?? '';
    const study = (uid: string): StudyLike =>
      hp.studies?.find((s) => s.StudyInstanceUID === uid) ?? { StudyInstanceUID: uid };
    const current = study(currentUid);
    hp.run(
      {
        studies: [current, study(prior.studyInstanceUid)],
        displaySets: this.services.displaySetService.getActiveDisplaySets(),
        activeStudy: current,
      },
      SCREENING_PROTOCOL_ID,
      { stageId: SCREENING_STAGES.priorCc },
    );
  }

  /** The Prior button: enabled in the screening layout once the prior is loaded; active while it is shown. */
  priorEvaluator() {
    return {
      name: EVALUATORS.prior,
      evaluate: () => {
        const prior = this.priorExam();
        return {
          disabled: !prior,
          isActive: this.inPriorStage(),
          tooltip: prior
            ? `Prior (Shift+P): the current exam over the prior of ${formatStudyDate(prior.date)}, ` +
              'CC then MLO, then back'
            : 'Prior (Shift+P): no earlier mammogram of this patient in the data source',
        };
      },
    };
  }

  /** The stage planScreeningLayout picks for the current study's images as classified now. */
  private stageFor(): string {
    const images = this.displaySetsOf(this.hangingState()?.activeStudyUID).flatMap((ds) => {
      const instance = firstInstance(ds);
      return instance ? [{ key: ds.displaySetInstanceUID, view: this.registry.viewOf(instance) }] : [];
    });
    const plan = planScreeningLayout(images);
    const slots = plan.cells.map((c) => c.slot).join(',');
    if (plan.cells.length !== 2) return SCREENING_STAGES.fourViews;
    return (
      {
        'RCC,LCC': SCREENING_STAGES.ccPair,
        'RMLO,LMLO': SCREENING_STAGES.mloPair,
        'RCC,RMLO': SCREENING_STAGES.right,
        'LCC,LMLO': SCREENING_STAGES.left,
      }[slots] ?? SCREENING_STAGES.fourViews
    );
  }

  /** Flips and chest-wall anchoring for one viewport (idempotent), and its view tag. */
  private present(viewport: StackViewport): void {
    const slot = slotOfViewport(viewport.id);
    const imageId = viewport.getCurrentImageId();
    if (!slot || !imageId) return;
    const instance = metaData.get('instance', sourceImageIdOf(imageId)) as InstanceMetadata | undefined;
    const view: MammoView | null = instance ? this.registry.viewOf(instance) : null;
    const flipHorizontal = view?.flipHorizontal ?? false;
    const flipVertical = view?.flipVertical ?? false;
    const camera = viewport.getCamera();
    if (camera.flipHorizontal !== flipHorizontal || camera.flipVertical !== flipVertical)
      viewport.setCamera({ flipHorizontal, flipVertical });
    // After the flip: the display area pins the displayed image's edge, so the chest wall meets the midline either way.
    viewport.setDisplayArea(chestWallArea(slot));
    viewport.render();
    this.watchSize(viewport);
    const prior = isPriorViewport(viewport.id) ? this.priorExam() : null;
    setViewTag(
      viewport.element,
      view
        ? {
            text: viewLabel(view),
            guessed: view.guessed,
            why: whyGuessed(view),
            ...(prior ? { prior: formatStudyDate(prior.date) } : {}),
          }
        : null,
    );
  }

  /** Re-pins the chest wall after the viewport's size changes (Cornerstone refits the camera on resize). */
  private watchSize(viewport: StackViewport): void {
    const element = viewport.element;
    if (this.watched.has(element) || typeof ResizeObserver === 'undefined') return;
    this.watched.add(element);
    let timer: ReturnType<typeof setTimeout> | undefined;
    new ResizeObserver(() => {
      clearTimeout(timer);
      // After Cornerstone's own resize handling, which runs on the same change.
      timer = setTimeout(() => {
        const now = this.controller.viewport(viewport.id);
        if (this.isActive() && now && now.element === element && now.getImageIds().length > 0) this.present(now);
      }, 100);
    }).observe(element);
  }

  /**
   * Denoise (D) in this layout: every view, one after another in the one
   * worker, in reading order (RCC, LCC, RMLO, LMLO), each viewport showing its
   * progress and the waiting ones saying so; pressed again (also midway), all
   * back to the originals.
   */
  async toggleDenoiseAll(): Promise<void> {
    const round = ++this.denoiseRound;
    const viewports = this.viewports();
    if (viewports.some((v) => this.controller.modelShown(v)) || this.denoising) {
      this.denoising = false;
      await Promise.all(viewports.map((viewport) => this.controller.show(viewport, null)));
      return;
    }
    this.denoising = true;
    for (const viewport of viewports)
      setViewportLabel(viewport.element, { kind: 'working', text: 'Denoise: waiting for the other views…' });
    try {
      for (const viewport of viewports) {
        // Pressed again, or the layout left: the rest is not started.
        if (round !== this.denoiseRound || !this.isActive()) return;
        await this.controller.show(viewport, runIdForImage(this.service, viewport.getCurrentImageId()), true);
        // Turned off while this view ran: its result, swapped in just now, goes too.
        if (round !== this.denoiseRound) {
          await this.controller.show(viewport, null);
          return;
        }
      }
    } finally {
      if (round === this.denoiseRound) this.denoising = false;
      for (const viewport of viewports)
        if (!this.controller.modelShown(viewport)) this.controller.refreshLabel(viewport);
    }
  }
}

function whyGuessed(view: MammoView): string {
  const parts: string[] = [];
  if (view.lateralityFrom !== 'header')
    parts.push(`side from ${view.lateralityFrom === 'orientation' ? 'PatientOrientation' : 'the image'}`);
  if (view.rowFrom !== 'header')
    parts.push(`view from ${view.rowFrom === 'orientation' ? 'PatientOrientation' : 'the image'}`);
  return parts.join(', ');
}

/** The image id OHIF gives a single-image display set's image. */
function imageIdOf(displaySet: {
  imageIds?: string[];
  instances?: Array<{ imageId?: string }>;
  instance?: { imageId?: string };
}): string | null {
  return displaySet.imageIds?.[0] ?? displaySet.instances?.[0]?.imageId ?? displaySet.instance?.imageId ?? null;
}
