import * as ort from 'onnxruntime-node';
import { eightBitToModel, MODEL_INPUT_NAME, MODEL_OUTPUT_NAME, modelToEightBit } from '@mammo-denoise/core';

/** Runs an exported model on batches of 8-bit crops with onnxruntime-node (CPU). */
export class OnnxDenoiser {
  private constructor(private readonly session: ort.InferenceSession) {}

  static async load(modelPathOrBytes: string | Uint8Array): Promise<OnnxDenoiser> {
    // The overloads differ by argument type, so each branch calls its own.
    const options: ort.InferenceSession.SessionOptions = { graphOptimizationLevel: 'all' };
    const session =
      typeof modelPathOrBytes === 'string'
        ? await ort.InferenceSession.create(modelPathOrBytes, options)
        : await ort.InferenceSession.create(modelPathOrBytes, options);
    return new OnnxDenoiser(session);
  }

  /**
   * crops: `count` 8-bit images of size×size, row-major. Returns the model's
   * output mapped back to 8 bits (×255, rounded, clipped), as a stored image would be.
   */
  async denoise8bit(crops: Uint8Array, count: number, size: number): Promise<Uint8Array> {
    const raw = await this.denoiseRaw(crops, count, size);
    const out = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i += 1) out[i] = modelToEightBit(raw[i] as number);
    return out;
  }

  /** The model's float output on the [0, 1] scale, unrounded. */
  async denoiseRaw(crops: Uint8Array, count: number, size: number, chunk = 32): Promise<Float32Array> {
    const pixels = size * size;
    const out = new Float32Array(count * pixels);
    for (let start = 0; start < count; start += chunk) {
      const n = Math.min(chunk, count - start);
      const input = new Float32Array(n * pixels);
      for (let i = 0; i < input.length; i += 1) input[i] = eightBitToModel(crops[start * pixels + i] as number);
      const result = await this.session.run({
        [MODEL_INPUT_NAME]: new ort.Tensor('float32', input, [n, 1, size, size]),
      });
      out.set(result[MODEL_OUTPUT_NAME]?.data as Float32Array, start * pixels);
    }
    return out;
  }

  /** One 8-bit image of any even height x width, float output on the [0, 1] scale. */
  async denoiseRect(pixels: Uint8Array, height: number, width: number): Promise<Float32Array> {
    const input = Float32Array.from(pixels.subarray(0, height * width), eightBitToModel);
    const result = await this.session.run({
      [MODEL_INPUT_NAME]: new ort.Tensor('float32', input, [1, 1, height, width]),
    });
    return result[MODEL_OUTPUT_NAME]?.data as Float32Array;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
