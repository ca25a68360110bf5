import { IMPULSE_VALUES, medianOf9, WINDOW_OFFSETS } from '../model/impulseSwitch';
import { floatTensor, int64Tensor, text, type Onnx } from './onnxProto';

/**
 * Slice ends of a 1-pixel-padded axis for window offset 0, 1, 2: each leaves
 * the unpadded length (ends count from the back, so H and W stay dynamic).
 */
const SLICE_END = [-2, -1, Number.MAX_SAFE_INTEGER] as const;

/**
 * impulseSwitch.ts as ONNX nodes on an NCHW input: reflect-pad by one pixel,
 * nine shifted slices, Paeth's median network as Min/Max, and two Where nodes
 * (Equal + Where only, no Or, so every op has a WebGPU kernel).
 */
export function impulseSwitchGraph(input: string): {
  nodes: Onnx.INodeProto[];
  initializers: Onnx.ITensorProto[];
  output: string;
} {
  const nodes: Onnx.INodeProto[] = [];
  const initializers: Onnx.ITensorProto[] = [
    int64Tensor('impulse.pads', [0, 0, 1, 1, 0, 0, 1, 1]),
    int64Tensor('impulse.axes', [2, 3]),
    floatTensor('impulse.low', [], Float32Array.of(IMPULSE_VALUES[0])),
    floatTensor('impulse.high', [], Float32Array.of(IMPULSE_VALUES[1])),
  ];
  nodes.push({
    name: 'impulse.pad',
    opType: 'Pad',
    input: [input, 'impulse.pads'],
    output: ['impulse.padded'],
    attribute: [text('mode', 'reflect')],
  });
  const window = WINDOW_OFFSETS.map(([dy, dx]) => {
    const name = `impulse.window${dy}${dx}`;
    initializers.push(
      int64Tensor(`${name}.starts`, [dy, dx]),
      int64Tensor(`${name}.ends`, [SLICE_END[dy] as number, SLICE_END[dx] as number]),
    );
    nodes.push({
      name,
      opType: 'Slice',
      input: ['impulse.padded', `${name}.starts`, `${name}.ends`, 'impulse.axes'],
      output: [name],
    });
    return name;
  });
  let count = 0;
  const minMax =
    (opType: 'Min' | 'Max') =>
    (a: string, b: string): string => {
      const name = `impulse.${opType.toLowerCase()}${count++}`;
      nodes.push({ name, opType, input: [a, b], output: [name] });
      return name;
    };
  const median = medianOf9(window, { min: minMax('Min'), max: minMax('Max') });
  nodes.push(
    { name: 'impulse.isLow', opType: 'Equal', input: [input, 'impulse.low'], output: ['impulse.isLow'] },
    { name: 'impulse.isHigh', opType: 'Equal', input: [input, 'impulse.high'], output: ['impulse.isHigh'] },
    {
      name: 'impulse.switchHigh',
      opType: 'Where',
      input: ['impulse.isHigh', median, input],
      output: ['impulse.switchHigh'],
    },
    {
      name: 'impulse.switched',
      opType: 'Where',
      input: ['impulse.isLow', median, 'impulse.switchHigh'],
      output: ['impulse.switched'],
    },
  );
  return { nodes, initializers, output: 'impulse.switched' };
}
