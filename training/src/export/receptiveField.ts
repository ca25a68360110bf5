import { OnnxDenoiser } from '../evaluate/onnxDenoiser';

/**
 * Measures how far (in pixels, per side) a change in the input reaches the
 * output, by perturbing the centre pixel of a textured image and finding the
 * farthest output pixel that moves. Tiles need at least this much halo.
 */
export async function measureReceptiveFieldRadius(onnx: Uint8Array, size = 128): Promise<number> {
  const denoiser = await OnnxDenoiser.load(onnx);
  const base = new Uint8Array(size * size);
  for (let i = 0; i < base.length; i += 1) base[i] = 80 + (((i * 2654435761) >>> 24) % 96);
  const bumped = base.slice();
  const c = (size / 2) * size + size / 2;
  bumped[c] = (bumped[c] as number) > 128 ? 0 : 255;
  const pair = new Uint8Array(2 * base.length);
  pair.set(base, 0);
  pair.set(bumped, base.length);
  const raw = await denoiser.denoiseRaw(pair, 2, size);
  await denoiser.release();
  let radius = 0;
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const i = y * size + x;
      if (Math.abs((raw[i] as number) - (raw[base.length + i] as number)) > 0)
        radius = Math.max(radius, Math.abs(y - size / 2), Math.abs(x - size / 2));
    }
  }
  if (radius >= size / 2 - 1)
    throw new Error(`receptive field reaches the probe's edge (${radius} px); use a larger probe`);
  return radius;
}
