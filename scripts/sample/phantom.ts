import { Random } from '../../training/src/data/random';

/**
 * A synthetic mammogram, so the project ships a realistic sample study without
 * shipping patient data: a breast outline with skin line, glandular texture,
 * fibrous strands converging on the nipple, clusters of calcification-like
 * specks (the detail denoising must keep), and quantum-like noise. Values are
 * stored-value units of a `bitsStored` detector, MONOCHROME2 (dense bright).
 */
export interface PhantomOptions {
  readonly width: number;
  readonly height: number;
  readonly bitsStored: number;
  readonly seed: string;
  /** Gaussian noise std in stored units (the "quantum" noise to remove). */
  readonly noiseSigma: number;
}

export const DEFAULT_PHANTOM: PhantomOptions = {
  width: 2048,
  height: 1664,
  bitsStored: 12,
  seed: 'phantom-1',
  noiseSigma: 40,
};

export interface Speck {
  readonly x: number;
  readonly y: number;
  readonly radius: number;
}

/** Bilinear upsampling of a coarse random grid: smooth texture at a chosen scale. */
function smoothField(width: number, height: number, cell: number, random: Random): Float32Array {
  const gw = Math.ceil(width / cell) + 2;
  const gh = Math.ceil(height / cell) + 2;
  const grid = Float32Array.from({ length: gw * gh }, () => random.normal());
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y += 1) {
    const gy = y / cell;
    const y0 = Math.floor(gy);
    const fy = gy - y0;
    for (let x = 0; x < width; x += 1) {
      const gx = x / cell;
      const x0 = Math.floor(gx);
      const fx = gx - x0;
      const a = grid[y0 * gw + x0] as number;
      const b = grid[y0 * gw + x0 + 1] as number;
      const c = grid[(y0 + 1) * gw + x0] as number;
      const d = grid[(y0 + 1) * gw + x0 + 1] as number;
      out[y * width + x] = (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
    }
  }
  return out;
}

export function generatePhantom(options: PhantomOptions = DEFAULT_PHANTOM): { pixels: Uint16Array; specks: Speck[] } {
  const { width, height } = options;
  const max = 2 ** options.bitsStored - 1;
  const random = Random.fromSeed(options.seed);
  const value = new Float32Array(width * height);
  const coarse = smoothField(width, height, 160, random);
  const medium = smoothField(width, height, 40, random);
  const fine = smoothField(width, height, 9, random);
  // Breast: a half-ellipse against the chest wall on the left; nipple at the right tip.
  const cx = 0;
  const cy = height / 2;
  const rx = width * 0.86;
  const ry = height * 0.47;
  const nipple = { x: rx * 0.99, y: cy };
  const air = 0.012 * max;
  const inside = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const r = Math.hypot((x - cx) / rx, (y - cy) / ry);
      const i = y * width + x;
      if (r >= 1) {
        value[i] = air;
        continue;
      }
      inside[i] = 1;
      // Thickness falls off toward the skin line; glandular tissue is denser near the chest wall.
      const thickness = Math.sqrt(1 - r * r);
      const glandular = Math.max(0, 0.55 + 0.35 * (coarse[i] as number) + 0.2 * (medium[i] as number) - 0.5 * r);
      value[i] = max * (0.18 + 0.3 * thickness + 0.28 * glandular + 0.025 * (fine[i] as number));
    }
  }
  // Fibrous strands: thin curved ridges converging on the nipple.
  for (let s = 0; s < 70; s += 1) {
    const angle = (random.uniform() - 0.5) * 2.4;
    const length = (0.35 + 0.5 * random.uniform()) * rx;
    const bend = (random.uniform() - 0.5) * 0.6;
    const strength = (0.02 + 0.05 * random.uniform()) * max;
    const halfWidth = 0.8 + 1.6 * random.uniform();
    // Strands start a little behind the nipple so they do not pile into one bright star.
    for (let t = 0.06 * rx; t < length; t += 0.7) {
      const a = Math.PI - angle - bend * (t / length);
      const px = nipple.x + Math.cos(a) * t;
      const py = nipple.y + Math.sin(a) * t * (ry / rx) * 1.4;
      const reach = Math.ceil(3 * halfWidth);
      for (let dy = -reach; dy <= reach; dy += 1) {
        for (let dx = -reach; dx <= reach; dx += 1) {
          const x = Math.round(px) + dx;
          const y = Math.round(py) + dy;
          if (x < 0 || y < 0 || x >= width || y >= height || !inside[y * width + x]) continue;
          const d2 = (x - px) ** 2 + (y - py) ** 2;
          // Divided by the step count per pixel so overlapping steps do not pile up.
          value[y * width + x] =
            (value[y * width + x] as number) +
            (strength * Math.exp(-d2 / (2 * halfWidth * halfWidth)) * 0.7) / (2 * halfWidth);
        }
      }
    }
  }
  // Calcification-like specks, in clusters: 1-3 px, clearly brighter than their surroundings.
  const specks: Speck[] = [];
  for (let c = 0; c < 7; c += 1) {
    const ccx = rx * (0.2 + 0.6 * random.uniform());
    const ccy = cy + (random.uniform() - 0.5) * ry * 1.1;
    const count = 5 + random.int(12);
    for (let k = 0; k < count; k += 1) {
      const x = ccx + random.normal() * 25;
      const y = ccy + random.normal() * 25;
      const radius = 0.8 + 1.6 * random.uniform();
      const xi = Math.round(x);
      const yi = Math.round(y);
      if (xi < 4 || yi < 4 || xi >= width - 4 || yi >= height - 4 || !inside[yi * width + xi]) continue;
      specks.push({ x: xi, y: yi, radius });
      for (let dy = -4; dy <= 4; dy += 1) {
        for (let dx = -4; dx <= 4; dx += 1) {
          const d2 = dx * dx + dy * dy;
          value[(yi + dy) * width + xi + dx] =
            (value[(yi + dy) * width + xi + dx] as number) + 0.22 * max * Math.exp(-d2 / (2 * radius * radius));
        }
      }
    }
  }
  const pixels = new Uint16Array(width * height);
  for (let i = 0; i < pixels.length; i += 1) {
    const noisy = (value[i] as number) + options.noiseSigma * random.normal();
    pixels[i] = Math.min(max, Math.max(0, Math.round(noisy)));
  }
  return { pixels, specks };
}
