/**
 * Synthetic mammograms for the view rules: a half-disc of tissue against the
 * chest wall (CC), or, for an MLO, the breast reaching the top edge with a
 * denser pectoral wedge along the chest wall; air elsewhere, with noise and a
 * burned-in label in the far corner (as scanners print "R MLO").
 */
export interface SyntheticBreast {
  width: number;
  height: number;
  pixels: Uint16Array;
  photometricInterpretation: 'MONOCHROME1' | 'MONOCHROME2';
}

export function syntheticBreast(options: {
  chestWall: 'left' | 'right';
  view: 'CC' | 'MLO';
  monochrome1?: boolean;
  width?: number;
  height?: number;
}): SyntheticBreast {
  const width = options.width ?? 400;
  const height = options.height ?? 520;
  const pixels = new Uint16Array(width * height);
  let seed = 12345;
  const noise = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 40) - 20;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const d = options.chestWall === 'left' ? x : width - 1 - x; // distance from the chest wall
      let value = 200; // air
      if (options.view === 'CC') {
        // A half-ellipse centred on the chest wall, clear of the top and bottom edges.
        const ry = height * 0.38;
        const rx = width * 0.7;
        if ((d / rx) ** 2 + ((y - height * 0.5) / ry) ** 2 <= 1) value = 2200;
      } else {
        // The breast hangs from the axilla: its outline leaves the chest wall at the top edge.
        const reach = width * (0.3 + 0.45 * Math.sin(Math.PI * Math.min(1, y / (height * 0.95))));
        if (y < height * 0.95 && d <= reach) value = 2200;
        // The pectoral muscle: a wedge along the chest wall, widest at the top.
        if (d < width * 0.35 * (1 - y / (height * 0.6))) value = 3000;
      }
      pixels[y * width + x] = value + noise();
    }
  }
  // A burned-in label, on the side away from the chest wall.
  const labelX = options.chestWall === 'left' ? width - 60 : 20;
  for (let y = 20; y < 34; y += 1) for (let x = labelX; x < labelX + 40; x += 1) pixels[y * width + x] = 4000;
  if (options.monochrome1) for (let i = 0; i < pixels.length; i += 1) pixels[i] = 4095 - (pixels[i] as number);
  return { width, height, pixels, photometricInterpretation: options.monochrome1 ? 'MONOCHROME1' : 'MONOCHROME2' };
}
