// Language-model loss: mean cross-entropy per token (its exp is the perplexity), and the loss of a whole
// token stream without dropout, the hidden state carried across windows.
import * as tf from '@tensorflow/tfjs';
import type { Tensor2D } from '@tensorflow/tfjs';
import { sparseCrossEntropy } from '../train/metrics.ts';
import type { RnnGenotype } from './genotype.ts';
import type { RnnModel } from './model.ts';
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
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    stream.dispose();
  }
  return sum / count;
}
