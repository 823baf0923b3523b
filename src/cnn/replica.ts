// The convolutional task's replicas for data-parallel training (train/parallel): the supernet (a child's
// weight step and reward on a shard) and the evaluation network (a training step and the test counts).
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { Rng } from '../random/rng.ts';
import type { Genotype } from '../space/genotype.ts';
import { Supernet, type SupernetConfig } from '../supernet/supernet.ts';
import { EvalNetwork, type EvalNetworkConfig } from '../network/eval-network.ts';
import { accuracy, crossEntropy, topHits } from '../train/metrics.ts';
import type { CreateReplica, Replica, ReplicaResult, ReplicaStep } from '../train/parallel/replica.ts';

export type CnnReplicaArgs =
  | { kind: 'supernet'; config: SupernetConfig }
  | { kind: 'eval'; genotype: Genotype; config: EvalNetworkConfig };

/** Gradients of `loss` for the named tensors (those on its path), and the loss. */
function gradients(
  tensors: Map<string, tf.Variable>,
  names: string[],
  loss: () => tf.Scalar,
): { value: number; grads: Record<string, Tensor> } {
  const vars = names.map((n) => tensors.get(n)!);
  const r = tf.variableGrads(loss, vars);
  const grads: Record<string, Tensor> = {};
  names.forEach((n, k) => {
    if (r.grads[vars[k].name]) grads[n] = r.grads[vars[k].name];
  });
  const value = r.value.dataSync()[0];
  r.value.dispose();
  return { value, grads };
}

function supernetReplica(config: SupernetConfig): Replica {
  const net = new Supernet(config, new Rng(0));
  return {
    tensors: net.weights,
    buffers: [],
    step({ step, args, inputs, grads }: ReplicaStep): ReplicaResult {
      const x = inputs.x as tf.Tensor4D,
        y = inputs.y as tf.Tensor1D;
      const genotype = args.genotype as Genotype;
      const rows = y.shape[0];
      if (step === 'reward')
        return { sums: { correct: tf.tidy(() => accuracy(net.forward(x, genotype), y)) * rows, rows } };
      let acc = 0;
      const { value, grads: g } = gradients(net.weights, grads, () => {
        const logits = net.forward(x, genotype);
        acc = accuracy(logits, y);
        return crossEntropy(logits, y);
      });
      return { sums: { loss: value * rows, correct: acc * rows, rows }, grads: g };
    },
    dispose: () => net.dispose(),
  };
}

function evalReplica(genotype: Genotype, config: EvalNetworkConfig): Replica {
  const net = new EvalNetwork(genotype, config, new Rng(0));
  return {
    tensors: new Map([...net.weights, ...net.buffers]),
    buffers: [...net.buffers.keys()],
    step({ step, args, inputs, grads }: ReplicaStep): ReplicaResult {
      const x = inputs.x as tf.Tensor4D,
        y = inputs.y as tf.Tensor1D;
      const rows = y.shape[0];
      if (step === 'test') {
        const [top1, top5] = tf.tidy(() => topHits(net.forward(x, { training: false }).logits, y));
        return { sums: { top1, top5, rows } };
      }
      const a = args as {
        dropPathProb: number;
        seed: number;
        smoothing: number;
        auxWeight: number;
        bnMomentum: number;
      };
      const rng = new Rng(a.seed);
      let acc = 0;
      const { value, grads: g } = gradients(net.weights, grads, () => {
        const { logits, aux } = net.forward(x, {
          training: true,
          dropPathProb: a.dropPathProb,
          rng,
          bnMomentum: a.bnMomentum,
        });
        acc = accuracy(logits, y);
        let l = crossEntropy(logits, y, a.smoothing);
        if (aux) l = tf.add(l, tf.mul(crossEntropy(aux, y, a.smoothing), a.auxWeight));
        tf.dispose(aux);
        return l;
      });
      return { sums: { loss: value * rows, correct: acc * rows, rows }, grads: g };
    },
    dispose: () => net.dispose(),
  };
}

export const createReplica: CreateReplica = (args) => {
  const a = args as CnnReplicaArgs;
  return a.kind === 'supernet' ? supernetReplica(a.config) : evalReplica(a.genotype, a.config);
};
