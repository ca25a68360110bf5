// Every model in models/ is one this workspace trained: its card carries the
// file's sha256, how it was trained, the 14-condition evaluation and the
// export parity, and the file honours the card's I/O contract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { parseModelCard, parseModelIndex } from '@mammo-denoise/core';

const MODELS = join(import.meta.dirname ?? '', '..', '..', 'models');

test(
  'models/index.json lists only models with a matching card and file, default first',
  { skip: !existsSync(join(MODELS, 'index.json')) && 'no model has shipped yet' },
  async () => {
    const index = parseModelIndex(JSON.parse(readFileSync(join(MODELS, 'index.json'), 'utf8')), 'models/index.json');
    assert.equal(index.models[0]?.id, index.default);
    for (const entry of index.models) {
      const card = parseModelCard(JSON.parse(readFileSync(join(MODELS, entry.card), 'utf8')), entry.card);
      const bytes = readFileSync(join(MODELS, entry.onnx));
      assert.equal(card.id, entry.id);
      assert.equal(card.onnx.sha256, createHash('sha256').update(bytes).digest('hex'), `${entry.onnx} sha256`);
      assert.ok(bytes.length < 20 * 1024 * 1024, 'under 20 MB');
      const training = card.training as {
        preset?: string;
        backend?: string;
        epochs?: number;
        wallTimeSeconds?: number;
      };
      assert.ok(
        training.preset && training.backend && training.epochs && training.wallTimeSeconds,
        'the card says how it was trained',
      );
      const evaluation = card.evaluation as {
        table?: { conditions: unknown[] };
        rows?: Array<{ dose: number; method: string }>;
        parity?: { maxAbsDifference: number };
      };
      if (card.io.noiseMapInputName) {
        // Digital-mammogram models: issue 13's table, every dose, the model beside the untouched input.
        const doses = new Set(evaluation.rows?.filter((r) => r.method === card.id).map((r) => r.dose));
        assert.deepEqual([...doses].sort(), [0.25, 0.5, 1], 'the FFDM table at 100, 50 and 25% dose');
        assert.ok(
          evaluation.rows?.some((r) => r.method === 'noisy'),
          'the untouched input beside it',
        );
      } else assert.equal(evaluation.table?.conditions.length, 14, 'the 14-condition table');
      assert.ok((evaluation.parity?.maxAbsDifference ?? 1) <= 1e-4, 'TF.js/ORT parity at export');
      assert.ok(existsSync(join(MODELS, `${entry.id}.md`)), 'the human-readable card');
      const session = await ort.InferenceSession.create(bytes);
      const feeds = {
        [card.io.inputName]: new ort.Tensor('float32', new Float32Array(2 * 40 * 36).fill(0.4), [2, 1, 40, 36]),
        ...(card.io.noiseMapInputName
          ? {
              [card.io.noiseMapInputName]: new ort.Tensor(
                'float32',
                new Float32Array(2 * 40 * 36).fill(0.01),
                [2, 1, 40, 36],
              ),
            }
          : {}),
      };
      const out = await session.run(feeds);
      assert.deepEqual(out[card.io.outputName]?.dims, [2, 1, 40, 36]);
      await session.release();
    }
  },
);
