import * as tf from '../backend/tf';
import { gaussianKernel1d } from '../evaluate/image';
import { SSIM_K1, SSIM_K2, SSIM_RADIUS, SSIM_SIGMA } from '../evaluate/metrics';

/**
 * Mean SSIM per sample as a differentiable TF.js expression: the evaluation's
 * SSIM (metrics.ts: 11x11 Gaussian window, sigma 1.5, K1 0.01, K2 0.03,
 * population covariances, valid windows only) on [0, 1] images (L = 1).
 * The window is separable, so it is two 'valid' convolutions (11x1 then 1x11).
 */
export function ssimPerSample(a: tf.Tensor4D, b: tf.Tensor4D): tf.Tensor1D {
  return tf.tidy(() => {
    const taps = Float32Array.from(gaussianKernel1d(SSIM_SIGMA, SSIM_RADIUS));
    const vertical = tf.tensor4d(taps, [taps.length, 1, 1, 1]);
    const horizontal = tf.tensor4d(taps, [1, taps.length, 1, 1]);
    const blur = (t: tf.Tensor4D): tf.Tensor4D => tf.conv2d(tf.conv2d(t, vertical, 1, 'valid'), horizontal, 1, 'valid');
    const muA = blur(a);
    const muB = blur(b);
    const varA = tf.sub(blur(tf.mul(a, a)), tf.mul(muA, muA));
    const varB = tf.sub(blur(tf.mul(b, b)), tf.mul(muB, muB));
    const cov = tf.sub(blur(tf.mul(a, b)), tf.mul(muA, muB));
    const c1 = SSIM_K1 ** 2;
    const c2 = SSIM_K2 ** 2;
    const numerator = tf.mul(tf.add(tf.mul(tf.mul(muA, muB), 2), c1), tf.add(tf.mul(cov, 2), c2));
    const denominator = tf.mul(tf.add(tf.add(tf.mul(muA, muA), tf.mul(muB, muB)), c1), tf.add(tf.add(varA, varB), c2));
    return tf.mean(tf.div(numerator, denominator), [1, 2, 3]) as tf.Tensor1D;
  });
}
