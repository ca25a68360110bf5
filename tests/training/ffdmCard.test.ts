import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ffdmFloorLines } from '../../training/src/export/ffdmCard';
import type { FfdmRow } from '../../training/src/evaluate/ffdmTable';

const row = (patient: string | null, dose: number, method: string, c: number, cnr: number, psnr: number): FfdmRow => ({
  patient,
  dose,
  method,
  crops: 1,
  contrastKept: c,
  cnrRelative: cnr,
  psnr,
  changeOverNoise: 0,
});

test("the card states each of issue 13's floors as met or not", () => {
  const rows = [
    row(null, 1, 'noisy', 1, 1, Infinity),
    row(null, 0.5, 'noisy', 1, 0.98, 36),
    row(null, 0.25, 'noisy', 1, 0.94, 31),
    row(null, 0.25, 'gaussian-1', 0.64, 0.78, 33),
    row(null, 0.25, 'vst-nlm', 0.8, 0.86, 32.9),
    row(null, 1, 'm', 0.98, 1.01, 40),
    row(null, 0.5, 'm', 0.95, 0.97, 36.5),
    row(null, 0.25, 'm', 0.89, 0.95, 33.6),
  ];
  const lines = ffdmFloorLines('m', rows, []);
  assert.equal(lines.length, 4);
  assert.match(lines[0]!, /0\.980\/0\.950\/0\.890, \*\*not met\*\*/);
  assert.match(lines[1]!, /1\.010\/0\.970\/0\.950 against 1\.000\/0\.980\/0\.940, \*\*not met\*\*/);
  assert.match(lines[2]!, /\(32\.50\): 33\.60 dB, met/);
  assert.match(lines[3]!, /gaussian-1, 33\.00 dB\) \+ 0\.5 dB \(33\.50\): 33\.60 dB, met/);
});
