import { BATCH_NORM_EPSILON, type LayerSpec } from '../model/architecture';
import type { FoldedLayer, LayerWeights } from '../model/weights';

/**
 * Folds inference-mode batch norm into the preceding convolution:
 *   BN(conv(x, W)) = conv(x, W·s) + (β − μ·s),  s = γ / √(σ² + ε)
 * per output channel. Exact up to float rounding, which is why the layer
 * order is conv → batch norm → ReLU.
 */
export function foldBatchNorm(spec: LayerSpec, weights: LayerWeights): FoldedLayer {
  const [kh, kw, a, b] = weights.kernelShape;
  // TF layouts: conv [kh, kw, in, out]; conv2dTranspose [kh, kw, out, in].
  const outChannels = spec.kind === 'conv' ? b : a;
  const kernel = weights.kernel.slice();
  const bias = new Float32Array(outChannels);
  if (weights.bias) bias.set(weights.bias);
  const bn = weights.batchNorm;
  if (!bn) return { kernel, kernelShape: weights.kernelShape, bias };

  const scale = new Float64Array(outChannels);
  for (let c = 0; c < outChannels; c += 1) {
    scale[c] = (bn.gamma[c] as number) / Math.sqrt((bn.movingVariance[c] as number) + BATCH_NORM_EPSILON);
    bias[c] = (bn.beta[c] as number) + ((bias[c] as number) - (bn.movingMean[c] as number)) * (scale[c] as number);
  }
  for (let t = 0; t < kh * kw; t += 1) {
    for (let i = 0; i < a; i += 1) {
      for (let j = 0; j < b; j += 1) {
        const index = (t * a + i) * b + j;
        const channel = spec.kind === 'conv' ? j : i;
        kernel[index] = (kernel[index] as number) * (scale[channel] as number);
      }
    }
  }
  return { kernel, kernelShape: weights.kernelShape, bias };
}
