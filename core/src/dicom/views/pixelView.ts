import type { Laterality, ViewRow } from './headerView';

/** What the pixel rules read: stored values, row-major, and which way round grey runs. */
export interface ViewPixels {
  readonly width: number;
  readonly height: number;
  readonly pixels: ArrayLike<number>;
  readonly photometricInterpretation: string;
}

export interface PixelGuess {
  /** The image edge the breast touches: the chest wall. */
  readonly chestWall: 'left' | 'right';
  /** By the usual storage (chest wall on the breast's own side): chest wall right → right breast. */
  readonly laterality: Laterality;
  readonly row: ViewRow;
  /** Fraction of the width the tissue at the top edge reaches in from the chest wall (the pectoral wedge's base). */
  readonly topExtent: number;
}

/** Long side of the thumbnail the rules run on: enough for outlines, fast for 5355x4915. */
const THUMBNAIL = 256;
/** Width of the edge bands compared for the chest wall, and height of the top band (fractions of the image). */
const EDGE_BAND = 0.03;
/**
 * An MLO shows the pectoral muscle as a wedge along the chest wall reaching
 * the top edge (with the axilla), so tissue at the top edge extends well in
 * from the chest wall; in a CC the breast's outline leaves the top edge clear
 * or touches it only at the corner. Measured on the 12 RSNA four-view images:
 * 0.13-0.33 for MLOs, 0-0.01 for CCs (the GE MLO: 0.29).
 */
const MLO_TOP_EXTENT = 0.06;
/** A gap of air this wide (fraction of the width) ends the tissue run along the top edge. */
const RUN_GAP = 0.05;

/**
 * Guesses laterality and CC/MLO from the image alone, for headers that do not
 * say (the RSNA data strips ViewPosition). Works on a block-averaged
 * thumbnail with an Otsu threshold between air and tissue; burned-in labels
 * are too small to move either measure.
 */
export function guessViewFromPixels(image: ViewPixels): PixelGuess {
  const { grey, width, height } = thumbnail(image);
  const threshold = otsu(grey);
  const tissue = Uint8Array.from(grey, (v) => (v > threshold ? 1 : 0));
  const band = Math.max(2, Math.round(width * EDGE_BAND));
  let left = 0;
  let right = 0;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < band; x += 1) {
      left += tissue[y * width + x] as number;
      right += tissue[y * width + width - 1 - x] as number;
    }
  }
  const chestWall = right > left ? 'right' : 'left';
  const topRows = Math.max(2, Math.round(height * EDGE_BAND));
  const gap = Math.max(1, Math.round(width * RUN_GAP));
  let extent = 0;
  for (let y = 0; y < topRows; y += 1) {
    // The run of tissue from the chest wall inwards, bridging gaps narrower than `gap`.
    let run = 0;
    for (let k = 0; k < width && k - run <= gap; k += 1) {
      const x = chestWall === 'left' ? k : width - 1 - k;
      if (tissue[y * width + x]) run = k + 1;
    }
    extent += run / width;
  }
  const topExtent = extent / topRows;
  return {
    chestWall,
    laterality: chestWall === 'right' ? 'R' : 'L',
    row: topExtent >= MLO_TOP_EXTENT ? 'MLO' : 'CC',
    topExtent,
  };
}

/** Block means over at most THUMBNAIL pixels on the long side, scaled to 0..1 with tissue bright. */
function thumbnail(image: ViewPixels): { grey: Float32Array; width: number; height: number } {
  const step = Math.max(1, Math.ceil(Math.max(image.width, image.height) / THUMBNAIL));
  const width = Math.max(1, Math.floor(image.width / step));
  const height = Math.max(1, Math.floor(image.height / step));
  const grey = new Float32Array(width * height);
  let min = Infinity;
  let max = -Infinity;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      let sum = 0;
      for (let j = 0; j < step; j += 1) {
        const base = (y * step + j) * image.width + x * step;
        for (let i = 0; i < step; i += 1) sum += image.pixels[base + i] as number;
      }
      const mean = sum / (step * step);
      grey[y * width + x] = mean;
      if (mean < min) min = mean;
      if (mean > max) max = mean;
    }
  }
  const span = max - min || 1;
  const inverted = image.photometricInterpretation === 'MONOCHROME1';
  for (let i = 0; i < grey.length; i += 1) {
    const v = ((grey[i] as number) - min) / span;
    grey[i] = inverted ? 1 - v : v;
  }
  return { grey, width, height };
}

/** Otsu's threshold on 256 bins of 0..1 values: the split that best separates air from tissue. */
export function otsu(values: Float32Array): number {
  const bins = 256;
  const histogram = new Float64Array(bins);
  for (const v of values) histogram[Math.min(bins - 1, Math.max(0, Math.floor(v * bins)))] += 1;
  let total = 0;
  let sumAll = 0;
  for (let i = 0; i < bins; i += 1) {
    total += histogram[i] as number;
    sumAll += i * (histogram[i] as number);
  }
  let best = -1;
  let bestBin = 0;
  let weightBelow = 0;
  let sumBelow = 0;
  for (let t = 0; t < bins; t += 1) {
    weightBelow += histogram[t] as number;
    if (weightBelow === 0) continue;
    const weightAbove = total - weightBelow;
    if (weightAbove === 0) break;
    sumBelow += t * (histogram[t] as number);
    const between = weightBelow * weightAbove * (sumBelow / weightBelow - (sumAll - sumBelow) / weightAbove) ** 2;
    if (between > best) {
      best = between;
      bestBin = t;
    }
  }
  return (bestBin + 0.5) / bins;
}
