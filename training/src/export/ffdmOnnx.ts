import { FFDM_NOISE_MAP_INPUT } from './ffdmContract';
import { NOISE_INPUT_SCALE, ffdmLayers, type FfdmArchitecture, type FfdmWeights } from '../model/ffdmNetwork';
import { MODEL_INPUT_NAME, MODEL_OUTPUT_NAME } from '@mammo-denoise/core';
import { onnxKernel, serialiseModel, type OnnxExportInfo } from './onnxModel';
import { floatTensor, ints, onnx, type Onnx } from './onnxProto';

/**
 * The digital-mammogram network as an ONNX graph (NCHW), from the same layer
 * list as the TF.js forward pass (ffdmNetwork.ts):
 *   Concat(input, noise_sigma x NOISE_INPUT_SCALE) → Conv 2x2/2 → Relu
 *   → [Conv 3x3 pad 1 → Relu] x depth → ConvTranspose 2x2/2 → Add(input).
 * Two inputs of the same shape [batch, 1, H, W], H and W even.
 */
export function buildFfdmOnnx(arch: FfdmArchitecture, weights: FfdmWeights, info: OnnxExportInfo): Uint8Array {
  const nodes: Onnx.INodeProto[] = [
    { name: 'noise_scale', opType: 'Mul', input: [FFDM_NOISE_MAP_INPUT, 'noise_scale.value'], output: ['noise_scaled'] },
    { name: 'concat', opType: 'Concat', input: [MODEL_INPUT_NAME, 'noise_scaled'], output: ['features0'], attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }] },
  ];
  const initializers: Onnx.ITensorProto[] = [floatTensor('noise_scale.value', [], new Float32Array([NOISE_INPUT_SCALE]))];
  let current = 'features0';
  for (const spec of ffdmLayers(arch)) {
    const w = weights.get(spec.name);
    if (!w) throw new Error(`export: weights for ${spec.name} are missing`);
    const kernel = onnxKernel(w);
    initializers.push(floatTensor(`${spec.name}.weight`, kernel.dims, kernel.data), floatTensor(`${spec.name}.bias`, [w.bias.length], w.bias));
    const out = `${spec.name}.out`;
    const conv = spec.kind === 'shuffle' ? 'ConvTranspose' : 'Conv';
    const [kh, kw] = spec.kernelShape;
    const stride = spec.kind === 'conv' ? 1 : 2;
    const pad = spec.kind === 'conv' ? 1 : 0;
    nodes.push({ name: spec.name, opType: conv, input: [current, `${spec.name}.weight`, `${spec.name}.bias`], output: [out], attribute: [ints('kernel_shape', [kh, kw]), ints('pads', [pad, pad, pad, pad]), ints('strides', [stride, stride])] });
    current = out;
    if (spec.kind !== 'shuffle') {
      nodes.push({ name: `${spec.name}.relu`, opType: 'Relu', input: [current], output: [`${spec.name}.relu`] });
      current = `${spec.name}.relu`;
    }
  }
  nodes.push({ name: 'residual', opType: 'Add', input: [current, MODEL_INPUT_NAME], output: [MODEL_OUTPUT_NAME] });
  return serialiseModel(info, nodes, initializers, [MODEL_INPUT_NAME, FFDM_NOISE_MAP_INPUT]);
}
