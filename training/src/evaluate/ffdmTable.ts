import type { CropScore } from './ffdmEvaluate';
import { FFDM_DOSES } from './ffdmEvaluate';

/** Mean of each figure over crops, per dose and method (and per patient when asked). */
/** One run of the digital-mammogram evaluation: what the card's table and --out record. */
export interface FfdmEvaluation {
  readonly split: string;
  readonly images: readonly string[];
  readonly rows: readonly FfdmRow[];
  readonly patientRows: readonly FfdmRow[];
  readonly markdown: string;
  readonly seconds: number;
}

export interface FfdmRow {
  readonly dose: number;
  readonly method: string;
  readonly patient: string | null;
  readonly crops: number;
  readonly contrastKept: number;
  readonly cnrRelative: number;
  readonly psnr: number;
  readonly changeOverNoise: number;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

export function summarise(scores: readonly CropScore[], methods: readonly string[], byPatient: boolean): FfdmRow[] {
  const patients = byPatient ? [...new Set(scores.map((s) => s.patient))].sort() : [null];
  const rows: FfdmRow[] = [];
  for (const patient of patients)
    for (const dose of FFDM_DOSES)
      for (const method of methods) {
        const set = scores.filter(
          (s) => s.dose === dose && s.method === method && (patient === null || s.patient === patient),
        );
        if (set.length === 0) continue;
        rows.push({
          dose,
          method,
          patient,
          crops: set.length,
          contrastKept: mean(set.map((s) => s.contrastKept)),
          cnrRelative: mean(set.map((s) => s.cnrRelative)),
          psnr: mean(set.map((s) => s.psnr).filter(Number.isFinite)),
          changeOverNoise: mean(set.map((s) => s.changeOverNoise)),
        });
      }
  return rows;
}

/** A markdown table: one row per dose and method (and patient). */
export function ffdmMarkdown(rows: readonly FfdmRow[], labels: Readonly<Record<string, string>>): string {
  const head =
    '| patient | dose | method | crops | speck contrast kept | speck CNR / untouched full dose | ' +
    'PSNR vs full dose (dB) | RMS change / noise std |\n|---|---|---|---|---|---|---|---|';
  const lines = rows.map(
    (r) =>
      `| ${r.patient ?? 'all'} | ${r.dose * 100}% | ${labels[r.method] ?? r.method} | ` +
      `${r.crops} | ${r.contrastKept.toFixed(3)} | ${r.cnrRelative.toFixed(3)} | ` +
      `${r.dose === 1 && r.method === 'noisy' ? '∞' : r.psnr.toFixed(2)} | ${r.changeOverNoise.toFixed(2)} |`,
  );
  return [head, ...lines].join('\n');
}
