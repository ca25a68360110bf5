/**
 * The one import of TensorFlow.js for the workspace. The union package's Node
 * build registers every gradient (tfjs-core alone registers none, and its
 * ESM side-effect entry cannot be imported by Node), on the same tfjs-core
 * engine that the wasm backend registers with.
 */
import '@tensorflow/tfjs';

export * from '@tensorflow/tfjs-core';
