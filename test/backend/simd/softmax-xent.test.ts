// softmax-xent.c against tfjs on the cpu backend: each row's softmax and the summed cross-entropy against
// integer labels, and the gradient scale * (p - onehot), on vocabularies with and without a remainder past
// the kernel's blocks of four and logits far apart (the exponential's range reduction).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { onCpu, onHeap } from '../../helpers/simd-heap.ts';
import { SEED, normals, relativeError, rng } from '../../helpers/random.ts';

const N = 5;

for (const V of [40, 23]) {
  test(`softmax_xent and softmax_xent_grad, V=${V}`, async () => {
    const next = rng(SEED + V);
    const x = normals(N * V, next).map((v) => 6 * v);
    const labels = Int32Array.from({ length: N }, () => Math.floor(next() * V));
    const [p, loss] = await onCpu(() => {
      const logits = tf.tensor2d(x, [N, V]);
      const onehot = tf.oneHot(tf.tensor1d(labels, 'int32'), V);
      return [tf.softmax(logits), tf.neg(tf.sum(tf.mul(onehot, tf.logSoftmax(logits))))];
    });
    const forward = await onHeap({ x, labels }, { p: N * V }, (k, at) => k.softmax_xent(at.x, at.labels, at.p, N, V));
    assert.ok(relativeError(forward.out.p, p) < 1e-5, `seed ${SEED}: softmax ${relativeError(forward.out.p, p)}`);
    assert.ok(Math.abs(forward.result! - loss[0]) < 1e-4 * Math.abs(loss[0]), `seed ${SEED}: loss ${forward.result}`);
    const scale = 0.3;
    const backward = await onHeap({ p, labels }, { g: N * V }, (k, at) =>
      k.softmax_xent_grad(at.p, at.labels, at.g, N, V, scale),
    );
    const g = p.map((v, i) => scale * (v - (labels[Math.floor(i / V)] === i % V ? 1 : 0)));
    assert.ok(relativeError(backward.out.g, g) < 1e-6, `seed ${SEED}: gradient ${relativeError(backward.out.g, g)}`);
  });
}
