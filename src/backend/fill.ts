// A float32 tensor written in place: on wasm the values go straight into the backend's heap, so a large
// tensor (a whole data set) never exists twice in memory; elsewhere the filled array becomes the tensor.
import * as tf from '@tensorflow/tfjs';
import { asWasm } from './kernels/wasm-heap.ts';

export function tensorFromFill<R extends tf.Rank>(shape: number[], fill: (out: Float32Array) => void): tf.Tensor<R> {
  if (tf.getBackend() === 'wasm') {
    const backend = asWasm(tf.backend());
    const info = backend.makeOutput(shape, 'float32');
    try {
      fill(backend.typedArrayFromHeap(info));
    } catch (e) {
      backend.disposeData(info.dataId);
      throw e;
    }
    return tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor<R>;
  }
  const values = new Float32Array(tf.util.sizeFromShape(shape));
  fill(values);
  return tf.tensor(values, shape, 'float32') as unknown as tf.Tensor<R>;
}
