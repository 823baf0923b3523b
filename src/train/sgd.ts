// SGD with momentum (Nesterov optional), L2 weight decay and global gradient-norm clipping, as
// torch.optim.SGD after nn.utils.clip_grad_norm_. It updates only the weights it is given gradients for:
// the child's. Where the backend has a fused update (backend/ops/sgd-update.ts) each weight takes one pass.
// Other weights, and their momentum buffers, do not move (PyTorch skips parameters whose gradient is None in
// the same way).
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import { fusedSgdUpdate, hasFusedSgd, sumSquares } from '../backend/ops.ts';
import { readScalars } from '../backend/device.ts';

export interface SgdConfig {
  momentum: number;
  nesterov: boolean;
  weightDecay: number;
  /** Largest global L2 norm of the gradients; larger ones are scaled down to it. */
  gradClip: number;
}

export class Sgd {
  readonly buffers = new Map<string, Tensor>();
  /** Global gradient norm (before clipping) of the last step. */
  lastGradNorm = 0;

  /**
   * Momentum buffers start at zero for every weight (PyTorch's first step, buf = g, is the same update),
   * so the number of tensors never grows during a run.
   */
  constructor(
    readonly config: SgdConfig,
    weights?: Map<string, Variable>,
  ) {
    if (config.momentum && weights) for (const [name, w] of weights) this.buffers.set(name, tf.zerosLike(w));
  }

  /** One step; returns the gradient norm before clipping. Disposes nothing it was given. */
  step(weights: Map<string, Variable>, grads: Record<string, Tensor>, lr: number): number {
    const fused = hasFusedSgd();
    this.lastGradNorm = fused ? this.stepFused(weights, grads, lr) : this.stepWithOps(weights, grads, lr);
    return this.lastGradNorm;
  }

  private clipScale(norm: number): number {
    return norm > this.config.gradClip ? this.config.gradClip / (norm + 1e-6) : 1;
  }

  /** One fused pass per weight; momentum is updated in place, the weight gets new data. */
  private stepFused(weights: Map<string, Variable>, grads: Record<string, Tensor>, lr: number): number {
    const names = Object.keys(grads);
    const norm = Math.sqrt(sumSquares(names.map((n) => grads[n])));
    const scale = this.clipScale(norm);
    const { momentum, nesterov, weightDecay } = this.config;
    for (const name of names) {
      const w = weights.get(name)!;
      let buf = this.buffers.get(name);
      if (!buf && momentum) {
        buf = tf.zerosLike(w);
        this.buffers.set(name, buf);
      }
      fusedSgdUpdate(w, grads[name], buf, scale, { lr, momentum, weightDecay, nesterov });
    }
    return norm;
  }

  private stepWithOps(weights: Map<string, Variable>, grads: Record<string, Tensor>, lr: number): number {
    const names = Object.keys(grads);
    const sumSquares = tf.tidy(() => tf.addN(names.map((n) => tf.sum(tf.square(grads[n])))));
    const norm = Math.sqrt(sumSquares.dataSync()[0]);
    sumSquares.dispose();
    this.update(weights, grads, this.clipScale(norm), lr);
    return norm;
  }

  /** Decay, momentum (Nesterov or not) and the step, each gradient scaled first (clipping). */
  private update(
    weights: Map<string, Variable>,
    grads: Record<string, Tensor>,
    scale: number | tf.Scalar,
    lr: number,
  ): void {
    const { momentum, nesterov, weightDecay } = this.config;
    for (const name of Object.keys(grads)) {
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
  }

  /**
   * The same step with nothing read back (a GPU keeps computing): the clipping scale is computed where the
   * gradients are. Returns the gradient norm before clipping as a scalar the caller reads and disposes.
   */
  stepOnDevice(weights: Map<string, Variable>, grads: Record<string, Tensor>, lr: number): tf.Scalar {
    const names = Object.keys(grads);
    const { gradClip } = this.config;
    // Added one by one: webgpu's AddN binds every input at once, past the device's storage-buffer limit.
    const norm = tf.tidy(
      () => tf.sqrt(names.map((n) => tf.sum(tf.square(grads[n]))).reduce((a, b) => tf.add(a, b))) as tf.Scalar,
    );
    const scale = tf.tidy(
      () => tf.where(tf.greater(norm, gradClip), tf.div(gradClip, tf.add(norm, 1e-6)), tf.onesLike(norm)) as tf.Scalar,
    );
    this.update(weights, grads, scale, lr);
    scale.dispose();
    return norm;
  }

  /** Momentum from a checkpoint instead of the current buffers. */
  replaceBuffers(buffers: Map<string, Tensor>): void {
    this.dispose();
    for (const [name, t] of buffers) this.buffers.set(name, t);
  }

  dispose(): void {
    tf.dispose([...this.buffers.values()]);
    this.buffers.clear();
  }
}

/** The loss and its gradients, keyed by variable (`grads`) and by the caller's weight names (`named`). */
function namedGradients(weights: Map<string, Variable>, names: string[], loss: () => tf.Scalar) {
  const vars = names.map((n) => weights.get(n)!);
  const { value, grads } = tf.variableGrads(loss, vars);
  const named: Record<string, Tensor> = {};
  names.forEach((n, k) => {
    const g = grads[vars[k].name];
    if (g) named[n] = g;
  });
  return { value, grads, named };
}

/**
 * One training step of the named `weights` that `loss` reads: gradients, then `sgd` at `lr`. tfjs keys
 * gradients by variable name; a weight off the path to the loss (the first input's preprocessing when no
 * node reads it) gets none and, as in PyTorch, is not updated. Returns the loss.
 */
export function sgdStep(
  sgd: Sgd,
  weights: Map<string, Variable>,
  names: string[],
  loss: () => tf.Scalar,
  lr: number,
): number {
  const { value, grads, named } = namedGradients(weights, names, loss);
  const l = value.dataSync()[0];
  sgd.step(weights, named, lr);
  tf.dispose([value, ...Object.values(grads).filter((g) => g)]);
  return l;
}

/**
 * sgdStep with nothing read back until the step is queued (for a GPU): `loss` may keep extra scalars
 * (metrics) with tf.keep and list them in `extra`; the loss, the gradient norm and those are read together.
 */
export async function sgdStepAsync(
  sgd: Sgd,
  weights: Map<string, Variable>,
  names: string[],
  loss: () => tf.Scalar,
  lr: number,
  extra: () => tf.Tensor[] = () => [],
): Promise<{ loss: number; gradNorm: number; extra: number[] }> {
  const { value, grads, named } = namedGradients(weights, names, loss);
  const norm = sgd.stepOnDevice(weights, named, lr);
  tf.dispose(Object.values(grads).filter((g) => g));
  const [l, gradNorm, ...rest] = await readScalars([value, norm, ...extra()]);
  sgd.lastGradNorm = gradNorm;
  return { loss: l, gradNorm, extra: rest };
}
