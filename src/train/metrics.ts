// Loss and accuracy of logits against integer labels.
import * as tf from '@tensorflow/tfjs';

/** Mean softmax cross-entropy, with optional label smoothing. */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D, smoothing = 0): tf.Scalar {
  return tf.tidy(
    () => tf.losses.softmaxCrossEntropy(tf.oneHot(labels, logits.shape[1]), logits, undefined, smoothing) as tf.Scalar,
  );
}

/** Share of rows whose largest logit is the label. */
export function accuracy(logits: tf.Tensor2D, labels: tf.Tensor1D): number {
  return tf.tidy(() => accuracyTensor(logits, labels).dataSync()[0]);
}

/** The accuracy as a scalar left where it was computed (a GPU reads it back asynchronously). */
export function accuracyTensor(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32')));
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
