import packageJson from '../../package.json';

/** The extension id, from package.json; the only strings the mode uses to name our modules. */
export const EXTENSION_ID: string = packageJson.name;
export const EXTENSION_VERSION: string = packageJson.version;

export const COMMANDS = {
  toggleDenoise: 'toggleDenoise',
  compareDenoised: 'compareDenoised',
  selectDenoiseModel: 'selectDenoiseModel',
} as const;

export const EVALUATORS = {
  denoise: 'evaluate.mammoDenoise.denoise',
  compare: 'evaluate.mammoDenoise.compare',
} as const;

export const COMPARE_PROTOCOL_ID = '@mammo-denoise/compare';
