import { COMPARE_PROTOCOL_ID, SCREENING_PROTOCOL_ID } from './id';
import { screeningProtocol } from './screening/screeningProtocol';
import type { SyncGroup } from './ohifTypes';

export const COMPARE_VIEWPORTS = { original: 'mammo-denoise-original', denoised: 'mammo-denoise-denoised' } as const;
export const COMPARE_SELECTOR = 'comparedImage';

/** Window/level linked both ways; the difference view leaves it while it shows (it has its own window). */
export const COMPARE_VOI_SYNC: SyncGroup = {
  type: 'voi',
  id: 'mammoDenoiseCompareVoi',
  source: true,
  target: true,
  options: { syncColormap: false, syncInvertState: true },
};

const sync = (withVoi: boolean): SyncGroup[] => [
  { type: 'zoompan', id: 'mammoDenoiseCompareZoomPan', source: true, target: true },
  ...(withVoi ? [COMPARE_VOI_SYNC] : []),
];

/**
 * Original | denoised, side by side: a 1x2 stage showing the same display set
 * twice, with zoom/pan and window/level synchronized both ways. Scrolling is
 * linked by CompareLayout, by stack position: OHIF's 'imageslice' sync matches
 * images by ImagePositionPatient, which projection images (mammograms) lack,
 * so it sent both panes back to the first image.
 * Which display set is chosen by the Compare command (the active image's).
 */
export const compareProtocol = {
  id: COMPARE_PROTOCOL_ID,
  name: 'Denoise: original | denoised',
  locked: true,
  protocolMatchingRules: [],
  toolGroupIds: ['default'],
  numberOfPriorsReferenced: -1,
  imageLoadStrategy: 'interleaveTopToBottom',
  displaySetSelectors: {
    [COMPARE_SELECTOR]: {
      seriesMatchingRules: [{ attribute: 'numImageFrames', constraint: { greaterThan: { value: 0 } }, required: true }],
    },
  },
  stages: [
    {
      name: 'original | denoised',
      viewportStructure: { layoutType: 'grid', properties: { rows: 1, columns: 2 } },
      viewports: [
        {
          viewportOptions: {
            viewportId: COMPARE_VIEWPORTS.original,
            toolGroupId: 'default',
            allowUnmatchedView: true,
            syncGroups: sync(true),
          },
          displaySets: [{ id: COMPARE_SELECTOR }],
        },
        {
          viewportOptions: {
            viewportId: COMPARE_VIEWPORTS.denoised,
            toolGroupId: 'default',
            allowUnmatchedView: true,
            syncGroups: sync(true),
          },
          displaySets: [{ id: COMPARE_SELECTOR }],
        },
      ],
    },
  ],
};

export function getHangingProtocolModule() {
  return [
    { name: COMPARE_PROTOCOL_ID, protocol: compareProtocol },
    { name: SCREENING_PROTOCOL_ID, protocol: screeningProtocol },
  ];
}
