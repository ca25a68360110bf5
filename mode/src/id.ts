import packageJson from '../package.json';

export const MODE_ID = 'denoise';
export const MODE_PACKAGE = packageJson.name;

/** Our extension's id: toolbar evaluators and commands are named from it. */
export const EXTENSION_ID = '@mammo-denoise/ohif-extension-denoise';

/**
 * The extension's screening hanging protocol (its id.ts:
 * SCREENING_PROTOCOL_ID); OHIF falls back to 'default' when it does not match.
 */
export const SCREENING_PROTOCOL_ID = '@mammo-denoise/screening';
