// relu-grad.c against a plain TypeScript reference: dx = y > 0 ? dy : 0, on lengths with and without a
// remainder past the kernel's blocks of four.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onHeap } from '../../helpers/simd-heap.ts';
import { SEED, normals, rng } from '../../helpers/random.ts';

for (const n of [16, 23, 3]) {
  test(`relu_grad, ${n} values`, async () => {
    const next = rng(SEED + n);
    const y = normals(n, next).map((v) => Math.max(0, v));
    const dy = normals(n, next);
    const { out } = await onHeap({ y, dy }, { dx: n }, (k, at) => k.relu_grad(at.y, at.dy, at.dx, n));
    const expected = y.map((v, i) => (v > 0 ? dy[i] : 0));
    assert.deepEqual(out.dx, expected, `seed ${SEED}`);
  });
}
