/** The mode's own toolbar buttons; OHIF's uiTypes render them (no React of ours). */
export interface Button {
  id: string;
  uiType: string;
  props: Record<string, unknown>;
}

export const DENOISE_BUTTON = 'MammoDenoise';
export const COMPARE_BUTTON = 'MammoDenoiseCompare';
export const SAVE_BUTTON = 'MammoDenoiseSave';
export const DIFFERENCE_BUTTON = 'MammoDenoiseDifference';
export const PRIOR_BUTTON = 'MammoScreeningPrior';
/** Split button: Denoise, and in its menu the configured models (the extension adds them once loaded). */
export const DENOISE_SECTION = 'MammoDenoiseSection';
/** Split button: the noise-map strength (the extension adds the choices; enabled for noise-conditioned models only). */
export const STRENGTH_SECTION = 'MammoDenoiseStrengthSection';

export const toolbarButtons: Button[] = [
  { id: DENOISE_SECTION, uiType: 'ohif.toolButtonList', props: { buttonSection: true } },
  { id: STRENGTH_SECTION, uiType: 'ohif.toolButtonList', props: { buttonSection: true } },
  {
    id: DENOISE_BUTTON,
    uiType: 'ohif.toolButton',
    props: {
      icon: 'tool-window-level',
      label: 'Denoise',
      tooltip: 'Denoise (D): show the active image denoised by the selected model; press again for the original',
      commands: 'toggleDenoise',
      evaluate: 'evaluate.mammoDenoise.denoise',
    },
  },
  {
    id: COMPARE_BUTTON,
    uiType: 'ohif.toolButton',
    props: {
      icon: 'icon-multiple-patients',
      label: 'Compare',
      tooltip: 'Compare (Shift+D): original | denoised side by side, zoom, pan, window/level and scrolling linked',
      commands: 'compareDenoised',
      evaluate: 'evaluate.mammoDenoise.compare',
    },
  },
  {
    id: DIFFERENCE_BUTTON,
    uiType: 'ohif.toolButton',
    props: {
      icon: 'tool-fusion-color',
      label: 'Difference',
      tooltip:
        'Difference (X), in Compare: the right viewport shows denoised − original (mid-grey = no change) ' +
        'to check that calcifications survive; press again for the denoised image',
      commands: 'toggleDenoiseDifference',
      evaluate: 'evaluate.mammoDenoise.difference',
    },
  },
  {
    id: PRIOR_BUTTON,
    uiType: 'ohif.toolButton',
    props: {
      icon: 'tool-layout',
      label: 'Prior',
      // The extension's evaluator names the prior's date, or says there is none.
      tooltip: 'Prior (Shift+P): in the screening layout, the current exam over the prior one, CC then MLO',
      commands: 'toggleScreeningPrior',
      evaluate: 'evaluate.mammoDenoise.prior',
    },
  },
  {
    id: SAVE_BUTTON,
    uiType: 'ohif.toolButton',
    props: {
      icon: 'icon-transferring',
      label: 'Save denoised',
      // The extension's evaluator replaces it with where Save stores (PACS or download).
      tooltip: 'Save (S): save the denoised image as a new derived series (PACS) or download it as a DICOM file',
      commands: 'saveDenoisedSeries',
      evaluate: 'evaluate.mammoDenoise.save',
    },
  },
];

export const hotkeys = [
  { commandName: 'toggleDenoise', label: 'Denoise', keys: ['d'] },
  { commandName: 'compareDenoised', label: 'Compare original and denoised', keys: ['shift+d'] },
  { commandName: 'nextDenoiseModel', label: 'Next denoising model', keys: ['m'] },
  { commandName: 'toggleDenoiseDifference', label: 'Difference view in Compare', keys: ['x'] },
  { commandName: 'saveDenoisedSeries', label: 'Save denoised as new series', keys: ['s'] },
  { commandName: 'toggleScreeningPrior', label: 'Screening: current over prior', keys: ['shift+p'] },
];
