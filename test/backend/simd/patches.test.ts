// patches.c against a plain TypeScript reference: each output pixel's kh x kw x Ci input taps in the
// filter's layout, zero in the padding and up to Kp columns; strides 1 and 2, 'same'-style padding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onHeap } from '../../helpers/simd-heap.ts';
import { SEED, normals, rng } from '../../helpers/random.ts';

const [B, H, W, Ci] = [2, 5, 6, 3];

for (const [kh, kw, s] of [
  [3, 3, 1],
  [3, 1, 2],
  [1, 5, 1],
]) {
  test(`patches, ${kh}x${kw} filter, stride ${s}`, async () => {
    const [top, left] = [(kh - 1) >> 1, (kw - 1) >> 1];
    const [Ho, Wo] = [Math.ceil(H / s), Math.ceil(W / s)];
    const Kp = kh * kw * Ci + 2;
    const x = normals(B * H * W * Ci, rng(SEED + kh + kw + s));
    const cols = new Float32Array(B * Ho * Wo * Kp);
    for (let b = 0, row = 0; b < B; b++)
      for (let yo = 0; yo < Ho; yo++)
        for (let xo = 0; xo < Wo; xo++, row += Kp)
          for (let r = 0; r < kh; r++)
            for (let q = 0; q < kw; q++) {
              const [xr, xc] = [yo * s - top + r, xo * s - left + q];
              if (xr < 0 || xr >= H || xc < 0 || xc >= W) continue;
              for (let c = 0; c < Ci; c++) cols[row + (r * kw + q) * Ci + c] = x[((b * H + xr) * W + xc) * Ci + c];
            }
    const { out } = await onHeap({ x }, { cols: cols.length }, (k, at) =>
      k.patches(at.x, at.cols, B, H, W, Ci, Ho, Wo, kh, kw, s, s, top, left, Kp),
    );
    assert.deepEqual(out.cols, cols, `seed ${SEED}`);
  });
}
