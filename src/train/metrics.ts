// Loss and accuracy of logits against integer labels.
import * as tf from '@tensorflow/tfjs';
import { tensorFromFill } from '../backend/fill.ts';
import { asWasm } from '../backend/kernels/wasm-heap.ts';
import { simdFor, simdSupported } from '../backend/simd/simd.ts';

/** Mean softmax cross-entropy, with optional label smoothing. */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D, smoothing = 0): tf.Scalar {
  return tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.oneHot(labels, logits.shape[1]), logits, undefined, smoothing) as tf.Scalar);
}

/** Share of rows whose largest logit is the label. */
export function accuracy(logits: tf.Tensor2D, labels: tf.Tensor1D): number {
  return tf.tidy(() => accuracyTensor(logits, labels).dataSync()[0]);
}

/** The accuracy as a scalar left where it was computed (a GPU reads it back asynchronously). */
export function accuracyTensor(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32')));
}

/** The values of scalars in one read, then disposes them. */
export async function readScalars(scalars: tf.Tensor[]): Promise<number[]> {
  if (scalars.length === 0) return [];
  const all = tf.tidy(() => tf.stack(scalars.map((s) => tf.reshape(s, []))));
  try {
    return Array.from(await all.data());
  } finally {
    tf.dispose([all, ...scalars]);
  }
}

/** readScalars for the backends that read synchronously (wasm, cpu, tensorflow). */
export function readScalarsSync(scalars: tf.Tensor[]): number[] {
  try {
    return scalars.map((s) => s.dataSync()[0]);
  } finally {
    tf.dispose(scalars);
  }
}

/** Rows whose label is the top logit, and rows whose label is among the top 5. */
export function topHits(logits: tf.Tensor2D, labels: tf.Tensor1D): [number, number] {
  return tf.tidy(() => topHitsTensors(logits, labels).map((t) => t.dataSync()[0]) as [number, number]);
}

/** topHits as scalars left where they were computed. */
export function topHitsTensors(logits: tf.Tensor2D, labels: tf.Tensor1D): [tf.Scalar, tf.Scalar] {
  return tf.tidy(() => {
    const top = tf.topk(logits, Math.min(5, logits.shape[1])).indices;
    const eq = tf.cast(tf.equal(top, tf.expandDims(labels, 1)), 'float32');
    return [tf.sum(tf.slice(eq, [0, 0], [-1, 1])), tf.sum(eq)] as [tf.Scalar, tf.Scalar];
  });
}

/**
 * Mean softmax cross-entropy of logits [N, V] against N int32 labels, for large V (a language model's
 * vocabulary): one pass computes the loss and keeps the probabilities, whose gradient is p - onehot. tfjs
 * would build a one-hot matrix and run six full-size passes forward and more backward. On wasm the passes
 * are SIMD kernels; `labels` must stay alive until the gradient has been taken.
 */
export function sparseCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor): tf.Scalar {
  const [N, V] = logits.shape;
  if (labels.size !== N || labels.dtype !== 'int32') throw new Error(`sparseCrossEntropy: ${N} rows of logits need ${N} int32 labels, got ${labels.size} ${labels.dtype}`);
  // On a GPU the values stay there: log-softmax and a one-hot mask, differentiated by tfjs.
  if (tf.getBackend() === 'webgpu') {
    return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(tf.reshape(labels, [N]), V)), 1))) as tf.Scalar);
  }
  const simd = tf.getBackend() === 'wasm' && simdSupported() ? simdFor(tf.backend()) : undefined;
  const ids = simd ? undefined : (labels.dataSync() as Int32Array);
  const f = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
    let loss = 0;
    let probabilities: tf.Tensor;
    if (simd) {
      const info = asWasm(tf.backend()).makeOutput([N, V], 'float32');
      loss = simd.k.softmax_xent(simd.at(x), simd.at(labels), simd.at(info), N, V);
      probabilities = tf.engine().makeTensorFromTensorInfo(info);
    } else {
      probabilities = tensorFromFill([N, V], (p) => {
        const v = x.dataSync() as Float32Array;
        for (let r = 0, o = 0; r < N; r++, o += V) {
          let max = -Infinity;
          for (let k = 0; k < V; k++) if (v[o + k] > max) max = v[o + k];
          let sum = 0;
          for (let k = 0; k < V; k++) sum += p[o + k] = Math.exp(v[o + k] - max);
          for (let k = 0; k < V; k++) p[o + k] /= sum;
          loss += Math.log(sum) + max - v[o + ids![r]];
        }
      });
    }
    save([probabilities]);
    return {
      value: tf.scalar(loss / N),
      gradFunc: (dy: tf.Tensor, [p]: tf.Tensor[]) => {
        const scale = dy.dataSync()[0] / N;
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
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(logits) as tf.Scalar;
}
