import * as tf from '../backend/tf';
import { variableFrom } from '../model/network';

/** Adam's moment estimates and step count, as plain arrays for checkpoints. */
export interface AdamState {
  readonly step: number;
  readonly moments: ReadonlyMap<string, { readonly m: Float32Array; readonly v: Float32Array }>;
}

/**
 * Adam (Kingma & Ba 2015, Keras defaults β1 0.9, β2 0.999, ε 1e-7) over named
 * variables. Our own so its whole state checkpoints and restores exactly and
 * the learning rate can change between steps.
 */
export class Adam {
  readonly beta1 = 0.9;
  readonly beta2 = 0.999;
  readonly epsilon = 1e-7;
  private step: number;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();

  constructor(
    private readonly variables: readonly tf.Variable[],
    state?: AdamState,
  ) {
    this.step = state?.step ?? 0;
    for (const variable of variables) {
      const saved = state?.moments.get(variable.name);
      this.m.set(
        variable.name,
        variableFrom(saved ? tf.tensor(saved.m, variable.shape) : tf.zerosLike(variable), false),
      );
      this.v.set(
        variable.name,
        variableFrom(saved ? tf.tensor(saved.v, variable.shape) : tf.zerosLike(variable), false),
      );
    }
  }

  /** Applies one update with `learningRate` from gradients keyed by variable name. */
  apply(gradients: tf.NamedTensorMap, learningRate: number): void {
    this.step += 1;
    const t = this.step;
    // Bias correction folded into the step size, as in the paper's Algorithm 1 variant.
    const alpha = (learningRate * Math.sqrt(1 - this.beta2 ** t)) / (1 - this.beta1 ** t);
    tf.tidy(() => {
      for (const variable of this.variables) {
        const g = gradients[variable.name];
        if (!g) throw new Error(`no gradient for ${variable.name}`);
        const m = this.m.get(variable.name) as tf.Variable;
        const v = this.v.get(variable.name) as tf.Variable;
        m.assign(tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1)));
        v.assign(tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2)));
        variable.assign(tf.sub(variable, tf.div(tf.mul(m, alpha), tf.add(tf.sqrt(v), this.epsilon))));
      }
    });
  }

  state(): AdamState {
    const moments = new Map<string, { m: Float32Array; v: Float32Array }>();
    for (const variable of this.variables) {
      moments.set(variable.name, {
        m: (this.m.get(variable.name) as tf.Variable).dataSync().slice() as Float32Array,
        v: (this.v.get(variable.name) as tf.Variable).dataSync().slice() as Float32Array,
      });
    }
    return { step: this.step, moments };
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
  }
}
