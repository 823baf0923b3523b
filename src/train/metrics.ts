// Loss and accuracy of logits against integer labels.
import * as tf from '@tensorflow/tfjs';

/** Mean softmax cross-entropy, with optional label smoothing. */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D, smoothing = 0): tf.Scalar {
  return tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.oneHot(labels, logits.shape[1]), logits, undefined, smoothing) as tf.Scalar);
}

/** Share of rows whose largest logit is the label. */
export function accuracy(logits: tf.Tensor2D, labels: tf.Tensor1D): number {
  return tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32')).dataSync()[0]);
}

/** Rows whose label is the top logit, and rows whose label is among the top 5. */
export function topHits(logits: tf.Tensor2D, labels: tf.Tensor1D): [number, number] {
  return tf.tidy(() => {
    const top = tf.topk(logits, Math.min(5, logits.shape[1])).indices;
    const eq = tf.cast(tf.equal(top, tf.expandDims(labels, 1)), 'float32');
    return [tf.sum(tf.slice(eq, [0, 0], [-1, 1])).dataSync()[0], tf.sum(eq).dataSync()[0]];
  });
}
