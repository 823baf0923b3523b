// batch-norm.c against a plain TypeScript reference (float64), on channel counts that take the vector path
// (multiples of 4) and the scalar path: the statistics, the normalising pass, and the gradient's sums and
// its application, which together make the batch-statistics gradient rstd * (dy - mean(dy) - xhat * mean(dy xhat)).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onHeap } from '../../helpers/simd-heap.ts';
import { SEED, normals, relativeError, rng } from '../../helpers/random.ts';

const M = 13;

/** Per-channel mean and population variance of x [M, C]. */
function stats(x: Float32Array, C: number): [Float64Array, Float64Array] {
  const mean = new Float64Array(C);
  const variance = new Float64Array(C);
  for (let i = 0; i < x.length; i++) mean[i % C] += x[i] / M;
  for (let i = 0; i < x.length; i++) variance[i % C] += (x[i] - mean[i % C]) ** 2 / M;
  return [mean, variance];
}

const close = (a: Float32Array, b: ArrayLike<number>, what: string) =>
  assert.ok(relativeError(a, b) < 1e-5, `seed ${SEED}: ${what} ${relativeError(a, b)}`);

for (const C of [8, 6]) {
  test(`bn_stats and channel_affine, C=${C}`, async () => {
    const next = rng(SEED + C);
    const x = normals(M * C, next).map((v, i) => 3 * v + (i % C));
    const shift = normals(C, next);
    const scale = normals(C, next);
    const { out } = await onHeap({ x, shift, scale }, { mean: C, variance: C, y: M * C }, (k, at) => {
      k.bn_stats(at.x, M, C, at.mean, at.variance);
      k.channel_affine(at.x, M, C, at.shift, at.scale, at.y);
      return undefined;
    });
    const [mean, variance] = stats(x, C);
    close(out.mean, mean, 'mean');
    close(out.variance, variance, 'variance');
    close(
      out.y,
      x.map((v, i) => (v - shift[i % C]) * scale[i % C]),
      'affine',
    );
  });

  test(`bn_grad_sums and bn_grad_apply, C=${C}`, async () => {
    const next = rng(SEED + 10 + C);
    const [dy, xhat] = [normals(M * C, next), normals(M * C, next)];
    const rstd = normals(C, next).map(Math.abs);
    const sums = await onHeap({ dy, xhat }, { sdy: C, sdyx: C }, (k, at) =>
      k.bn_grad_sums(at.dy, at.xhat, M, C, at.sdy, at.sdyx),
    );
    const [sdy, sdyx] = [new Float64Array(C), new Float64Array(C)];
    for (let i = 0; i < dy.length; i++) {
      sdy[i % C] += dy[i];
      sdyx[i % C] += dy[i] * xhat[i];
    }
    close(sums.out.sdy, sdy, 'sum of dy');
    close(sums.out.sdyx, sdyx, 'sum of dy * xhat');
    const [mdy, mdyx] = [sdy, sdyx].map((s) => Float32Array.from(s, (v) => v / M));
    const { out } = await onHeap({ dy, xhat, rstd, mdy, mdyx }, { dx: M * C }, (k, at) =>
      k.bn_grad_apply(at.dy, at.xhat, M, C, at.rstd, at.mdy, at.mdyx, at.dx),
    );
    const dx = dy.map((g, i) => rstd[i % C] * (g - mdy[i % C] - xhat[i] * mdyx[i % C]));
    close(out.dx, dx, 'dx');
  });
}
