import { readdirSync, readFileSync } from 'node:fs';
import { describeBreakdown, openBreakdown } from './memoryBreakdown';
import type { ViewerPage } from './viewerPage';

/**
 * Issue 15's memory floor as a scenario, shared by the browser test (which
 * asserts a ceiling) and `npm run bench` (which prints the figure): a series
 * of large 16-bit images, every one denoised (the neighbours through
 * background prefetch), then Compare with Difference scrolled over all of
 * them. Samples the tab's renderer every 500 ms.
 */
export interface MemoryFigures {
  /** What the scenario did after loading, e.g. "all denoised, Compare + Difference over all". */
  readonly steps: string;
  readonly peakRendererMb: number;
  readonly peakGpuMb: number;
  readonly denoisedSeconds: number;
  readonly totalSeconds: number;
  /** Peak so far after each step, e.g. "shown 1206". */
  readonly phases: readonly string[];
}

/** The pid's parent, from /proc (null when it has ended). */
function parentOf(pid: number): number | null {
  try {
    // Field 4 of /proc/<pid>/stat, after the command name in parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/**
 * Whether `pid` was started (at any depth) by this Node process:
 * other helpers' Chromiums on the machine are not counted.
 */
function isOurs(pid: number): boolean {
  for (let at: number | null = pid, depth = 0; at && at > 1 && depth < 8; at = parentOf(at), depth += 1)
    if (at === process.pid) return true;
  return false;
}

/** Resident memory (MB) of this process's Chromium renderers (the page and its workers) and GPU process, from /proc. */
export function chromiumMemory(): { rendererMb: number; gpuMb: number } {
  let renderer = 0;
  let gpu = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!args.includes('chromium') || !isOurs(Number(pid))) continue;
      const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
      if (args.includes('--type=renderer')) renderer = Math.max(renderer, rss);
      else if (args.includes('--type=gpu-process')) gpu = Math.max(gpu, rss);
    } catch {
      // The process ended while being read.
    }
  }
  return { rendererMb: Math.round(renderer), gpuMb: Math.round(gpu) };
}

/**
 * The renderer's resident mappings of at least `minMb`, counted by kind ("memfd:…" shared memory, anonymous
 * memory…): shared-memory regions that stay (GPU uploads) read differently from heaps.
 */
export function largeRendererMappings(minMb = 40): string {
  const kinds = new Map<string, number[]>();
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!args.includes('chromium') || !args.includes('--type=renderer') || !isOurs(Number(pid))) continue;
      let kind = '';
      for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
        const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
        if (header) {
          kind = (header[1] ?? '').replace(/ \(deleted\)$/, '').replace(/^\/memfd:.*/, 'memfd') || 'anonymous';
          continue;
        }
        const rss = /^Rss:\s+(\d+) kB/.exec(line);
        if (rss && Number(rss[1]) / 1024 >= minMb) kinds.set(kind, [...(kinds.get(kind) ?? []), Number(rss[1]) / 1024]);
      }
    } catch {
      // The process ended while being read.
    }
  }
  return (
    [...kinds.entries()]
      .map(([kind, sizes]) => `${sizes.length} ${kind} (${Math.round(sizes.reduce((a, b) => a + b, 0))} MB)`)
      .join(', ') || 'none'
  );
}

const VIEWPORT_SHOWN =
  '(() => { if (!window.cornerstone) return false; ' +
  "const e = window.cornerstone.getEnabledElements().find((x) => !x.viewportId.startsWith('renderGPUViewport-')); " +
  'const id = e && e.viewport.getCurrentImageId(); ' +
  "return !!id && !!window.cornerstone.cache.getImage(id) && e.viewport.viewportStatus === 'rendered'; })()";

/** Samples the renderer's peak every 500 ms; `phase(name)` records the peak so far and logs where the bytes are. */
async function memorySampler(viewer: ViewerPage, log: (line: string) => void) {
  let peak = { rendererMb: 0, gpuMb: 0 };
  const sample = () => {
    const now = chromiumMemory();
    peak = { rendererMb: Math.max(peak.rendererMb, now.rendererMb), gpuMb: Math.max(peak.gpuMb, now.gpuMb) };
  };
  const sampler = setInterval(sample, 500);
  // Peak per phase, so a regression says where the memory went.
  const phases: string[] = [];
  const breakdown = await openBreakdown(viewer);
  return {
    phases,
    peak: () => {
      sample();
      return peak;
    },
    phase: async (name: string) => {
      sample();
      phases.push(`${name} ${peak.rendererMb}`);
      log(
        `memory at "${name}": renderer now ${chromiumMemory().rendererMb} MB (peak ${peak.rendererMb}); ` +
          `${describeBreakdown(await breakdown())}; renderer mappings of 40 MB or more: ${largeRendererMappings()}`,
      );
    },
    stop: () => clearInterval(sampler),
  };
}

