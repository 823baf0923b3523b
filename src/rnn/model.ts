// The recurrent language model of the PTB search and evaluation (DARTS' RNNModel): a word embedding, the
// recurrent cell unrolled over a BPTT window, and a decoder tied to the embedding. In the search the cell's
// wiring changes every step while the weights stay: one matrix per node, whatever its input and activation.
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Tensor2D, Variable } from '@tensorflow/tfjs';
import type { Rng } from '../random/rng.ts';
import { tensorFromFill } from '../backend/fill.ts';
import { linear } from '../space/primitives.ts';
import { RNN_STEPS, type Activation, type RnnGenotype } from '../space/rnn-genotype.ts';

export interface RnnModelConfig {
  vocabulary: number;
  /** Embedding = hidden size (the decoder is tied to the embedding). */
  hidden: number;
}

/** DARTS' dropouts: output (locked), hidden (locked, on every node input), input x (locked), embedded input (locked),
 * whole words.
 */
export interface RnnDropout {
  output: number;
  hidden: number;
  x: number;
  input: number;
  embedding: number;
}

export const NO_DROPOUT: RnnDropout = { output: 0, hidden: 0, x: 0, input: 0, embedding: 0 };

/** DARTS' initial ranges: embedding U(-0.1, 0.1), cell matrices U(-0.04, 0.04), decoder bias 0. */
const INIT = { encoder: 0.1, cell: 0.04 };

const ACT: Record<Activation, (t: Tensor) => Tensor> = {
  tanh: tf.tanh,
  relu: tf.relu,
  sigmoid: tf.sigmoid,
  identity: (t) => t,
};

export class RnnModel {
  readonly weights = new Map<string, Variable>();

  constructor(
    readonly config: RnnModelConfig,
    rng: Rng,
  ) {
    const { vocabulary: V, hidden: H } = config;
    const add = (name: string, shape: number[], range: number) => {
      const t = tensorFromFill(shape, (out) => {
        for (let k = 0; k < out.length; k++) out[k] = (2 * rng.uniform() - 1) * range;
      });
      this.weights.set(name, tf.variable(t, true));
      t.dispose();
    };
    add('encoder', [V, H], INIT.encoder);
    add('W0', [2 * H, 2 * H], INIT.cell);
    for (let i = 1; i <= RNN_STEPS; i++) add(`Ws.${i}`, [H, 2 * H], INIT.cell);
    add('decoder.bias', [V], 0);
  }

  /** DARTS' parameter count: embedding (shared with the decoder), cell matrices, decoder bias. */
  parameterCount(): number {
    let n = 0;
    for (const w of this.weights.values()) n += w.size;
    return n;
  }

  initHidden(batchSize: number): Tensor2D {
    return tf.zeros([batchSize, this.config.hidden]);
  }

  /**
   * Logits (T*B, V) for tokens x (T, B) from `hidden` (B, H), and the last hidden state. With `rng`, the
   * dropouts are drawn from it (training); without, none apply. With `withOutputs`, also the cell's outputs
   * (T, B, H) before and after the output dropout, which DARTS' activation regularisers read.
   */
  forward(
    x: Tensor2D,
    hidden: Tensor2D,
    genotype: RnnGenotype,
    dropout: RnnDropout = NO_DROPOUT,
    rng?: Rng,
    withOutputs = false,
  ): { logits: Tensor2D; hidden: Tensor2D; raw?: tf.Tensor3D; dropped?: tf.Tensor3D } {
    const [T, B] = x.shape;
    const H = this.config.hidden;
    const V = this.config.vocabulary;
    const w = (n: string) => this.weights.get(n)! as Variable<tf.Rank.R2>;
    const mask = (shape: number[], p: number) => (rng && p > 0 ? lockedMask(shape, p, rng) : null);
    const apply = <R extends Tensor>(t: R, m: Tensor | null): R => (m ? (tf.mul(t, m) as R) : t);
    return tf.tidy(() => {
      const wordMask = mask([V, 1], dropout.embedding);
      const embedded = tf.gather(apply(w('encoder'), wordMask), x) as unknown as tf.Tensor3D;
      const inputMask = mask([1, B, H], dropout.input);
      const xMask = mask([1, B, H], dropout.x);
      const hMask = mask([B, H], dropout.hidden);
      const outMask = mask([1, B, H], dropout.output);
      const xs = apply(apply(embedded, inputMask), xMask).reshape([T * B, H]) as Tensor2D;
      const W0 = w('W0');
      const xWAll = linear(xs, tf.slice(W0, [0, 0], [H, 2 * H]) as Tensor2D);
      // tfjs' gradient of unstack fails for a single slice (a last window of length 1).
      const xW = T === 1 ? [xWAll] : tf.unstack(xWAll.reshape([T, B, 2 * H]));
      const Wh = tf.slice(W0, [H, 0], [H, 2 * H]) as Tensor2D;
      // node = s + c * (act(h) - s): the highway form of every node.
      const highway = (s: Tensor2D, ch: Tensor2D, act: (t: Tensor) => Tensor): Tensor2D => {
        const [c, h] = tf.split(ch, 2, 1);
        return tf.add(s, tf.mul(tf.sigmoid(c), tf.sub(act(h), s))) as Tensor2D;
      };
      let h: Tensor2D = hidden;
      const outputs: Tensor[] = [];
      for (let t = 0; t < T; t++) {
        const states: Tensor2D[] = [highway(h, tf.add(xW[t], linear(apply(h, hMask), Wh)), tf.tanh)];
        genotype.recurrent.forEach(([act, j], i) => {
          const s = states[j];
          states.push(highway(s, linear(apply(s, hMask), w(`Ws.${i + 1}`)), ACT[act]));
        });
        h = tf.div(tf.addN(genotype.concat.map((k) => states[k])), genotype.concat.length) as Tensor2D;
        outputs.push(h);
      }
      const raw = tf.stack(outputs) as tf.Tensor3D;
      const dropped = apply(raw, outMask);
      const out = dropped.reshape([T * B, H]) as Tensor2D;
      const logits = tf.add(linear(out, tf.transpose(w('encoder')) as Tensor2D), w('decoder.bias')) as Tensor2D;
      return { logits, hidden: h as Tensor2D, ...(withOutputs && { raw, dropped }) };
    });
  }

  dispose(): void {
    for (const v of this.weights.values()) v.dispose();
    this.weights.clear();
  }
}

/** A dropout mask kept for the whole sequence: 0 with probability p, else 1 / (1 - p). */
function lockedMask(shape: number[], p: number, rng: Rng): Tensor {
  const keep = 1 / (1 - p);
  return tensorFromFill(shape, (out) => {
    for (let k = 0; k < out.length; k++) out[k] = rng.uniform() < p ? 0 : keep;
  });
}
