/**
 * The extension's OHIF glue as its own tests (tests/extension) drive it: one
 * door, `@mammo-denoise/ohif-extension-denoise/internals`, instead of paths
 * into src/. Not for a host app: OHIF loads index.ts. Shared, framework-free
 * code belongs in @mammo-denoise/core, not here.
 */
export * from './compare/compareLayout';
export * from './config';
export * from './dataSources/everyDataSource';
export * from './dataSources/mammographyStudies';
export * from './denoise/cornerstoneStoredImage';
export * from './denoise/denoiseController';
export * from './denoise/denoiseService';
export * from './denoise/denoisedImageIds';
export * from './denoise/engineNotice';
export * from './getToolbarModule';
export * from './id';
export * from './model/modelPicker';
export * from './model/strengthControl';
export type * from './ohifTypes';
export * from './save/resaveQuestion';
export * from './save/saveDenoisedPlan';
export * from './screening/mirroredZoomPan';
export * from './screening/screeningProtocol';
export * from './screening/viewRegistry';
export * from './voiPresets/storedVoiPresets';
export * from './workarounds/decoderWorkersIdle';
export * from './workarounds/dicomJsonStudyLinks';
export * from './workarounds/loaderFileBytes';
export * from './workarounds/modalityGuard';
export * from './workarounds/textureUploadStrips';
export * from './workarounds/voiLutFunctionFix';
