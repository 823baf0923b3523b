// A replica without batch norm for the worker-pool tests: a two-layer perceptron whose gradients over a
// batch are exactly the row-weighted sum of its shards' gradients. A shard with args.fail 'throw' or 'exit'
// fails on purpose.
import * as tf from '@tensorflow/tfjs';
import type { CreateReplica, ReplicaStep } from '../../src/train/parallel/replica.ts';
import { Rng } from '../../src/random/rng.ts';

export const MLP = { inputs: 12, hidden: 16, classes: 4 };

/** The perceptron's weights, the same for the same seed. */
export function mlpWeights(seed: number): Map<string, tf.Variable> {
  const rng = new Rng(seed);
  const init = (shape: number[]) =>
    tf.variable(
      tf.tensor(
        Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal() * 0.5),
        shape,
      ),
    );
  return new Map([
    ['w1', init([MLP.inputs, MLP.hidden])],
    ['b1', init([MLP.hidden])],
    ['w2', init([MLP.hidden, MLP.classes])],
  ]);
}

/** The mean cross-entropy of the perceptron on (x, y). */
export function mlpLoss(w: Map<string, tf.Variable>, x: tf.Tensor2D, y: tf.Tensor1D): tf.Scalar {
  const h = tf.tanh(tf.add(tf.matMul(x, w.get('w1')! as tf.Tensor2D), w.get('b1')!));
  const logits = tf.matMul(h, w.get('w2')! as tf.Tensor2D);
  return tf.losses.softmaxCrossEntropy(tf.oneHot(y, MLP.classes), logits) as tf.Scalar;
}

export const createReplica: CreateReplica = () => {
  const tensors = mlpWeights(99); // overwritten by the master's values at start
  return {
    tensors,
    buffers: [],
    step({ args, inputs, grads }: ReplicaStep) {
      if (args.fail === 'throw') throw new Error('a deliberate failure');
      if (args.fail === 'exit') process.exit(3);
      const x = inputs.x as tf.Tensor2D,
        y = inputs.y as tf.Tensor1D;
      const vars = grads.map((n) => tensors.get(n)!);
      const r = tf.variableGrads(() => mlpLoss(tensors, x, y), vars);
      const out = Object.fromEntries(grads.map((n, k) => [n, r.grads[vars[k].name]]));
      const loss = r.value.dataSync()[0];
      r.value.dispose();
      return { sums: { loss: loss * y.shape[0], rows: y.shape[0] }, grads: out };
    },
    dispose: () => tf.dispose([...tensors.values()]),
  };
};
