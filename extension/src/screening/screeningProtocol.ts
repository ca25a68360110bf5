import type { ScreeningSlot } from '@mammo-denoise/core';
import { MIRRORED_ZOOM_PAN, SCREENING_PROTOCOL_ID } from '../id';
import type { SyncGroup } from '../ohifTypes';

/**
 * The custom attribute (hangingProtocolService.addCustomAttribute) a display
 * set's screening slot is read from: "RCC", "LMLO"… (see mammoSlotAttribute.ts).
 */
export const MAMMO_SLOT_ATTRIBUTE = 'mammoDenoiseSlot';

/**
 * The study-level custom attribute for "is a mammography study": OHIF's ModalitiesInStudy, with a mammography SOP
 * class read as MG where the files leave Modality out (a DICOMweb study's ModalitiesInStudy is then empty).
 */
export const MAMMO_MODALITIES_ATTRIBUTE = 'mammoDenoiseModalities';

/** The study-level custom attribute: how many different screening slots the study's images fill. */
export const MAMMO_VIEW_COUNT_ATTRIBUTE = 'mammoDenoiseViewCount';

export const SCREENING_VIEWPORTS: Record<ScreeningSlot, string> = {
  RCC: 'mammo-screening-rcc',
  LCC: 'mammo-screening-lcc',
  RMLO: 'mammo-screening-rmlo',
  LMLO: 'mammo-screening-lmlo',
};

/** The prior exam's viewports (the prior stages: current row over prior row). */
export const PRIOR_VIEWPORTS: Record<ScreeningSlot, string> = {
  RCC: 'mammo-screening-rcc-prior',
  LCC: 'mammo-screening-lcc-prior',
  RMLO: 'mammo-screening-rmlo-prior',
  LMLO: 'mammo-screening-lmlo-prior',
};

/** The slot a screening viewport holds (current or prior), from its id. */
export function slotOfViewport(viewportId: string): ScreeningSlot | null {
  const found = [...Object.entries(SCREENING_VIEWPORTS), ...Object.entries(PRIOR_VIEWPORTS)].find(
    ([, id]) => id === viewportId,
  );
  return found ? (found[0] as ScreeningSlot) : null;
}

export const isPriorViewport = (viewportId: string): boolean => Object.values(PRIOR_VIEWPORTS).includes(viewportId);

/**
 * Zoom and pan linked within a pair (the CCs, the MLOs), never across; the pan mirrored between the breasts
 * (mirroredZoomPan.ts; the type is registered by the screening layout).
 */
export const PAIR_ZOOM_PAN: Record<'CC' | 'MLO', SyncGroup> = {
  CC: { type: MIRRORED_ZOOM_PAN, id: 'mammoScreeningCcZoomPan', source: true, target: true },
  MLO: { type: MIRRORED_ZOOM_PAN, id: 'mammoScreeningMloZoomPan', source: true, target: true },
};

/** The part of OHIF's Types.HangingProtocol.Protocol this protocol uses (OHIF publishes no types). */
export interface MatchingRule {
  id?: string;
  weight?: number;
  attribute: string;
  /** 'options': the attribute is one OHIF computes while matching (studyInstanceUIDsIndex), not the item's. */
  from?: 'options';
  constraint: Record<string, unknown>;
  required?: boolean;
}

export interface ProtocolViewport {
  viewportOptions: {
    viewportId: string;
    toolGroupId: string;
    allowUnmatchedView: boolean;
    syncGroups: SyncGroup[];
    /** Cornerstone's display area: the image edge pinned to the viewport edge (x 1: right, 0: left). */
    displayArea: {
      type: 'FIT';
      storeAsInitialCamera: true;
      imageCanvasPoint: { imagePoint: [number, number]; canvasPoint: [number, number] };
    };
  };
  displaySets: Array<{ id: string }>;
}

export interface ProtocolStage {
  id: string;
  name: string;
  viewportStructure: { layoutType: 'grid'; properties: { rows: number; columns: number } };
  viewports: ProtocolViewport[];
  /** OHIF picks the first stage whose selectors fill at least this many viewports. */
  stageActivation: { enabled: { minViewportsMatched: number } };
}

export interface HangingProtocol {
  id: string;
  name: string;
  locked: boolean;
  protocolMatchingRules: MatchingRule[];
  toolGroupIds: string[];
  numberOfPriorsReferenced: number;
  imageLoadStrategy: string;
  displaySetSelectors: Record<string, { studyMatchingRules: MatchingRule[]; seriesMatchingRules: MatchingRule[] }>;
  stages: ProtocolStage[];
}

/**
 * Pins the chest wall: the right breast's to the viewport's right
 * edge (the screen's midline), the left's to its left edge.
 */
export const chestWallArea = (slot: ScreeningSlot): ProtocolViewport['viewportOptions']['displayArea'] => {
  const x = slot.startsWith('R') ? 1 : 0;
  return { type: 'FIT', storeAsInitialCamera: true, imageCanvasPoint: { imagePoint: [x, 0.5], canvasPoint: [x, 0.5] } };
};

/** A display-set selector's name: the slot ("RCC") for the current exam, "RCC prior" for the prior's. */
const selectorOf = (slot: ScreeningSlot, prior: boolean) => (prior ? `${slot} prior` : slot);

