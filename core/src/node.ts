/**
 * @mammo-denoise/core/node: what only runs in Node (the batch tool, training,
 * bench, tests): pixel decoding and encoding with the Cornerstone codec
 * packages, and the stored-image reader built on it. Everything portable is in
 * '@mammo-denoise/core'.
 */
export * from './dicom/pixelDecoding';
export * from './dicom/storedImage';
export * from './dicom/lossySource';
export * from './dicom/pixelEncoding';
