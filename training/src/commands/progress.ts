import { Presets, SingleBar } from 'cli-progress';

/** A progress bar for long loops; in a pipe or log file it prints a line a minute instead of redrawing. */
export function progressBar(format: string): SingleBar {
  return new SingleBar(
    { format, hideCursor: true, etaBuffer: 50, noTTYOutput: !process.stdout.isTTY, notTTYSchedule: 60_000 },
    Presets.shades_classic,
  );
}

/** onProgress callback for evaluateMethods, drawing a bar. */
export function evaluationProgress(): {
  onProgress: (done: number, total: number, what: string) => void;
  stop: () => void;
} {
  const bar = progressBar('evaluating |{bar}| {value}/{total} {what} | ETA {eta_formatted}');
  let started = false;
  return {
    onProgress: (done, total, what) => {
      if (!started) {
        bar.start(total, done, { what });
        started = true;
      } else {
        bar.update(done, { what });
      }
    },
    stop: () => bar.stop(),
  };
}
