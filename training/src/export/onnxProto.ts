import { createRequire } from 'node:module';
import type { onnx as Onnx } from 'onnx-proto';

// onnx-proto is CommonJS whose named export Node's ESM loader cannot detect.
export const { onnx } = createRequire(import.meta.url)('onnx-proto') as typeof import('onnx-proto');
export type { Onnx };

export const floatTensor = (name: string, dims: number[], data: Float32Array): Onnx.ITensorProto => ({
  name,
  dims,
  dataType: onnx.TensorProto.DataType.FLOAT,
  rawData: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)),
});

export const int64Tensor = (name: string, values: readonly number[]): Onnx.ITensorProto => {
  const data = BigInt64Array.from(values, (v) => BigInt(v));
  return {
    name,
    dims: [values.length],
    dataType: onnx.TensorProto.DataType.INT64,
    rawData: new Uint8Array(data.buffer),
  };
};

export const ints = (name: string, values: number[]): Onnx.IAttributeProto => ({
  name,
  type: onnx.AttributeProto.AttributeType.INTS,
  ints: values,
});
export const text = (name: string, value: string): Onnx.IAttributeProto => ({
  name,
  type: onnx.AttributeProto.AttributeType.STRING,
  s: new TextEncoder().encode(value),
});
