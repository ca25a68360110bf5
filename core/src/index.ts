/**
 * @mammo-denoise/core: the product's own logic, free of OHIF, React and
 * Cornerstone, and its only door for everything that runs in a browser and in
 * Node alike. The Node-only pixel decoder (codec packages loaded through
 * node:module) is behind the second door, '@mammo-denoise/core/node', so a
 * browser bundle never reaches it.
 */
export * from './contract/modelCard';
export * from './contract/modelSpace';
export * from './contract/tilePolicy';
export * from './engine/backgroundMask';
export * from './engine/browserWorker';
export * from './engine/client';
export * from './engine/defaultModel';
export * from './engine/denoiseScheduler';
export * from './engine/derivedImageCache';
export * from './engine/denoiseImage';
export * from './engine/difference';
export * from './engine/intensity';

export * from './engine/modelCatalog';
export * from './engine/modelLoader';
export * from './engine/noiseLevel';
export * from './engine/runner';
export * from './engine/strength';
export * from './engine/tileNoiseMap';
export * from './engine/tiling';
export * from './engine/types';
export * from './engine/validateImage';
export * from './engine/workerHandler';
export * from './dicom/dcmjsMessages';
export * from './dicom/deriveDenoised';
export * from './dicom/derivedUids';
export * from './dicom/dicomweb/index';
export * from './dicom/metaUids';
export * from './dicom/part10';
export * from './dicom/views/classifyView';
export * from './dicom/views/headerView';
export * from './dicom/views/pixelView';
export * from './dicom/views/priorStudy';
export * from './dicom/views/screeningLayout';
export * from './dicom/part10Truncation';
export * from './dicom/sopClasses';
export * from './dicom/transferSyntax';