const viewport = (slot: ScreeningSlot, prior = false): ProtocolViewport => ({
  viewportOptions: {
    viewportId: (prior ? PRIOR_VIEWPORTS : SCREENING_VIEWPORTS)[slot],
    toolGroupId: 'default',
    allowUnmatchedView: true,
    syncGroups: [PAIR_ZOOM_PAN[slot.endsWith('CC') ? 'CC' : 'MLO']],
    displayArea: chestWallArea(slot),
  },
  displaySets: [{ id: selectorOf(slot, prior) }],
});

const stage = (
  id: string,
  name: string,
  slots: ScreeningSlot[],
  columns: number,
  minViewportsMatched: number,
  priorSlots: ScreeningSlot[] = [],
): ProtocolStage => ({
  id,
  name,
  viewportStructure: {
    layoutType: 'grid',
    properties: { rows: Math.ceil((slots.length + priorSlots.length) / columns), columns },
  },
  viewports: [...slots.map((slot) => viewport(slot)), ...priorSlots.map((slot) => viewport(slot, true))],
  stageActivation: { enabled: { minViewportsMatched } },
});

/** The stage ids, in the order OHIF tries them; planScreeningLayout's plans map onto them. */
export const SCREENING_STAGES = {
  fourViews: 'fourViews',
  ccPair: 'ccPair',
  mloPair: 'mloPair',
  right: 'rightBreast',
  left: 'leftBreast',
  priorCc: 'priorCc',
  priorMlo: 'priorMlo',
} as const;

export const PRIOR_STAGES: readonly string[] = [SCREENING_STAGES.priorCc, SCREENING_STAGES.priorMlo];

/** OHIF's index of a display set's study among those the protocol runs on: 0 the current exam, 1 its prior. */
const studyIndex = (index: 0 | 1): MatchingRule[] => [
  { attribute: 'studyInstanceUIDsIndex', from: 'options', required: true, constraint: { equals: { value: index } } },
];

/**
 * Screening: RCC | LCC over RMLO | LMLO, right breast on the left of the
 * screen, chest walls meeting at the midline. Chosen by OHIF for MG studies
 * whose images fill two or more views (slots); each display set's slot comes from the
 * mammoDenoiseSlot attribute (header, then PatientOrientation; the pixels
 * once they are loaded: ScreeningLayout re-hangs then). Three or four views
 * get the 2x2 (a gap stays empty), two the row they fill. A single image
 * keeps OHIF's default layout (this protocol needs two). Where the patient
 * has an earlier exam (ScreeningLayout finds and loads it), two more stages
 * show the current pair over the prior pair, CC and MLO.
 * Flips are per image (its PatientOrientation), so ScreeningLayout sets them.
 */
export const screeningProtocol: HangingProtocol = {
  id: SCREENING_PROTOCOL_ID,
  name: 'Denoise: mammography screening (RCC | LCC over RMLO | LMLO)',
  locked: true,
  protocolMatchingRules: [
    {
      id: 'mammography',
      weight: 150,
      attribute: MAMMO_MODALITIES_ATTRIBUTE,
      constraint: { contains: 'MG' },
      required: true,
    },
    // OHIF 3.13's greaterThan validator tests value >= testValue: this is "at least two".
    {
      id: 'twoOrMoreViews',
      attribute: MAMMO_VIEW_COUNT_ATTRIBUTE,
      constraint: { greaterThan: { value: 2 } },
      required: true,
    },
  ],
  toolGroupIds: ['default'],
  // The prior exam, once ScreeningLayout has loaded it, is OHIF's second study (studyInstanceUIDsIndex 1).
  numberOfPriorsReferenced: 1,
  imageLoadStrategy: 'interleaveTopToBottom',
  displaySetSelectors: Object.fromEntries(
    (['RCC', 'LCC', 'RMLO', 'LMLO'] as const).flatMap((slot) =>
      ([false, true] as const).map((prior) => [
        selectorOf(slot, prior),
        {
          studyMatchingRules: studyIndex(prior ? 1 : 0),
          seriesMatchingRules: [
            { attribute: MAMMO_SLOT_ATTRIBUTE, constraint: { equals: { value: slot } }, required: true },
          ],
        },
      ]),
    ),
  ),
  stages: [
    stage(SCREENING_STAGES.fourViews, 'RCC | LCC over RMLO | LMLO', ['RCC', 'LCC', 'RMLO', 'LMLO'], 2, 3),
    stage(SCREENING_STAGES.ccPair, 'RCC | LCC', ['RCC', 'LCC'], 2, 2),
    stage(SCREENING_STAGES.mloPair, 'RMLO | LMLO', ['RMLO', 'LMLO'], 2, 2),
    stage(SCREENING_STAGES.right, 'RCC | RMLO', ['RCC', 'RMLO'], 2, 2),
    stage(SCREENING_STAGES.left, 'LCC | LMLO', ['LCC', 'LMLO'], 2, 2),
    // Current over prior, one pair at a time; enabled once at least one prior view is there.
    stage(SCREENING_STAGES.priorCc, 'RCC | LCC over the prior RCC | LCC', ['RCC', 'LCC'], 2, 3, ['RCC', 'LCC']),
    stage(SCREENING_STAGES.priorMlo, 'RMLO | LMLO over the prior', ['RMLO', 'LMLO'], 2, 3, ['RMLO', 'LMLO']),
  ],
};
