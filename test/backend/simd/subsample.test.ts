// subsample.c against a plain TypeScript reference: every second pixel from offset (oy, ox), zero past the
// edge, on odd and even sizes, and its gradient (zero but at the sampled pixels).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onHeap } from '../../helpers/simd-heap.ts';
import { SEED, normals, rng } from '../../helpers/random.ts';

const [B, C] = [2, 3];

for (const [H, W] of [
  [6, 6],
  [7, 5],
]) {
  for (const [oy, ox] of [
    [0, 0],
    [1, 1],
    [0, 1],
  ]) {
    test(`subsample2 and subsample2_grad, ${H}x${W}, offset (${oy}, ${ox})`, async () => {
      const [Ho, Wo] = [Math.ceil(H / 2), Math.ceil(W / 2)];
      const next = rng(SEED + H + oy + 2 * ox);
      const x = normals(B * H * W * C, next);
      const dy = normals(B * Ho * Wo * C, next);
      const y = new Float32Array(B * Ho * Wo * C);
      const dx = new Float32Array(B * H * W * C);
      for (let b = 0; b < B; b++)
        for (let i = 0; i < Ho; i++)
          for (let j = 0; j < Wo; j++) {
            const [r, q] = [2 * i + oy, 2 * j + ox];
            if (r >= H || q >= W) continue;
            for (let c = 0; c < C; c++) {
              y[((b * Ho + i) * Wo + j) * C + c] = x[((b * H + r) * W + q) * C + c];
              dx[((b * H + r) * W + q) * C + c] = dy[((b * Ho + i) * Wo + j) * C + c];
            }
          }
      const forward = await onHeap({ x }, { y: y.length }, (k, at) => k.subsample2(at.x, at.y, B, H, W, C, oy, ox));
      assert.deepEqual(forward.out.y, y, `seed ${SEED}: forward`);
      const backward = await onHeap({ dy }, { dx: dx.length }, (k, at) =>
        k.subsample2_grad(at.dy, at.dx, B, H, W, C, oy, ox),
      );
      assert.deepEqual(backward.out.dx, dx, `seed ${SEED}: gradient`);
    });
  }
}
