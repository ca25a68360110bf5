import type { EvaluationTable } from './evaluate';
import { PSNR_CAP } from './evaluate';

const cell = (psnr: number, ssim: number): string => {
  const shownPsnr = psnr >= PSNR_CAP ? '∞' : psnr.toFixed(2);
  return `${shownPsnr} / ${ssim.toFixed(4)}`;
};

/** Markdown table: one row per condition, one column per method, "PSNR / SSIM". */
export function formatTable(table: EvaluationTable): string {
  const header = ['condition', ...table.methods.map((m) => m.label)];
  const rows = table.conditions.map((c) => [
    c.label,
    ...table.methods.map((m) => {
      const s = table.scores[c.id]?.[m.id];
      return s ? cell(s.psnr, s.ssim) : '-';
    }),
  ]);
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [
    line(header),
    line(header.map(() => '---')),
    ...rows.map(line),
    '',
    `PSNR (dB, MAX 255) / SSIM (Gaussian window 11, σ 1.5), mean over ${table.crops} crops ` +
      `of ${table.cropSize}x${table.cropSize}; outputs rounded and clipped to 8 bits; ` +
      `a crop reproduced exactly counts as ${PSNR_CAP} dB (∞ shown when every crop is exact).`,
  ].join('\n');
}

export interface FloorCheck {
  readonly condition: string;
  readonly psnr: number;
  readonly floor: number | null;
  readonly ssim: number;
  readonly bestClassicalSsim: number;
  readonly bestClassical: string;
  readonly psnrOk: boolean | null;
  readonly ssimOk: boolean;
}

/** Compares a model's column against PSNR floors and the best classical SSIM per condition. */
export function checkFloors(
  table: EvaluationTable,
  methodId: string,
  floors: Readonly<Record<string, number | null>>,
  classicalIds: readonly string[],
): FloorCheck[] {
  return table.conditions.map((c) => {
    const row = table.scores[c.id] ?? {};
    const model = row[methodId];
    if (!model) throw new Error(`no scores for ${methodId} under ${c.id}`);
    let best = { id: '-', ssim: -Infinity };
    for (const id of classicalIds) {
      const s = row[id];
      if (s && id !== 'noisy' && s.ssim > best.ssim) best = { id, ssim: s.ssim };
    }
    const floor = floors[c.id] ?? null;
    return {
      condition: c.id,
      psnr: model.psnr,
      floor,
      ssim: model.ssim,
      bestClassicalSsim: best.ssim,
      bestClassical: best.id,
      psnrOk: floor === null ? null : model.psnr >= floor,
      ssimOk: model.ssim >= best.ssim,
    };
  });
}

export function formatFloorChecks(checks: readonly FloorCheck[]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [
    line(['condition', 'PSNR', 'floor', 'PSNR ok', 'SSIM', 'best classical SSIM', 'SSIM ok']),
    line(['---', '---', '---', '---', '---', '---', '---']),
    ...checks.map((c) =>
      line([
        c.condition,
        c.psnr.toFixed(2),
        c.floor === null ? 'reported only' : c.floor.toFixed(1),
        c.psnrOk === null ? '-' : c.psnrOk ? 'yes' : '**no**',
        c.ssim.toFixed(4),
        `${c.bestClassicalSsim.toFixed(4)} (${c.bestClassical})`,
        c.ssimOk ? 'yes' : '**no**',
      ]),
    ),
  ].join('\n');
}
