// Language-model loss: mean cross-entropy per token (its exp is the perplexity), the loss of a whole token
// stream without dropout, and one SGD step on a stream's next window; the hidden state is carried across
// windows in both.
import * as tf from '@tensorflow/tfjs';
import type { Tensor2D } from '@tensorflow/tfjs';
import { readScalarsSync, sparseCrossEntropy } from '../train/metrics.ts';
import { sgdStep, sgdStepAsync, type Sgd } from '../train/sgd.ts';
import type { Rng } from '../random/rng.ts';
import type { RnnGenotype } from '../space/rnn-genotype.ts';
import type { RnnModel } from './model.ts';
import type { RnnTraining } from './config.ts';
import { yieldToEventLoop } from '../train/trainer.ts';
import { BpttStream, windowLength } from './stream.ts';

export const tokenLoss = (logits: Tensor2D, targets: Tensor2D): tf.Scalar => sparseCrossEntropy(logits, targets);

/** Mean loss per token of `genotype` over `tokens` (one pass, no dropout); exp() of it is the perplexity. */
export async function streamLoss(model: RnnModel, genotype: RnnGenotype, tokens: Int32Array, batchSize: number, bptt: number, signal?: AbortSignal): Promise<number> {
  const stream = new BpttStream(tokens, batchSize, bptt, model.config.hidden);
  let sum = 0, count = 0;
  try {
    for (let k = 0; k < stream.windows; k++) {
      signal?.throwIfAborted();
      const { x, y, length } = stream.next();
      const { logits, hidden } = model.forward(x, stream.hidden, genotype);
      const loss = tokenLoss(logits, y);
      sum += (await loss.data())[0] * length;
      count += length;
      stream.carry(hidden);
      tf.dispose([x, y, logits, hidden, loss]);
      await yieldToEventLoop();
    }
  } finally {
    stream.dispose();
  }
  return sum / count;
}

/**
 * A training window's loss as DARTS takes it: the cross-entropy plus the AR term (dropped outputs) and the
 * TAR term (raw outputs, step to step), with dropouts drawn from `rng`; also the cross-entropy alone and
 * the last hidden state. Call inside a gradient computation.
 */
export function regularisedLoss(model: RnnModel, x: Tensor2D, y: Tensor2D, hidden: Tensor2D, genotype: RnnGenotype, c: RnnTraining, rng: Rng): { loss: tf.Scalar; crossEntropy: tf.Scalar; hidden: Tensor2D } {
  const T = x.shape[0];
  const out = model.forward(x, hidden, genotype, c.dropout, rng, c.ar > 0 || c.tar > 0);
  const crossEntropy = tokenLoss(out.logits, y);
  let loss: tf.Scalar = crossEntropy;
  if (c.ar > 0) loss = tf.add(loss, tf.mul(tf.mean(tf.square(out.dropped!)), c.ar));
  if (c.tar > 0 && T > 1) {
    const raw = out.raw!;
    const [H, B] = [raw.shape[2], raw.shape[1]];
    loss = tf.add(loss, tf.mul(tf.mean(tf.square(tf.sub(tf.slice(raw, [1, 0, 0], [T - 1, B, H]), tf.slice(raw, [0, 0, 0], [T - 1, B, H])))), c.tar));
  }
  return { loss, crossEntropy, hidden: out.hidden };
}

/** A window's length: DARTS' variable BPTT (drawn from `rng`), or the fixed BPTT length. */
export const nextLength = (c: RnnTraining, rng: Rng): number => (c.variableBptt ? windowLength(rng, c.bptt, c.maxSeqLenDelta) : c.bptt);

/**
 * The next window of `stream` (its length drawn from `rng` when variable) as a loss for one SGD step: the
 * cross-entropy with the AR and TAR terms, the dropouts drawn from `rng`. `done` after the step carries
 * the hidden state on and frees the window.
 */
function windowLoss(model: RnnModel, stream: BpttStream, genotype: RnnGenotype, c: RnnTraining, rng: Rng) {
  const { x, y, length: T } = stream.next(nextLength(c, rng));
  const kept: { hidden?: Tensor2D; crossEntropy?: tf.Scalar } = {};
  return {
    T,
    loss: () => {
      const r = regularisedLoss(model, x, y, stream.hidden, genotype, c, rng);
      kept.hidden = tf.keep(r.hidden);
      kept.crossEntropy = tf.keep(r.crossEntropy.clone());
      return r.loss;
    },
    crossEntropy: () => kept.crossEntropy!,
    done: () => {
      stream.carry(kept.hidden!);
      tf.dispose([x, y, kept.hidden!]);
    },
  };
}

/**
 * SGD on the next BPTT window of `stream`, as DARTS trains: the step's learning rate scaled by the window's
 * length / bptt. Returns the window's cross-entropy (without the regularisers).
 */
export function trainWindow(model: RnnModel, sgd: Sgd, stream: BpttStream, genotype: RnnGenotype, c: RnnTraining, rng: Rng, lr: number): number {
  const w = windowLoss(model, stream, genotype, c, rng);
  sgdStep(sgd, model.weights, [...model.weights.keys()], w.loss, (lr * w.T) / c.bptt);
  const [value] = readScalarsSync([w.crossEntropy()]);
  w.done();
  return value;
}

/** trainWindow with the cross-entropy and the gradient norm read back asynchronously (for the webgpu backend). */
export async function trainWindowAsync(model: RnnModel, sgd: Sgd, stream: BpttStream, genotype: RnnGenotype, c: RnnTraining, rng: Rng, lr: number): Promise<number> {
  const w = windowLoss(model, stream, genotype, c, rng);
  const r = await sgdStepAsync(sgd, model.weights, [...model.weights.keys()], w.loss, (lr * w.T) / c.bptt, () => [w.crossEntropy()]);
  w.done();
  return r.extra[0];
}
