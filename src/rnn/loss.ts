// Language-model loss: mean cross-entropy per token (its exp is the perplexity), the loss of a whole token
// stream without dropout, one SGD step on a stream's next window and one window's loss; the hidden state is
// carried across windows in each.
import * as tf from '@tensorflow/tfjs';
import type { Tensor2D } from '@tensorflow/tfjs';
import { sparseCrossEntropy } from '../backend/ops.ts';
import type { LocalMeasure, LocalSgd } from '../train/step.ts';
import type { Rng } from '../random/rng.ts';
import type { RnnGenotype } from '../space/rnn-genotype.ts';
import type { RnnModel } from './model.ts';
import type { RnnTraining } from './config.ts';
import { yieldToEventLoop } from '../train/trainer.ts';
import { BpttStream, windowLength } from './stream.ts';

export const tokenLoss = (logits: Tensor2D, targets: Tensor2D): tf.Scalar => sparseCrossEntropy(logits, targets);

/** Mean loss per token of `genotype` over `tokens` (one pass, no dropout); exp() of it is the perplexity. */
export async function streamLoss(
  model: RnnModel,
  genotype: RnnGenotype,
  tokens: Int32Array,
  batchSize: number,
  bptt: number,
  signal?: AbortSignal,
): Promise<number> {
  const stream = new BpttStream(tokens, batchSize, bptt, model.config.hidden);
  let sum = 0,
    count = 0;
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
export function regularisedLoss(
  model: RnnModel,
  x: Tensor2D,
  y: Tensor2D,
  hidden: Tensor2D,
  genotype: RnnGenotype,
  c: RnnTraining,
  rng: Rng,
): { loss: tf.Scalar; crossEntropy: tf.Scalar; hidden: Tensor2D } {
  const T = x.shape[0];
  const out = model.forward(x, hidden, genotype, c.dropout, rng, c.ar > 0 || c.tar > 0);
  const crossEntropy = tokenLoss(out.logits, y);
  let loss: tf.Scalar = crossEntropy;
  if (c.ar > 0) loss = tf.add(loss, tf.mul(tf.mean(tf.square(out.dropped!)), c.ar));
  if (c.tar > 0 && T > 1) {
    const raw = out.raw!;
    const [H, B] = [raw.shape[2], raw.shape[1]];
    loss = tf.add(
      loss,
      tf.mul(
        tf.mean(tf.square(tf.sub(tf.slice(raw, [1, 0, 0], [T - 1, B, H]), tf.slice(raw, [0, 0, 0], [T - 1, B, H])))),
        c.tar,
      ),
    );
  }
  return { loss, crossEntropy, hidden: out.hidden };
}

/** A window's length: DARTS' variable BPTT (drawn from `rng`), or the fixed BPTT length. */
export const nextLength = (c: RnnTraining, rng: Rng): number =>
  c.variableBptt ? windowLength(rng, c.bptt, c.maxSeqLenDelta) : c.bptt;

/**
 * SGD on the next BPTT window of `stream` (its length drawn from `rng` when variable), as DARTS trains: the
 * cross-entropy with the AR and TAR terms, the dropouts drawn from `rng`, the learning rate scaled by the
 * window's length / bptt. Its outcome is the window's cross-entropy (without the regularisers); the hidden
 * state is then carried on and the window freed.
 */
export function windowStep(
  model: RnnModel,
  stream: BpttStream,
  genotype: RnnGenotype,
  c: RnnTraining,
  rng: Rng,
  lr: number,
): LocalSgd<number> {
  const { x, y, length: T } = stream.next(nextLength(c, rng));
  let hidden: Tensor2D | undefined;
  return {
    names: [...model.weights.keys()],
    lr: (lr * T) / c.bptt,
    loss: (kept) => {
      const r = regularisedLoss(model, x, y, stream.hidden, genotype, c, rng);
      hidden = tf.keep(r.hidden);
      kept.push(tf.keep(r.crossEntropy.clone()));
      return r.loss;
    },
    result: (_loss, [crossEntropy]) => {
      stream.carry(hidden!);
      tf.dispose([x, y, hidden!]);
      return crossEntropy;
    },
  };
}

/** The mean cross-entropy per token of the next window of `stream` (no dropout, no gradients). */
export function windowLoss(model: RnnModel, stream: BpttStream, genotype: RnnGenotype): LocalMeasure<number> {
  return {
    scalars: () => {
      const { x, y } = stream.next();
      const { logits, hidden } = model.forward(x, stream.hidden, genotype);
      const loss = tokenLoss(logits, y);
      stream.carry(hidden);
      tf.dispose([x, y, logits, hidden]);
      return [loss];
    },
    result: ([loss]) => loss,
  };
}
