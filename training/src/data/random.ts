import seedrandom from 'seedrandom';

/** State of a Random, enough to continue the exact same sequence after a resume. */
export interface RandomState {
  readonly alea: seedrandom.State.Alea;
  /** Second normal deviate left over from the last Box-Muller pair, if any. */
  readonly spareNormal: number | null;
}

/**
 * Seeded, serialisable random numbers. Every random choice in the workspace
 * (splits, crops, flips, noise, initial weights, batch order) draws from one of
 * these, so a run is reproducible and a resumed run continues the same stream.
 */
export class Random {
  private readonly prng: seedrandom.StatefulPRNG<seedrandom.State.Alea>;
  private spareNormal: number | null;

  private constructor(prng: seedrandom.StatefulPRNG<seedrandom.State.Alea>, spareNormal: number | null) {
    this.prng = prng;
    this.spareNormal = spareNormal;
  }

  static fromSeed(seed: string | number): Random {
    return new Random(seedrandom.alea(String(seed), { state: true }), null);
  }

  static fromState(state: RandomState): Random {
    return new Random(seedrandom.alea('', { state: { ...state.alea } }), state.spareNormal);
  }

  state(): RandomState {
    return { alea: this.prng.state(), spareNormal: this.spareNormal };
  }

  /** A child generator whose stream depends only on this one's seed and `label`. */
  static derive(seed: string | number, label: string): Random {
    return Random.fromSeed(`${seed}/${label}`);
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.prng.double();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.prng.double() * n);
  }

  /** Standard normal deviate (Box-Muller, both values used). */
  normal(): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return z;
    }
    let u = 0;
    while (u === 0) u = this.prng.double();
    const v = this.prng.double();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Fisher-Yates shuffle in place; returns the array for chaining. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i -= 1) {
      const j = this.int(i + 1);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }
}
