/**
 * Trained parameters of one architecture, as plain typed arrays (no tensors),
 * in TensorFlow's layouts. This is what checkpoints store and what export reads.
 */
export interface LayerWeights {
  /** conv: [kh, kw, in, out]; convTranspose: [kh, kw, out, in] (TensorFlow's conv2dTranspose filter layout). */
  readonly kernel: Float32Array;
  readonly kernelShape: readonly [number, number, number, number];
  /** Present when the layer has no batch norm. Length = out channels. */
  readonly bias: Float32Array | null;
  /** Present when the layer has batch norm. Each has length = out channels. */
  readonly batchNorm: {
    readonly gamma: Float32Array;
    readonly beta: Float32Array;
    readonly movingMean: Float32Array;
    readonly movingVariance: Float32Array;
  } | null;
}

export type ModelWeights = ReadonlyMap<string, LayerWeights>;

/**
 * A layer after batch norm has been folded into it: y = conv(x, kernel) + bias.
 * Same kernel layout as LayerWeights.
 */
export interface FoldedLayer {
  readonly kernel: Float32Array;
  readonly kernelShape: readonly [number, number, number, number];
  readonly bias: Float32Array;
}
