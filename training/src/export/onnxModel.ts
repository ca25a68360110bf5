import { MODEL_INPUT_NAME, MODEL_OUTPUT_NAME } from '@mammo-denoise/core';
import type { ArchitectureSpec } from '../model/architecture';
import type { FoldedLayer } from '../model/weights';
import { impulseSwitchGraph } from './onnxImpulseSwitch';
import { floatTensor, ints, onnx, type Onnx } from './onnxProto';

export const ONNX_OPSET = 17;

export interface OnnxExportInfo {
  readonly modelId: string;
  readonly modelVersion: string;
  readonly docString: string;
  /** Written to the model's metadata_props, read back by the viewer's engine. */
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * TF [kh, kw, in, out] → ONNX Conv [out, in, kh, kw];
 * TF transpose [kh, kw, out, in] → ONNX ConvTranspose [in, out, kh, kw].
 */
export function onnxKernel(layer: Pick<FoldedLayer, 'kernel' | 'kernelShape'>): { dims: number[]; data: Float32Array } {
  const [kh, kw, a, b] = layer.kernelShape;
  const data = new Float32Array(layer.kernel.length);
  // conv: a = in, b = out → [b, a, kh, kw]; convTranspose: a = out, b = in → [b, a, kh, kw]. Same permutation.
  for (let y = 0; y < kh; y += 1) {
    for (let x = 0; x < kw; x += 1) {
      for (let i = 0; i < a; i += 1) {
        for (let j = 0; j < b; j += 1) {
          data[((j * a + i) * kh + y) * kw + x] = layer.kernel[((y * kw + x) * a + i) * b + j] as number;
        }
      }
    }
  }
  return { dims: [b, a, kh, kw], data };
}

const imageType = (): Onnx.ITypeProto => ({
  tensorType: {
    elemType: onnx.TensorProto.DataType.FLOAT,
    shape: { dim: [{ dimParam: 'batch' }, { dimValue: 1 }, { dimParam: 'height' }, { dimParam: 'width' }] },
  },
});

/**
 * Builds the inference graph (NCHW, batch norm already folded) and returns the
 * serialised ModelProto. Every convolution is 3x3 'same'; the stride-2
 * transposed convolution pads only at the end ([0,0,1,1]) to match
 * TensorFlow's 'same' padding, which puts the odd pixel after.
 */
export function buildOnnxModel(
  architecture: ArchitectureSpec,
  folded: ReadonlyMap<string, FoldedLayer>,
  info: OnnxExportInfo,
): Uint8Array {
  const nodes: Onnx.INodeProto[] = [];
  const initializers: Onnx.ITensorProto[] = [];
  let current = MODEL_INPUT_NAME;
  let skipSource: string | null = null;
  if (architecture.impulseSwitch) {
    const impulse = impulseSwitchGraph(MODEL_INPUT_NAME);
    nodes.push(...impulse.nodes);
    initializers.push(...impulse.initializers);
    current = impulse.output;
  }
  const residualBase = current;

  for (const spec of architecture.layers) {
    const layer = folded.get(spec.name);
    if (!layer) throw new Error(`export: weights for ${spec.name} are missing`);
    const kernel = onnxKernel(layer);
    initializers.push(floatTensor(`${spec.name}.weight`, kernel.dims, kernel.data));
    initializers.push(floatTensor(`${spec.name}.bias`, [layer.bias.length], layer.bias));
    const convOut = `${spec.name}.out`;
    nodes.push(
      spec.kind === 'conv'
        ? {
            name: spec.name,
            opType: 'Conv',
            input: [current, `${spec.name}.weight`, `${spec.name}.bias`],
            output: [convOut],
            attribute: [ints('kernel_shape', [3, 3]), ints('pads', [1, 1, 1, 1]), ints('strides', [1, 1])],
          }
        : {
            name: spec.name,
            opType: 'ConvTranspose',
            input: [current, `${spec.name}.weight`, `${spec.name}.bias`],
            output: [convOut],
            attribute: [
              ints('kernel_shape', [3, 3]),
              ints('pads', [0, 0, 1, 1]),
              ints('strides', [spec.stride, spec.stride]),
            ],
          },
    );
    current = convOut;
    if (spec.activation === 'relu') {
      nodes.push({ name: `${spec.name}.relu`, opType: 'Relu', input: [current], output: [`${spec.name}.relu`] });
      current = `${spec.name}.relu`;
    }
    if (architecture.skip?.from === spec.name) skipSource = current;
    if (architecture.skip?.to === spec.name) {
      if (!skipSource) throw new Error(`export: skip ${architecture.skip.from} → ${spec.name} has no source`);
      nodes.push({
        name: `${spec.name}.skip`,
        opType: 'Add',
        input: [current, skipSource],
        output: [`${spec.name}.skip`],
      });
      current = `${spec.name}.skip`;
    }
    if (architecture.poolAfter === spec.name) {
      nodes.push({
        name: `${spec.name}.pool`,
        opType: 'MaxPool',
        input: [current],
        output: [`${spec.name}.pool`],
        attribute: [ints('kernel_shape', [2, 2]), ints('strides', [2, 2])],
      });
      current = `${spec.name}.pool`;
    }
  }
  if (architecture.globalResidual) {
    nodes.push({ name: 'residual', opType: 'Add', input: [current, residualBase], output: [MODEL_OUTPUT_NAME] });
  } else {
    nodes.push({ name: 'output', opType: 'Identity', input: [current], output: [MODEL_OUTPUT_NAME] });
  }

  return serialiseModel(info, nodes, initializers, [MODEL_INPUT_NAME]);
}

/**
 * The ModelProto around a graph (opset, producer, metadata read back by the
 * engine), serialised. Every exported model has float32 [batch, 1, H, W]
 * inputs named `inputs` and one such output, MODEL_OUTPUT_NAME.
 */
export function serialiseModel(
  info: OnnxExportInfo,
  nodes: Onnx.INodeProto[],
  initializers: Onnx.ITensorProto[],
  inputs: readonly string[],
): Uint8Array {
  const model: Onnx.IModelProto = {
    irVersion: 8,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'mammo-denoise-training',
    producerVersion: info.modelVersion,
    modelVersion: 1,
    docString: info.docString,
    metadataProps: Object.entries({ model_id: info.modelId, model_version: info.modelVersion, ...info.metadata }).map(
      ([key, value]) => ({ key, value }),
    ),
    graph: {
      name: info.modelId,
      node: nodes,
      initializer: initializers,
      input: inputs.map((name) => ({ name, type: imageType() })),
      output: [{ name: MODEL_OUTPUT_NAME, type: imageType() }],
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}
