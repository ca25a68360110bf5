import {
  backend_util,
  getKernel,
  registerKernel,
  unregisterKernel,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * Gradient kernels for the WASM backend, so the autoencoder can be trained on
 * it. tfjs-backend-wasm ships no Conv2DBackpropFilter, and its
 * Conv2DBackpropInput is a plain loop about 10x slower than its XNNPACK
 * Conv2D. Both are rewritten here in terms of the backend's fast kernels.
 * Each is checked against the `cpu` backend in tests/training/wasmKernels.test.ts.
 */

type Pad = 'valid' | 'same' | number | backend_util.ExplicitPadding;
interface ConvAttrs {
  strides: [number, number] | number;
  pad: Pad;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function wasmKernel(name: string): KernelFunc {
  const kernel = getKernel(name, 'wasm');
  if (!kernel) throw new Error(`the wasm backend has no ${name} kernel`);
  return kernel.kernelFunc;
}

/** The geometry of an NHWC convolution, as tfjs computes it for the forward pass (`kernel` names it in the error). */
function nhwcConvInfo(
  kernel: string,
  inputShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  { strides, pad, dataFormat, dimRoundingMode }: ConvAttrs,
): backend_util.Conv2DInfo {
  if (dataFormat === 'NCHW') throw new Error(`${kernel} on wasm supports NHWC only`);
  return backend_util.computeConv2DInfo(
    inputShape,
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
}

/** The backend's XNNPACK Conv2D, stride 1 and NHWC, of `x` padded by [top, bottom] rows and [left, right] columns. */
function xnnpackConv2D(
  backend: BackendWasm,
  x: TensorInfo,
  filter: TensorInfo,
  [top, bottom]: [number, number],
  [left, right]: [number, number],
  dilations: [number, number] | number,
): TensorInfo {
  return wasmKernel('Conv2D')({
    inputs: { x, filter },
    backend,
    attrs: {
      strides: 1,
      pad: [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations,
    },
  }) as TensorInfo;
}

/**
 * dW[fh, fw, ci, co] = Σ_{b,oy,ox} x[b, oy·s + fh − top, ox·s + fw − left, ci] · dy[b, oy, ox, co].
 * Read with the batch as the channel axis, that is itself a convolution: input
 * x' = x as [ci, h, w, b], filter dy' = dy as [oy, ox, b, co] dilated by the
 * stride, output [ci, fh, fw, co]. So XNNPACK's Conv2D does the arithmetic
 * (2-3x faster here than the backend's BatchMatMul on an im2col matrix).
 */
const conv2dBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const convAttrs = attrs as unknown as ConvAttrs & { filterShape: [number, number, number, number] };
  const { filterShape } = convAttrs;
  const info = nhwcConvInfo(
    'Conv2DBackpropFilter',
    x.shape as [number, number, number, number],
    filterShape,
    convAttrs,
  );
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  // Pad after so the "valid" output is exactly filterHeight x filterWidth.
  const bottom = filterHeight + (outHeight - 1) * strideHeight - inHeight - top;
  const right = filterWidth + (outWidth - 1) * strideWidth - inWidth - left;
  if (bottom < 0 || right < 0)
    throw new Error('Conv2DBackpropFilter on wasm: this padding needs cropping, which is not implemented');

  // Allocate before taking heap views: an allocation may grow (and detach) the heap.
  const xT = wasm.makeOutput([inChannels, inHeight, inWidth, batchSize], 'float32');
  const dyT = wasm.makeOutput([outHeight, outWidth, batchSize, outChannels], 'float32');
  const xTView = wasm.typedArrayFromHeap(xT) as Float32Array;
  const dyTView = wasm.typedArrayFromHeap(dyT) as Float32Array;
  const xView = wasm.typedArrayFromHeap(x) as Float32Array;
  const dyView = wasm.typedArrayFromHeap(dy) as Float32Array;
  const plane = inHeight * inWidth;
  for (let b = 0; b < batchSize; b += 1) {
    for (let p = 0; p < plane; p += 1) {
      const src = (b * plane + p) * inChannels;
      for (let ci = 0; ci < inChannels; ci += 1) xTView[(ci * plane + p) * batchSize + b] = xView[src + ci] as number;
    }
  }
  const outPlane = outHeight * outWidth;
  for (let b = 0; b < batchSize; b += 1) {
    for (let p = 0; p < outPlane; p += 1) {
      const src = (b * outPlane + p) * outChannels;
      const dst = (p * batchSize + b) * outChannels;
      for (let co = 0; co < outChannels; co += 1) dyTView[dst + co] = dyView[src + co] as number;
    }
  }
  const product = xnnpackConv2D(wasm, xT, dyT, [top, bottom], [left, right], [strideHeight, strideWidth]);
  wasm.disposeData(xT.dataId);
  wasm.disposeData(dyT.dataId);
  // [ci, fh, fw, co] → [fh, fw, ci, co]
  const out = wasm.makeOutput([...filterShape], 'float32');
  const outView = wasm.typedArrayFromHeap(out) as Float32Array;
  const productView = wasm.typedArrayFromHeap(product) as Float32Array;
  const taps = filterHeight * filterWidth;
  for (let ci = 0; ci < inChannels; ci += 1) {
    for (let t = 0; t < taps; t += 1) {
      for (let co = 0; co < outChannels; co += 1)
        outView[(t * inChannels + ci) * outChannels + co] = productView[(ci * taps + t) * outChannels + co] as number;
    }
  }
  wasm.disposeData(product.dataId);
  return out;
};

/**
 * dx = conv2d(dilate(dy, s), flip(W)ᵀ) with padding (k − 1 − top) before, so
 * the gradient of a conv (and the forward pass of a transposed conv) runs on
 * XNNPACK's Conv2D:
 *   dx[i] = Σ_k D[i + top − k] · W[k],  D = dy with s − 1 zeros between samples.
 */
const conv2dBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const convAttrs = attrs as unknown as ConvAttrs & { inputShape: [number, number, number, number] };
  const filterShape = filter.shape as [number, number, number, number];
  const info = nhwcConvInfo('Conv2DBackpropInput', convAttrs.inputShape, filterShape, convAttrs);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const dilatedHeight = (outHeight - 1) * strideHeight + 1;
  const dilatedWidth = (outWidth - 1) * strideWidth + 1;
  const padTop = filterHeight - 1 - info.padInfo.top;
  const padLeft = filterWidth - 1 - info.padInfo.left;
  const padBottom = inHeight - dilatedHeight - padTop + filterHeight - 1;
  const padRight = inWidth - dilatedWidth - padLeft + filterWidth - 1;
  if (Math.min(padTop, padLeft, padBottom, padRight) < 0)
    throw new Error('Conv2DBackpropInput on wasm: this padding needs cropping, which is not implemented');

  const flipped = wasm.makeOutput([filterHeight, filterWidth, outChannels, inChannels], 'float32');
  const dilated =
    strideHeight === 1 && strideWidth === 1
      ? null
      : wasm.makeOutput([batchSize, dilatedHeight, dilatedWidth, outChannels], 'float32');
  const flippedView = wasm.typedArrayFromHeap(flipped) as Float32Array;
  const filterView = wasm.typedArrayFromHeap(filter) as Float32Array;
  for (let fh = 0; fh < filterHeight; fh += 1) {
    for (let fw = 0; fw < filterWidth; fw += 1) {
      const src = ((filterHeight - 1 - fh) * filterWidth + (filterWidth - 1 - fw)) * inChannels * outChannels;
      const dst = (fh * filterWidth + fw) * outChannels * inChannels;
      for (let ci = 0; ci < inChannels; ci += 1)
        for (let co = 0; co < outChannels; co += 1)
          flippedView[dst + co * inChannels + ci] = filterView[src + ci * outChannels + co] as number;
    }
  }
  if (dilated) {
    const dilatedView = wasm.typedArrayFromHeap(dilated) as Float32Array;
    const dyView = wasm.typedArrayFromHeap(dy) as Float32Array;
    dilatedView.fill(0);
    for (let b = 0; b < batchSize; b += 1) {
      for (let oy = 0; oy < outHeight; oy += 1) {
        for (let ox = 0; ox < outWidth; ox += 1) {
          const src = ((b * outHeight + oy) * outWidth + ox) * outChannels;
          const dst = ((b * dilatedHeight + oy * strideHeight) * dilatedWidth + ox * strideWidth) * outChannels;
          for (let c = 0; c < outChannels; c += 1) dilatedView[dst + c] = dyView[src + c] as number;
        }
      }
    }
  }
  const result = xnnpackConv2D(wasm, dilated ?? dy, flipped, [padTop, padBottom], [padLeft, padRight], 1);
  wasm.disposeData(flipped.dataId);
  if (dilated) wasm.disposeData(dilated.dataId);
  return result;
};

const KERNELS: readonly KernelConfig[] = [
  { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2dBackpropFilter },
  { kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: conv2dBackpropInput },
];

let registered = false;
/**
 * Registers the project's gradient kernels on the wasm backend, replacing the stock Conv2DBackpropInput (idempotent).
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  for (const kernel of KERNELS) {
    if (getKernel(kernel.kernelName, kernel.backendName)) unregisterKernel(kernel.kernelName, kernel.backendName);
    registerKernel(kernel);
  }
  registered = true;
}
