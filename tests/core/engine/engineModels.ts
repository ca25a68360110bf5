import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModelCard, parseModelIndex } from '@mammo-denoise/core';
import { fixtureModel } from '../../fixtures/fixtureModel';

export interface EngineTestModel {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly receptiveFieldRadius: number;
  /** Set for noise-conditioned models (their runner needs the map's input name). */
  readonly noiseMapInputName?: string;
}

const MODELS_DIR = join(import.meta.dirname ?? '', '..', '..', '..', 'models');

/** The shipped models from models/index.json (the real ones) plus the untrained fixture. */
export async function engineModels(): Promise<EngineTestModel[]> {
  const fixture = fixtureModel();
  const models: EngineTestModel[] = [
    { name: 'untrained fixture', bytes: fixture.bytes, receptiveFieldRadius: fixture.receptiveFieldRadius },
  ];
  const indexPath = join(MODELS_DIR, 'index.json');
  if (existsSync(indexPath)) {
    const index = parseModelIndex(JSON.parse(readFileSync(indexPath, 'utf8')), indexPath);
    for (const entry of index.models) {
      const card = parseModelCard(JSON.parse(readFileSync(join(MODELS_DIR, entry.card), 'utf8')), entry.card);
      models.push({
        name: `shipped ${card.id}`,
        bytes: new Uint8Array(readFileSync(join(MODELS_DIR, entry.onnx))),
        receptiveFieldRadius: card.io.receptiveFieldRadius,
        ...(card.io.noiseMapInputName ? { noiseMapInputName: card.io.noiseMapInputName } : {}),
      });
    }
  }
  return models;
}
