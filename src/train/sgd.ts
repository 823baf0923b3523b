// SGD with momentum (Nesterov optional), L2 weight decay and global gradient-norm clipping, as
// torch.optim.SGD after nn.utils.clip_grad_norm_. It updates only the weights it is given gradients for:
// the child's. Other weights, and their momentum buffers, do not move (PyTorch skips parameters whose
// gradient is None in the same way).
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Variable } from '@tensorflow/tfjs';

export interface SgdConfig {
  momentum: number;
  nesterov: boolean;
  weightDecay: number;
  /** Largest global L2 norm of the gradients; larger ones are scaled down to it. */
  gradClip: number;
}

export class Sgd {
  readonly buffers = new Map<string, Tensor>();

  /**
   * Momentum buffers start at zero for every weight (PyTorch's first step, buf = g, is the same update),
   * so the number of tensors never grows during a run.
   */
  constructor(readonly config: SgdConfig, weights?: Map<string, Variable>) {
    if (config.momentum && weights) for (const [name, w] of weights) this.buffers.set(name, tf.zerosLike(w));
  }

  /** One step; returns the gradient norm before clipping. Disposes nothing it was given. */
  step(weights: Map<string, Variable>, grads: Record<string, Tensor>, lr: number): number {
    const names = Object.keys(grads);
    const sumSquares = tf.tidy(() => tf.addN(names.map((n) => tf.sum(tf.square(grads[n])))));
    const norm = Math.sqrt(sumSquares.dataSync()[0]);
    sumSquares.dispose();
    const { momentum, nesterov, weightDecay, gradClip } = this.config;
    const scale = norm > gradClip ? gradClip / (norm + 1e-6) : 1;
    for (const name of names) {
      const w = weights.get(name)!;
      tf.tidy(() => {
        let g = scale === 1 ? grads[name] : tf.mul(grads[name], scale);
        if (weightDecay) g = tf.add(g, tf.mul(w, weightDecay));
        if (momentum) {
          const old = this.buffers.get(name);
          const buf = tf.keep(old ? tf.add(tf.mul(old, momentum), g) : tf.clone(g));
          old?.dispose();
          this.buffers.set(name, buf);
          g = nesterov ? tf.add(g, tf.mul(buf, momentum)) : buf;
        }
        w.assign(tf.sub(w, tf.mul(g, lr)));
      });
    }
    return norm;
  }

  dispose(): void {
    tf.dispose([...this.buffers.values()]);
    this.buffers.clear();
  }
}
