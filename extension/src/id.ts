import packageJson from '../package.json';

/** The extension id, from package.json; the only strings the mode uses to name our modules. */
export const EXTENSION_ID: string = packageJson.name;
export const EXTENSION_VERSION: string = packageJson.version;

export const COMMANDS = {
  toggleDenoise: 'toggleDenoise',
  compareDenoised: 'compareDenoised',
  selectDenoiseModel: 'selectDenoiseModel',
  saveDenoised: 'saveDenoisedSeries',
  nextDenoiseModel: 'nextDenoiseModel',
  /** The mode names its split-button section and Denoise button; the extension adds the models. */
  attachDenoiseModelPicker: 'attachDenoiseModelPicker',
  toggleDenoiseDifference: 'toggleDenoiseDifference',
  selectDenoiseStrength: 'selectDenoiseStrength',
  /** The mode names its strength section; the extension adds the strengths. */
  attachDenoiseStrength: 'attachDenoiseStrength',
  /** Screening layout: current over prior (CC, then MLO), then back to the current exam. */
  toggleScreeningPrior: 'toggleScreeningPrior',
} as const;

export const EVALUATORS = {
  denoise: 'evaluate.mammoDenoise.denoise',
  compare: 'evaluate.mammoDenoise.compare',
  save: 'evaluate.mammoDenoise.save',
  model: 'evaluate.mammoDenoise.model',
  difference: 'evaluate.mammoDenoise.difference',
  strength: 'evaluate.mammoDenoise.strength',
  prior: 'evaluate.mammoDenoise.prior',
} as const;

export const COMPARE_PROTOCOL_ID = '@mammo-denoise/compare';
export const SCREENING_PROTOCOL_ID = '@mammo-denoise/screening';

/** The sync group type of a screening pair: zoom and pan linked, the pan mirrored between the breasts. */
export const MIRRORED_ZOOM_PAN = 'mammomirroredzoompan';
