// sgd-update.c against a plain TypeScript reference (float64): the sum of squares, and one SGD step with
// decay, momentum (Nesterov or not, or none) and a clipping scale, on lengths with a remainder past the
// kernel's blocks of four.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onHeap } from '../../helpers/simd-heap.ts';
import { SEED, normals, relativeError, rng } from '../../helpers/random.ts';

for (const n of [32, 37]) {
  test(`sum_squares, ${n} values`, async () => {
    const g = normals(n, rng(SEED + n));
    const { result } = await onHeap({ g }, {}, (k, at) => k.sum_squares(at.g, n));
    const expected = g.reduce((s, v) => s + v * v, 0);
    assert.ok(Math.abs(result! - expected) <= 1e-5 * expected, `seed ${SEED}: ${result} vs ${expected}`);
  });

  for (const [mu, nesterov] of [
    [0.9, 0],
    [0.9, 1],
    [0, 0],
  ]) {
    test(`sgd_update, ${n} values, momentum ${mu}, nesterov ${nesterov}`, async () => {
      const next = rng(SEED + n + 10 * mu + nesterov);
      const [w, g, buf] = [normals(n, next), normals(n, next), normals(n, next)];
      const [lr, wd, scale] = [0.05, 3e-4, 0.7];
      const { out } = await onHeap({ w, g, buf }, { buf: n, out: n }, (k, at) =>
        k.sgd_update(at.w, at.g, mu ? at.buf : 0, at.out, n, lr, mu, wd, scale, nesterov),
      );
      const bufAfter = Float64Array.from(buf);
      const wAfter = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let d = g[i] * scale + wd * w[i];
        if (mu) bufAfter[i] = mu * buf[i] + d;
        d = mu ? (nesterov ? d + mu * bufAfter[i] : bufAfter[i]) : d;
        wAfter[i] = w[i] - lr * d;
      }
      assert.ok(relativeError(out.out, wAfter) < 1e-6, `seed ${SEED}: weights ${relativeError(out.out, wAfter)}`);
      assert.ok(relativeError(out.buf, bufAfter) < 1e-6, `seed ${SEED}: momentum ${relativeError(out.buf, bufAfter)}`);
    });
  }
}
