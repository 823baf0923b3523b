// max-pool-grad.c against tfjs on the cpu backend: the gradient of 3x3 max pooling with padding 1, strides
// 1 and 2, on inputs of negative values too (windows whose maximum is below 0), channels in fours and not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { onCpu, onHeap } from '../../helpers/simd-heap.ts';
import { SEED, normals, relativeError, rng } from '../../helpers/random.ts';

const [B, H, W] = [2, 7, 6];

for (const C of [4, 3]) {
  for (const stride of [1, 2]) {
    test(`max_pool3_grad, stride ${stride}, C=${C}`, async () => {
      const [Ho, Wo] = [Math.floor((H - 1) / stride) + 1, Math.floor((W - 1) / stride) + 1];
      const next = rng(SEED + C + stride);
      const x = normals(B * H * W * C, next).map((v) => v - 2);
      const dy = normals(B * Ho * Wo * C, next);
      const [expected] = await onCpu(() => {
        const r = tf.tensor(dy, [B, Ho, Wo, C]);
        return tf.grad((input) => tf.sum(tf.mul(tf.maxPool(input as tf.Tensor4D, 3, stride, 1), r)))(
          tf.tensor4d(x, [B, H, W, C]),
        );
      });
      const { out } = await onHeap({ x, dy }, { dx: x.length }, (k, at) =>
        k.max_pool3_grad(at.x, at.dy, at.dx, B, H, W, C, Ho, Wo, stride),
      );
      assert.ok(relativeError(out.dx, expected) < 1e-6, `seed ${SEED}: ${relativeError(out.dx, expected)}`);
    });
  }
}
