import cliProgress from 'cli-progress';
import type { BatchReporter, BatchSummary, FileOutcome } from './batch';
import { describeRun } from './batchModel';

function line(outcome: FileOutcome): string {
  if (outcome.status !== 'ok') return `${outcome.status.padEnd(7)} ${outcome.source.label}: ${outcome.reason}`;
  const skipped = outcome.tilesSkipped ? `, ${outcome.tilesSkipped} background tiles copied` : '';
  const tiles = `${outcome.tiles} tile${outcome.tiles === 1 ? '' : 's'}${skipped}`;
  return (
    `ok      ${outcome.source.label} → ${outcome.output}${outcome.stored ? ' (stored)' : ''} ` +
    `(${outcome.width}x${outcome.height}, ${tiles}, ${(outcome.milliseconds / 1000).toFixed(1)} s, ` +
    `${describeRun(outcome.model)})`
  );
}

/**
 * The file's notes, once, at the end of its line: a lossy source, and what the DICOM and codec libraries said about it.
 */
function notes(outcome: FileOutcome): string {
  const lossy = outcome.lossySource
    ? ['lossy-compressed source: the derived image says Lossy Image Compression 01']
    : [];
  const warnings = outcome.warnings?.length ? [`warnings: ${outcome.warnings.join('; ')}`] : [];
  return [...lossy, ...warnings].map((n) => ` [${n}]`).join('');
}

export function summaryLine(s: BatchSummary): string {
  const rate =
    s.seconds > 0
      ? `, ${(s.ok / s.seconds).toFixed(2)} images/s, ${(s.megapixels / s.seconds).toFixed(2)} megapixels/s`
      : '';
  return `${s.ok} ok, ${s.failed} failed, ${s.skipped} skipped in ${s.seconds.toFixed(1)} s${rate}`;
}

/**
 * One line per file on stdout, then the summary. On a terminal a progress bar
 * sits below the lines (cli-progress writes the lines above it); piped output
 * gets the lines only, so logs stay clean.
 */
export function consoleReporter(stream: NodeJS.WriteStream = process.stdout): BatchReporter {
  const bars = stream.isTTY
    ? new cliProgress.MultiBar(
        {
          stream,
          clearOnComplete: true,
          hideCursor: true,
          format: 'denoising [{bar}] {value}/{total} files | {eta_formatted} left',
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  let bar: cliProgress.SingleBar | null = null;
  return {
    start(total) {
      bar = bars?.create(total, 0) ?? null;
    },
    file(outcome) {
      if (bars) bars.log(`${line(outcome)}${notes(outcome)}\n`);
      else stream.write(`${line(outcome)}${notes(outcome)}\n`);
      bar?.increment();
    },
    finish(summary) {
      bars?.stop();
      stream.write(`${summaryLine(summary)}\n`);
    },
  };
}
