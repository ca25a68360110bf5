// Issue 16: the four-view phantom study npm start offers carries the headers a
// scanner writes (ImageLaterality, ViewPosition, View Code Sequence,
// PatientOrientation), is stored the usual way round, and its pixels alone
// tell the same views (so the guessed-view path is exercised on it too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classifyView, guessViewFromPixels, readPart10, viewLabel } from '@mammo-denoise/core';
import { storedImageFromDataset } from '@mammo-denoise/core/node';
import { writeScreeningStudy } from '../../../scripts/sample/screeningStudy';

test(
  'the four-view phantom: RCC, LCC, RMLO, LMLO from the header, ' +
    'not flipped, and the same views from the pixels alone',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'screening-study-'));
    const study = writeScreeningStudy(dir, {
      phantom: { width: 320, height: 384, bitsStored: 12, seed: 'unit', noiseSigma: 40 },
    });
    assert.equal(study.files.length, 4);
    const series = new Set<string>();
    for (const file of study.files) {
      const dataset = readPart10(new Uint8Array(readFileSync(file.path)));
      series.add(String(dataset.SeriesInstanceUID));
      const view = classifyView(dataset);
      assert.equal(viewLabel(view), `${file.laterality}${file.view}`);
      assert.equal(view.guessed, false);
      assert.equal(view.flipHorizontal, false);
      assert.equal(view.flipVertical, false);
      const stored = storedImageFromDataset(dataset);
      assert.ok(stored.ok);
      const guess = guessViewFromPixels(stored.image);
      assert.equal(
        `${guess.laterality}${guess.row}`,
        `${file.laterality}${file.view}`,
        `pixels alone, top extent ${guess.topExtent.toFixed(3)}`,
      );
    }
    assert.equal(series.size, 4, 'one series per view, as Hologic writes them');
  },
);
