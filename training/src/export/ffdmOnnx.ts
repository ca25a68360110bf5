import { FFDM_NOISE_MAP_INPUT } from './ffdmContract';
import { NOISE_INPUT_SCALE, ffdmLayers, type FfdmArchitecture, type FfdmWeights } from '../model/ffdmNetwork';
import { MODEL_INPUT_NAME, MODEL_OUTPUT_NAME } from '@mammo-denoise/core';
import { onnxKernel, serialiseModel, type OnnxExportInfo } from './onnxModel';
import { floatTensor, ints, onnx, type Onnx } from './onnxProto';
import { GUARD_EPSILON, speckGuardKernel, type SpeckGuard } from '../model/speckGuard';

/**
 * The digital-mammogram network as an ONNX graph (NCHW), from the same layer
 * list as the TF.js forward pass (ffdmNetwork.ts):
 *   Concat(input, noise_sigma x NOISE_INPUT_SCALE) → Conv 2x2/2 → Relu
 *   → [Conv 3x3 pad 1 → Relu] x depth → ConvTranspose 2x2/2 → Add(input).
 * Two inputs of the same shape [batch, 1, H, W], H and W even.
 */
export function buildFfdmOnnx(
  arch: FfdmArchitecture,
  weights: FfdmWeights,
  info: OnnxExportInfo,
  guard?: SpeckGuard,
): Uint8Array {
  const nodes: Onnx.INodeProto[] = [
    {
      name: 'noise_scale',
      opType: 'Mul',
      input: [FFDM_NOISE_MAP_INPUT, 'noise_scale.value'],
      output: ['noise_scaled'],
    },
    {
      name: 'concat',
      opType: 'Concat',
      input: [MODEL_INPUT_NAME, 'noise_scaled'],
      output: ['features0'],
      attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }],
    },
  ];
  const initializers: Onnx.ITensorProto[] = [
    floatTensor('noise_scale.value', [], new Float32Array([NOISE_INPUT_SCALE])),
  ];
  let current = 'features0';
  for (const spec of ffdmLayers(arch)) {
    const w = weights.get(spec.name);
    if (!w) throw new Error(`export: weights for ${spec.name} are missing`);
    const kernel = onnxKernel(w);
    initializers.push(
      floatTensor(`${spec.name}.weight`, kernel.dims, kernel.data),
      floatTensor(`${spec.name}.bias`, [w.bias.length], w.bias),
    );
    const out = `${spec.name}.out`;
    const conv = spec.kind === 'shuffle' ? 'ConvTranspose' : 'Conv';
    const [kh, kw] = spec.kernelShape;
    const stride = spec.kind === 'conv' ? 1 : 2;
    const pad = spec.kind === 'conv' ? 1 : 0;
    nodes.push({
      name: spec.name,
      opType: conv,
      input: [current, `${spec.name}.weight`, `${spec.name}.bias`],
      output: [out],
      attribute: [
        ints('kernel_shape', [kh, kw]),
        ints('pads', [pad, pad, pad, pad]),
        ints('strides', [stride, stride]),
      ],
    });
    current = out;
    if (spec.kind !== 'shuffle') {
      nodes.push({ name: `${spec.name}.relu`, opType: 'Relu', input: [current], output: [`${spec.name}.relu`] });
      current = `${spec.name}.relu`;
    }
  }
  if (!guard) {
    nodes.push({ name: 'residual', opType: 'Add', input: [current, MODEL_INPUT_NAME], output: [MODEL_OUTPUT_NAME] });
    return serialiseModel(info, nodes, initializers, [MODEL_INPUT_NAME, FFDM_NOISE_MAP_INPUT]);
  }
  nodes.push({ name: 'residual', opType: 'Add', input: [current, MODEL_INPUT_NAME], output: ['network.out'] });
  const g = speckGuardNodes(guard, MODEL_INPUT_NAME, 'network.out', FFDM_NOISE_MAP_INPUT, MODEL_OUTPUT_NAME);
  return serialiseModel(
    info,
    [...nodes, ...g.nodes],
    [...initializers, ...g.initializers],
    [MODEL_INPUT_NAME, FFDM_NOISE_MAP_INPUT],
  );
}

/**
 * The speck guard (speckGuard.ts) as ONNX nodes:
 * out = network + maxpool(sigmoid((DoG(x) / (map |DoG|) - t) / s)) (x - network).
 */
function speckGuardNodes(
  guard: SpeckGuard,
  x: string,
  network: string,
  map: string,
  out: string,
): { nodes: Onnx.INodeProto[]; initializers: Onnx.ITensorProto[] } {
  const kernel = speckGuardKernel(guard);
  const scalar = (name: string, value: number): Onnx.ITensorProto => floatTensor(name, [], new Float32Array([value]));
  const half = Math.floor(guard.spread / 2);
  return {
    initializers: [
      floatTensor('guard.dog', [1, 1, kernel.size, kernel.size], kernel.values),
      scalar('guard.norm', kernel.norm),
      scalar('guard.epsilon', GUARD_EPSILON),
      scalar('guard.threshold', guard.threshold),
      scalar('guard.softness', guard.softness),
    ],
    nodes: [
      {
        name: 'guard.dog',
        opType: 'Conv',
        input: [x, 'guard.dog'],
        output: ['guard.response'],
        attribute: [
          ints('kernel_shape', [kernel.size, kernel.size]),
          ints('pads', [guard.radius, guard.radius, guard.radius, guard.radius]),
          ints('strides', [1, 1]),
        ],
      },
      { name: 'guard.std', opType: 'Mul', input: [map, 'guard.norm'], output: ['guard.std'] },
      { name: 'guard.std_eps', opType: 'Add', input: ['guard.std', 'guard.epsilon'], output: ['guard.std_eps'] },
      { name: 'guard.z', opType: 'Div', input: ['guard.response', 'guard.std_eps'], output: ['guard.z'] },
      { name: 'guard.centred', opType: 'Sub', input: ['guard.z', 'guard.threshold'], output: ['guard.centred'] },
      { name: 'guard.scaled', opType: 'Div', input: ['guard.centred', 'guard.softness'], output: ['guard.scaled'] },
      { name: 'guard.sigmoid', opType: 'Sigmoid', input: ['guard.scaled'], output: ['guard.sigmoid'] },
      {
        name: 'guard.mask',
        opType: 'MaxPool',
        input: ['guard.sigmoid'],
        output: ['guard.mask'],
        attribute: [
          ints('kernel_shape', [guard.spread, guard.spread]),
          ints('pads', [half, half, half, half]),
          ints('strides', [1, 1]),
        ],
      },
      { name: 'guard.removed', opType: 'Sub', input: [x, network], output: ['guard.removed'] },
      { name: 'guard.restored', opType: 'Mul', input: ['guard.mask', 'guard.removed'], output: ['guard.restored'] },
      { name: 'guard.out', opType: 'Add', input: [network, 'guard.restored'], output: [out] },
    ],
  };
}
