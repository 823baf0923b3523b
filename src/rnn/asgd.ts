// Averaged SGD (Polyak averaging, torch.optim.ASGD with t0 = 0 and lambd = 0): plain SGD steps, plus the
// running mean of the weights after every step since averaging began. Test perplexity is measured with
// the averaged weights, which is what makes AWD-LSTM-style training (and DARTS' PTB result) work.
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Variable } from '@tensorflow/tfjs';

export class WeightAverage {
  /** Running means by weight name; empty until averaging starts. */
  readonly means = new Map<string, Tensor>();
  /** Steps averaged so far. */
  count = 0;

  get active(): boolean {
    return this.count > 0;
  }

  /** Adds the current weights to the mean (the first call starts averaging). */
  update(weights: Map<string, Variable>): void {
    this.count++;
    for (const [name, w] of weights) {
      const old = this.means.get(name);
      // mean += (w - mean) / count
      this.means.set(name, old ? tf.tidy(() => tf.add(old, tf.div(tf.sub(w, old), this.count))) : w.clone());
      old?.dispose();
    }
  }

  /** Runs `f` with the averaged weights in place of the current ones (when averaging), then puts them back. */
  async withAveraged<T>(weights: Map<string, Variable>, f: () => Promise<T>): Promise<T> {
    if (!this.active) return f();
    const current = new Map([...weights].map(([n, w]) => [n, w.clone()] as const));
    for (const [n, w] of weights) w.assign(this.means.get(n)!);
    try {
      return await f();
    } finally {
      for (const [n, w] of weights) w.assign(current.get(n)!);
      tf.dispose([...current.values()]);
    }
  }

  /** From a checkpoint. */
  restore(means: Map<string, Tensor>, count: number): void {
    this.dispose();
    for (const [n, t] of means) this.means.set(n, t);
    this.count = count;
  }

  dispose(): void {
    tf.dispose([...this.means.values()]);
    this.means.clear();
    this.count = 0;
  }
}
