// Language-model loss: mean cross-entropy per token (its exp is the perplexity), the loss of a whole token
// stream without dropout, and one SGD step on a stream's next window; the hidden state is carried across
// windows in both.
import * as tf from '@tensorflow/tfjs';
import type { Tensor2D } from '@tensorflow/tfjs';
import { sparseCrossEntropy } from '../train/metrics.ts';
import { sgdStep, type Sgd } from '../train/sgd.ts';
import type { Rng } from '../random/rng.ts';
import type { RnnGenotype } from '../space/rnn-genotype.ts';
import type { RnnDropout, RnnModel } from './model.ts';
import { yieldToEventLoop } from '../train/trainer.ts';
import { BpttStream } from './stream.ts';

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
      sum += loss.dataSync()[0] * length;
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

/** SGD on the next BPTT window of `stream` (dropouts drawn from `rng`); returns the window's loss. */
export function trainWindow(model: RnnModel, sgd: Sgd, stream: BpttStream, genotype: RnnGenotype, dropout: RnnDropout, rng: Rng, lr: number): number {
  const { x, y } = stream.next();
  let hidden: Tensor2D | undefined;
  const loss = sgdStep(sgd, model.weights, [...model.weights.keys()], () => {
    const out = model.forward(x, stream.hidden, genotype, dropout, rng);
    hidden = tf.keep(out.hidden);
    return tokenLoss(out.logits, y);
  }, lr);
  stream.carry(hidden!);
  tf.dispose([x, y, hidden!]);
  return loss;
}
