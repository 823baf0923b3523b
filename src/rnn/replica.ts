// The recurrent task's replica for data-parallel training (train/parallel): the language model on a
// worker's share of the parallel token streams. It carries its streams' hidden states from window to
// window (one state per stream: weight windows, policy windows, training windows), draws its dropouts from
// the seed of each step, and returns the cross-entropy summed over its tokens.
import * as tf from '@tensorflow/tfjs';
import type { Tensor2D } from '@tensorflow/tfjs';
import { Rng } from '../random/rng.ts';
import type { RnnGenotype } from '../space/rnn-genotype.ts';
import type { CreateReplica, Replica, ReplicaResult, ReplicaStep } from '../train/parallel/replica.ts';
import { RnnModel, type RnnModelConfig } from './model.ts';
import { regularisedLoss, tokenLoss } from './loss.ts';
import type { RnnTraining } from './config.ts';

export const createReplica: CreateReplica = (args) => {
  const model = new RnnModel(args as RnnModelConfig, new Rng(0));
  const hidden = new Map<string, Tensor2D>();
  const stateOf = (key: string, rows: number, fresh: boolean): Tensor2D => {
    const h = hidden.get(key);
    if (h && !fresh && h.shape[0] === rows) return h;
    h?.dispose();
    const zero = tf.keep(tf.zeros([rows, model.config.hidden])) as Tensor2D;
    hidden.set(key, zero);
    return zero;
  };
  const carry = (key: string, h: Tensor2D) => {
    hidden.get(key)?.dispose();
    hidden.set(key, tf.keep(h));
  };
  const replica: Replica = {
    tensors: model.weights,
    buffers: [],
    step({ step, args, inputs, grads }: ReplicaStep): ReplicaResult {
      const x = inputs.x as Tensor2D,
        y = inputs.y as Tensor2D;
      const a = args as { genotype: RnnGenotype; key: string; fresh: boolean; seed?: number; training?: RnnTraining };
      const tokens = x.size;
      const h0 = stateOf(a.key, x.shape[1], a.fresh);
      if (step === 'loss') {
        const out = model.forward(x, h0, a.genotype);
        const loss = tf.tidy(() => tokenLoss(out.logits, y));
        const value = loss.dataSync()[0];
        carry(a.key, out.hidden);
        tf.dispose([out.logits, loss]);
        return { sums: { loss: value * tokens, rows: tokens } };
      }
      const c = a.training!;
      const rng = new Rng(a.seed!);
      const vars = grads.map((n) => model.weights.get(n)!);
      let h: Tensor2D | undefined;
      let crossEntropy = 0;
      const r = tf.variableGrads(() => {
        const { loss, crossEntropy: ce, hidden: next } = regularisedLoss(model, x, y, h0, a.genotype, c, rng);
        h = tf.keep(next);
        crossEntropy = ce.dataSync()[0];
        return loss;
      }, vars);
      r.value.dispose();
      carry(a.key, h!);
      const g: Record<string, tf.Tensor> = {};
      grads.forEach((n, k) => {
        if (r.grads[vars[k].name]) g[n] = r.grads[vars[k].name];
      });
      return { sums: { loss: crossEntropy * tokens, rows: tokens }, grads: g };
    },
    dispose: () => {
      model.dispose();
      tf.dispose([...hidden.values()]);
    },
  };
  return replica;
};
