import { metaData, utilities, type Types } from '@cornerstonejs/core';

/**
 * The window centre/width pairs stored in the image (Window Center/Width,
 * with their explanations and the VOI LUT Function), which mammography units
 * write as presets (e.g. NORMAL, HARDER, SOFTER). Cornerstone shows the first
 * and OHIF 3.13.2 offers no way to pick another, so the extension's command
 * steps through them. A denoised image has its source's metadata, hence the
 * same presets.
 */
export interface StoredVoiPreset {
  readonly center: number;
  readonly width: number;
  readonly explanation: string | null;
  /** LINEAR, LINEAR_EXACT or SIGMOID. */
  readonly voiLutFunction: string;
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null || v === '' ? [] : [v]);

export function storedVoiPresets(imageId: string): StoredVoiPreset[] {
  const module = (metaData.get('voiLutModule', imageId) ?? {}) as {
    windowCenter?: unknown;
    windowWidth?: unknown;
    voiLUTFunction?: unknown;
    windowCenterWidthExplanation?: unknown;
  };
  // The function may arrive as a string or a one-element array (see voiLutFunctionFix.ts).
  const fn =
    String(list(module.voiLUTFunction)[0] ?? 'LINEAR')
      .trim()
      .toUpperCase() || 'LINEAR';
  const centers = list(module.windowCenter).map(Number);
  const widths = list(module.windowWidth).map(Number);
  const explanations = list(
    module.windowCenterWidthExplanation ?? (metaData.get('WindowCenterWidthExplanation', imageId) as unknown),
  ).map(String);
  return centers
    .map((center, i) => ({
      center,
      width: widths[i] ?? widths[0] ?? NaN,
      explanation: explanations[i] ?? null,
      voiLutFunction: fn,
    }))
    .filter((p) => Number.isFinite(p.center) && Number.isFinite(p.width) && p.width > 0);
}

/** The viewport VOI range Cornerstone uses for a preset (for SIGMOID: centre ± width/2, drawn as the sigmoid). */
export function voiRangeOf(preset: StoredVoiPreset): Types.VOIRange {
  return utilities.windowLevel.toLowHighRange(
    preset.width,
    preset.center,
    preset.voiLutFunction as Parameters<typeof utilities.windowLevel.toLowHighRange>[2],
  );
}

/** Shows stored preset `index` (wrapping) in a viewport; null when the image stores none. */
export function applyStoredVoiPreset(
  viewport: Types.IStackViewport,
  index: number,
): { preset: StoredVoiPreset; index: number; count: number } | null {
  const presets = storedVoiPresets(viewport.getCurrentImageId());
  if (presets.length === 0) return null;
  const i = ((index % presets.length) + presets.length) % presets.length;
  const preset = presets[i] as StoredVoiPreset;
  viewport.setProperties({
    voiRange: voiRangeOf(preset),
    VOILUTFunction: preset.voiLutFunction as Types.ViewportProperties['VOILUTFunction'],
  });
  viewport.render();
  return { preset, index: i, count: presets.length };
}
