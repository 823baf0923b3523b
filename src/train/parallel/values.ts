// A tensor's float32 values, read where they lie: on the wasm backend a view of its heap (a copy is taken
// at once: a later allocation can move the heap), elsewhere dataSync. Reading gradients through the heap
// is ~100x faster than dataSync for millions of values.
import * as tf from '@tensorflow/tfjs';
import { asWasm } from '../../backend/kernels/wasm-heap.ts';

export function copyValues(t: tf.Tensor, into: Float32Array): void {
  if (tf.getBackend() === 'wasm') into.set(asWasm(tf.backend()).typedArrayFromHeap(t));
  else into.set(t.dataSync() as Float32Array);
}
