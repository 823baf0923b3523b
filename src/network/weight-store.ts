// Named trainable weights of a network, seeded at creation, its buffers (state that is not trained by
// gradients: batch norms' running statistics), and their groups by name prefix (what an operation
// receives). Shared by the supernet and the evaluation networks.
import * as tf from '@tensorflow/tfjs';
import type { Variable } from '@tensorflow/tfjs';
import type { Rng } from '../random/rng.ts';
import type { Weights } from '../space/ops.ts';
import { initialValues } from './init.ts';

export class WeightStore {
  readonly weights = new Map<string, Variable>();
  readonly buffers = new Map<string, Variable>();
  private readonly groups = new Map<string, Weights>();

  constructor(private readonly rng: Rng) {}

  /** A new weight, initialised as PyTorch would (see init.ts); `fanIn` for biases. */
  add(name: string, shape: number[], fanIn?: number): void {
    const init = tf.tensor(initialValues(name, shape, this.rng, fanIn), shape);
    this.weights.set(name, tf.variable(init, true));
    init.dispose();
  }

  /** A buffer filled with `value` (not trained by gradients; kept in checkpoints and models). */
  addBuffer(name: string, shape: number[], value: number): void {
    const init = tf.fill(shape, value);
    this.buffers.set(name, tf.variable(init, false));
    init.dispose();
  }

  /** Several weights named prefix + key. */
  addAll(prefix: string, shapes: Record<string, number[]>): void {
    for (const [k, s] of Object.entries(shapes)) this.add(prefix + k, s);
  }

  get(name: string): Variable {
    const v = this.weights.get(name);
    if (!v) throw new Error(`no weight named '${name}'`);
    return v;
  }

  /** The weights under `prefix`, keyed by the rest of their names; cached. */
  group(prefix: string): Weights {
    let out = this.groups.get(prefix);
    if (!out) {
      out = {};
      for (const map of [this.weights, this.buffers])
        for (const [name, v] of map) if (name.startsWith(prefix)) out[name.slice(prefix.length)] = v;
      this.groups.set(prefix, out);
    }
    return out;
  }

  dispose(): void {
    for (const v of [...this.weights.values(), ...this.buffers.values()]) v.dispose();
    this.weights.clear();
    this.buffers.clear();
    this.groups.clear();
  }
}
