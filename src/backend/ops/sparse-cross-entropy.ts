// Mean softmax cross-entropy of logits [N, V] against N int32 labels, for large V (a language model's
// vocabulary): one pass computes the loss and keeps the probabilities, whose gradient is p - onehot. tfjs
// would build a one-hot matrix and run six full-size passes forward and more backward. On wasm the passes
// are SIMD kernels (../simd/softmax-xent.c), on the CPU backends plain loops, and on a GPU
// log-softmax and a one-hot mask differentiated by tfjs, so the values stay there.
import * as tf from '@tensorflow/tfjs';
import { asWasm } from '../kernels/wasm-heap.ts';
import { simdFor, simdSupported, type Simd } from '../simd/simd.ts';
import { tensorFromFill } from '../fill.ts';

/** Rows' probabilities and their summed loss, by loops in JavaScript. */
function softmaxLoops(x: tf.Tensor, ids: Int32Array, N: number, V: number) {
  let loss = 0;
  const probabilities = tensorFromFill([N, V], (p) => {
    const v = x.dataSync() as Float32Array;
    for (let r = 0, o = 0; r < N; r++, o += V) {
      let max = -Infinity;
      for (let k = 0; k < V; k++) if (v[o + k] > max) max = v[o + k];
      let sum = 0;
      for (let k = 0; k < V; k++) sum += p[o + k] = Math.exp(v[o + k] - max);
      for (let k = 0; k < V; k++) p[o + k] /= sum;
      loss += Math.log(sum) + max - v[o + ids[r]];
    }
  });
  return { loss, probabilities };
}

function softmaxSimd(simd: Simd, x: tf.Tensor, labels: tf.Tensor, N: number, V: number) {
  const info = asWasm(tf.backend()).makeOutput([N, V], 'float32');
  const loss = simd.k.softmax_xent(simd.at(x), simd.at(labels), simd.at(info), N, V);
  return { loss, probabilities: tf.engine().makeTensorFromTensorInfo(info) };
}

/** The gradient (p - onehot) * scale. */
function gradient(simd: Simd | undefined, p: tf.Tensor, labels: tf.Tensor, ids: Int32Array | undefined, scale: number) {
  const [N, V] = p.shape;
  if (simd) {
    const g = asWasm(tf.backend()).makeOutput([N, V], 'float32');
    simd.k.softmax_xent_grad(simd.at(p), simd.at(labels), simd.at(g), N, V, scale);
    return tf.engine().makeTensorFromTensorInfo(g);
  }
  return tensorFromFill([N, V], (g) => {
    const pv = p.dataSync() as Float32Array;
    for (let k = 0; k < g.length; k++) g[k] = pv[k] * scale;
    for (let r = 0; r < N; r++) g[r * V + ids![r]] -= scale;
  });
}

/** `labels` must stay alive until the gradient has been taken. */
export function sparseCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor): tf.Scalar {
  const [N, V] = logits.shape;
  if (labels.size !== N || labels.dtype !== 'int32') {
    const got = `${labels.size} ${labels.dtype}`;
    throw new Error(`sparseCrossEntropy: ${N} rows of logits need ${N} int32 labels, got ${got}`);
  }
  if (tf.getBackend() === 'webgpu') {
    return tf.tidy(() => {
      const picked = tf.mul(tf.logSoftmax(logits), tf.oneHot(tf.reshape(labels, [N]), V));
      return tf.neg(tf.mean(tf.sum(picked, 1))) as tf.Scalar;
    });
  }
  const simd = tf.getBackend() === 'wasm' && simdSupported() ? simdFor(tf.backend()) : undefined;
  const ids = simd ? undefined : (labels.dataSync() as Int32Array);
  const f = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
    const { loss, probabilities } = simd ? softmaxSimd(simd, x, labels, N, V) : softmaxLoops(x, ids!, N, V);
    save([probabilities]);
    return {
      value: tf.scalar(loss / N),
      gradFunc: (dy: tf.Tensor, [p]: tf.Tensor[]) => gradient(simd, p, labels, ids, dy.dataSync()[0] / N),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(logits) as tf.Scalar;
}
