import * as tf from '../../training/src/backend/tf';
import { selectBackend, type BackendChoice } from '../../training/src/backend/selectBackend';
import type { ModelWeights } from '../../training/src/model/weights';
import { Random } from '../../training/src/data/random';

/** Activates a tfjs backend for a test file; throws if it cannot start. */
export async function useBackend(name: BackendChoice): Promise<void> {
  const selected = await selectBackend(name);
  if (selected.name !== name) throw new Error(`wanted backend ${name}, got ${selected.name}`);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i += 1) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

/** Gives every batch-norm layer non-trivial statistics so folding is actually exercised. */
export function perturbBatchNorm(weights: ModelWeights, seed: string): ModelWeights {
  const random = Random.fromSeed(seed);
  const out = new Map();
  for (const [name, w] of weights) {
    const bn = w.batchNorm;
    out.set(name, {
      ...w,
      bias: w.bias ? w.bias.map(() => 0.05 * random.normal()) : null,
      batchNorm: bn
        ? {
            gamma: bn.gamma.map(() => 0.5 + random.uniform()),
            beta: bn.beta.map(() => 0.1 * random.normal()),
            movingMean: bn.movingMean.map(() => 0.2 * random.normal()),
            movingVariance: bn.movingVariance.map(() => 0.2 + random.uniform()),
          }
        : null,
    });
  }
  return out;
}

export { tf };
