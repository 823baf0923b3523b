// REINFORCE for the policy vectors: loss = -(R - b) log p(child) - h * entropy, with a moving-average
// baseline b, minimised by Adam. Gradients are exact closed forms over the recorded draws.
import { addEntropyGrad, addLogProbGrad } from './categorical.ts';
import type { Child } from './sample.ts';

/** b <- decay * b + (1 - decay) * R; the first reward sets it. */
export class Baseline {
  constructor(
    public readonly decay = 0.95,
    public value: number | undefined = undefined,
  ) {}

  update(reward: number): number {
    this.value = this.value === undefined ? reward : this.decay * this.value + (1 - this.decay) * reward;
    return this.value;
  }
}

/** d loss / d logits for one child. */
export function reinforceGradient(
  logits: Float64Array,
  child: Pick<Child, 'draws'>,
  advantage: number,
  entropyWeight: number,
): Float64Array {
  const grad = new Float64Array(logits.length);
  for (const d of child.draws) {
    addLogProbGrad(logits, d, -advantage, grad);
    if (entropyWeight !== 0) addEntropyGrad(logits, d, -entropyWeight, grad);
  }
  return grad;
}

export interface AdamState {
  m: number[];
  v: number[];
  t: number;
}

/** Adam (Kingma & Ba) on a flat parameter array, as torch.optim.Adam without weight decay. */
export class Adam {
  m: Float64Array;
  v: Float64Array;
  t = 0;

  constructor(
    size: number,
    public lr: number,
    public beta1 = 0.5,
    public beta2 = 0.999,
    public eps = 1e-8,
  ) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }

  step(params: Float64Array, grad: Float64Array): void {
    this.t++;
    const c1 = 1 - this.beta1 ** this.t;
    const c2 = 1 - this.beta2 ** this.t;
    for (let k = 0; k < params.length; k++) {
      this.m[k] = this.beta1 * this.m[k] + (1 - this.beta1) * grad[k];
      this.v[k] = this.beta2 * this.v[k] + (1 - this.beta2) * grad[k] * grad[k];
      params[k] -= (this.lr * (this.m[k] / c1)) / (Math.sqrt(this.v[k] / c2) + this.eps);
    }
  }

  state(): AdamState {
    return { m: [...this.m], v: [...this.v], t: this.t };
  }

  restore(s: AdamState): void {
    this.m = Float64Array.from(s.m);
    this.v = Float64Array.from(s.v);
    this.t = s.t;
  }
}
