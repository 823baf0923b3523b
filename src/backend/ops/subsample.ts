// x[:, o::2, o::2, :] for o = 0 or 1, zero-padded to ceil(H/2) x ceil(W/2), differentiable: one pass each
// way on wasm (../kernels/subsample.ts), elsewhere reshapes and slices (tfjs has no StridedSlice gradient).
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import { hasKernel } from '../kernels/fast.ts';
import { SUBSAMPLE2, SUBSAMPLE2_GRAD } from '../kernels/subsample.ts';
import { custom } from './custom-grad.ts';

function subsampleWithOps(x: Tensor4D, offset: 0 | 1): Tensor4D {
  return tf.tidy(() => {
    const [B, H, W, C] = x.shape;
    if (offset) x = tf.slice(x, [0, 1, 1, 0], [B, H - 1, W - 1, C]);
    const [h, w] = [x.shape[1], x.shape[2]];
    const [Ho, Wo] = [Math.ceil(H / 2), Math.ceil(W / 2)];
    x = tf.pad(x, [
      [0, 0],
      [0, 2 * Ho - h],
      [0, 2 * Wo - w],
      [0, 0],
    ]);
    const rows = tf.slice(tf.reshape(x, [B * Ho, 2, 2 * Wo * C, 1]), [0, 0, 0, 0], [B * Ho, 1, 2 * Wo * C, 1]);
    const cols = tf.slice(tf.reshape(rows, [B * Ho, Wo, 2, C]), [0, 0, 0, 0], [B * Ho, Wo, 1, C]);
    return tf.reshape(cols, [B, Ho, Wo, C]);
  });
}

export function subsample2(x: Tensor4D, offset: 0 | 1): Tensor4D {
  if (!hasKernel(SUBSAMPLE2)) return subsampleWithOps(x, offset);
  const inputShape = x.shape;
  const f = custom((input: Tensor | tf.GradSaveFunc) => ({
    value: tf.engine().runKernel(SUBSAMPLE2, { x: input as Tensor }, { offset }) as Tensor,
    gradFunc: (dy) => tf.engine().runKernel(SUBSAMPLE2_GRAD, { dy }, { offset, inputShape }) as Tensor,
  }));
  return f(x) as Tensor4D;
}