/** Runs the scenario on a viewer opened at the series; `log` gets one line per step with where the bytes are. */
export async function runMemoryScenario(
  viewer: ViewerPage,
  count: number,
  log: (line: string) => void = () => undefined,
): Promise<MemoryFigures> {
  const { phase, phases, peak, stop } = await memorySampler(viewer, log);
  const started = Date.now();
  try {
    // Mostly air, so the page object's "lit canvas" check does not apply: wait for the image itself to be shown.
    await viewer.page.waitForFunction(VIEWPORT_SHOWN, undefined, { timeout: 180_000, polling: 500 });
    await phase('shown');
    await viewer.pressToolbar('MammoDenoise');
    await viewer.waitForLabel('denoised', 900_000);
    await phase('one denoised');
    await viewer.page.waitForFunction(
      '(() => { const cs = window.cornerstone; ' +
        'return cs.getRenderingEngines().flatMap((e) => e.getViewports()).flatMap((v) => v.getImageIds())' +
        `.filter((id) => id.startsWith('denoised:') && cs.cache.getImage(id)).length >= ${count}; })()`,
      undefined,
      { timeout: 900_000, polling: 1_000 },
    );
    const denoisedAt = Date.now();
    await phase(`${count} denoised`);
    await viewer.pressToolbar('MammoDenoiseCompare');
    await viewer.page.waitForFunction(
      '(() => window.cornerstone.getEnabledElements().some((e) => ' +
        "e.viewportId === 'mammo-denoise-denoised' && e.viewport.getCurrentImageId().startsWith('denoised:')))()",
      undefined,
      { timeout: 300_000, polling: 500 },
    );
    await phase('compare');
    await viewer.pressToolbar('MammoDenoiseDifference');
    await viewer.waitForLabel('difference', 300_000);
    await phase('difference');
    for (const index of [...Array.from({ length: count - 1 }, (_, i) => i + 1), 0]) {
      await viewer.scrollTo(index, 'mammo-denoise-denoised');
      await viewer.page.waitForFunction(
        '(() => window.cornerstone.getEnabledElements().some((e) => ' +
          "e.viewportId === 'mammo-denoise-denoised' && " +
          "e.viewport.getCurrentImageId().startsWith('denoised-difference:') && " +
          'window.cornerstone.cache.getImage(e.viewport.getCurrentImageId())))()',
        undefined,
        { timeout: 300_000 },
      );
      await viewer.waitForLabel('difference', 300_000);
    }
    await phase('difference of each');
    return {
      steps: 'all denoised, Compare + Difference over all',
      peakRendererMb: peak().rendererMb,
      peakGpuMb: peak().gpuMb,
      denoisedSeconds: (denoisedAt - started) / 1000,
      totalSeconds: (Date.now() - started) / 1000,
      phases,
    };
  } finally {
    stop();
  }
}

/**
 * Issue 16's floor as a scenario: a four-view exam hung in the screening
 * layout (the caller opened it), Denoise pressed once, until all four views
 * show their denoised images; then Denoise off and on again (the results come
 * from the cache). `denoisedSeconds` is the time to the fourth.
 */
export async function runScreeningMemoryScenario(
  viewer: ViewerPage,
  log: (line: string) => void = () => undefined,
): Promise<MemoryFigures> {
  const { phase, phases, peak, stop } = await memorySampler(viewer, log);
  const started = Date.now();
  const denoisedLabels = (n: number) =>
    viewer.page.waitForFunction(
      (count) => document.querySelectorAll('[data-testid="denoise-label"][data-state="denoised"]').length === count,
      n,
      { timeout: 1_800_000, polling: 1_000 },
    );
  try {
    await phase('shown');
    await viewer.pressToolbar('MammoDenoise');
    await denoisedLabels(4);
    const denoisedAt = Date.now();
    await phase('four denoised');
    await viewer.pressToolbar('MammoDenoise');
    await denoisedLabels(0);
    await viewer.pressToolbar('MammoDenoise');
    await denoisedLabels(4);
    await phase('off and on again');
    return {
      steps: 'all four denoised with Denoise in the screening layout, then Denoise off and on again',
      peakRendererMb: peak().rendererMb,
      peakGpuMb: peak().gpuMb,
      denoisedSeconds: (denoisedAt - started) / 1000,
      totalSeconds: (Date.now() - started) / 1000,
      phases,
    };
  } finally {
    stop();
  }
}

export const describeMemoryFigures = (f: MemoryFigures, what: string) =>
  `memory: ${what}, ${f.steps} (denoised in ${f.denoisedSeconds.toFixed(0)} s): ` +
  `peak renderer RSS ${f.peakRendererMb} MB (MiB), GPU process ${f.peakGpuMb} MB ` +
  `(${f.totalSeconds.toFixed(0)} s in all); peak so far after each step (MB): ${f.phases.join(', ')}`;
