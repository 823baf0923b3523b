// matmul.c against tfjs on the cpu backend: X W (a 1x1 convolution's product) and X^T dY (its weight
// gradient), on sizes that take the kernels' register blocks (4 rows by 8 columns, 4 by 8 channels) and
// sizes with remainders past them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { onCpu, onHeap } from '../../helpers/simd-heap.ts';
import { SEED, normals, relativeError, rng } from '../../helpers/random.ts';

for (const [M, K, N] of [
  [12, 8, 16],
  [7, 6, 13],
  [5, 3, 4],
]) {
  test(`matmul_a_b and matmul_at_b, M=${M}, K=${K}, N=${N}`, async () => {
    const next = rng(SEED + M + K + N);
    const [x, w, dy] = [normals(M * K, next), normals(K * N, next), normals(M * N, next)];
    const [y, dw] = await onCpu(() => [
      tf.matMul(tf.tensor2d(x, [M, K]), tf.tensor2d(w, [K, N])),
      tf.matMul(tf.tensor2d(x, [M, K]), tf.tensor2d(dy, [M, N]), true, false),
    ]);
    const forward = await onHeap({ x, w }, { y: M * N }, (k, at) => k.matmul_a_b(at.x, at.w, at.y, M, K, N));
    assert.ok(relativeError(forward.out.y, y) < 1e-5, `seed ${SEED}: X W ${relativeError(forward.out.y, y)}`);
    const grad = await onHeap({ x, dy }, { dw: K * N }, (k, at) => k.matmul_at_b(at.x, at.dy, at.dw, M, K, N));
    assert.ok(relativeError(grad.out.dw, dw) < 1e-5, `seed ${SEED}: X^T dY ${relativeError(grad.out.dw, dw)}`);
  });
}
