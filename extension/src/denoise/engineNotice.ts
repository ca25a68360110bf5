import type { EngineReady } from '@mammo-denoise/core';

const NAMES: Record<string, string> = { webgpu: 'WebGPU', wasm: 'WASM', cpu: 'CPU' };

/**
 * What to tell the user about the engine that runs, once per model: why a
 * preferred provider was skipped (no WebGPU) and that WASM runs on one thread
 * when the page is not cross-origin isolated (no COOP/COEP). Null when it
 * runs as configured with nothing to say.
 */
export function engineNotice(ready: EngineReady, crossOriginIsolated: boolean): string | null {
  const parts: string[] = [];
  for (const f of ready.fallbacks) parts.push(`${NAMES[f.provider] ?? f.provider} is unavailable (${f.reason})`);
  if (ready.executionProvider === 'wasm' && ready.wasmThreads <= 1) {
    parts.push(
      crossOriginIsolated
        ? 'WASM runs on one thread'
        : 'WASM runs on one thread, because the page is not ' +
            'cross-origin isolated (the server sends no COOP/COEP headers)',
    );
  }
  if (parts.length === 0) return null;
  return (
    `Denoising runs on ${NAMES[ready.executionProvider] ?? ready.executionProvider}: ` +
    `${parts.join('; ')}. Results are the same, only slower.`
  );
}
