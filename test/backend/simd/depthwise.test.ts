// depthwise.c against tfjs on the cpu backend: the depthwise correlation (channel multiplier 1) and its
// filter gradient, by the general kernels (any filter, edge tests, channels in fours or not) and by the
// padded ones (3x3 and 5x5 filters, channels in fours) on the zero-padded copy pad_copy makes; strides
// 1 and 2, dilations 1 and 2, PyTorch's symmetric padding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { onCpu, onHeap } from '../../helpers/simd-heap.ts';
import { SEED, normals, relativeError, rng } from '../../helpers/random.ts';

const [B, H, W] = [2, 7, 6];

interface Case {
  kh: number;
  kw: number;
  s: number;
  d: number;
  C: number;
}

/** PyTorch's symmetric padding and the output size. */
function geometry({ kh, kw, s, d }: Case) {
  const [top, left] = [(d * (kh - 1)) / 2, (d * (kw - 1)) / 2];
  const Ho = Math.floor((H + 2 * top - d * (kh - 1) - 1) / s) + 1;
  const Wo = Math.floor((W + 2 * left - d * (kw - 1) - 1) / s) + 1;
  return { top, left, Ho, Wo };
}

/** Random x, filter and output gradient, and by tfjs the correlation and its filter gradient for dy. */
async function caseData(c: Case) {
  const { kh, kw, s, d, C } = c;
  const g = geometry(c);
  const next = rng(SEED + kh + 10 * kw + 100 * s + 1000 * d + C);
  const x = normals(B * H * W * C, next);
  const f = normals(kh * kw * C, next);
  const dy = normals(B * g.Ho * g.Wo * C, next);
  const pad: [[number, number], [number, number], [number, number], [number, number]] = [
    [0, 0],
    [g.top, g.top],
    [g.left, g.left],
    [0, 0],
  ];
  const conv = (xx: tf.Tensor4D, ff: tf.Tensor4D) => tf.depthwiseConv2d(xx, ff, s, pad, 'NHWC', d);
  const [y, df] = await onCpu(() => {
    const [xt, ft] = [tf.tensor4d(x, [B, H, W, C]), tf.tensor4d(f, [kh, kw, C, 1])];
    const r = tf.tensor(dy, [B, g.Ho, g.Wo, C]);
    const dft = tf.grad((ff) => tf.sum(tf.mul(conv(xt, ff as tf.Tensor4D), r)))(ft);
    return [conv(xt, ft), dft];
  });
  return { ...g, x, f, dy, y, df };
}

const close = (a: Float32Array, b: Float32Array, what: string) =>
  assert.ok(relativeError(a, b) < 1e-5, `seed ${SEED}: ${what} ${relativeError(a, b)}`);

for (const c of [
  { kh: 3, kw: 3, s: 1, d: 1, C: 8 },
  { kh: 3, kw: 3, s: 2, d: 1, C: 6 },
  { kh: 5, kw: 5, s: 1, d: 2, C: 6 },
  { kh: 3, kw: 1, s: 1, d: 1, C: 8 },
]) {
  test(`dw_conv and dw_filter_grad, ${c.kh}x${c.kw}, stride ${c.s}, dilation ${c.d}, C=${c.C}`, async () => {
    const { top, left, Ho, Wo, x, f, dy, y, df } = await caseData(c);
    const { kh, kw, s, d, C } = c;
    const forward = await onHeap({ x, f }, { y: y.length }, (k, at) =>
      k.dw_conv(at.x, at.f, at.y, B, H, W, C, Ho, Wo, kh, kw, s, s, d, d, top, left),
    );
    close(forward.out.y, y, 'output');
    const grad = await onHeap({ x, dy }, { df: df.length }, (k, at) =>
      k.dw_filter_grad(at.x, at.dy, at.df, B, H, W, C, Ho, Wo, kh, kw, s, s, d, d, top, left),
    );
    close(grad.out.df, df, 'filter gradient');
  });
}

for (const c of [
  { kh: 3, kw: 3, s: 1, d: 1, C: 8 },
  { kh: 3, kw: 3, s: 2, d: 1, C: 4 },
  { kh: 5, kw: 5, s: 1, d: 2, C: 4 },
  { kh: 5, kw: 5, s: 2, d: 1, C: 8 },
]) {
  const name = `${c.kh}x${c.kh}, stride ${c.s}, dilation ${c.d}, C=${c.C}`;
  test(`pad_copy, dw_conv_padded and dw_filter_grad_padded, ${name}`, async () => {
    const { top, left, Ho, Wo, x, f, dy, y, df } = await caseData(c);
    const { kh: k, s, d, C } = c;
    // One spare row and column past the padding: the copy must zero them too.
    const [Hp, Wp] = [H + 2 * top + 1, W + 2 * left + 1];
    const xp = new Float32Array(B * Hp * Wp * C);
    for (let b = 0; b < B; b++)
      for (let i = 0; i < H; i++)
        for (let j = 0; j < W; j++)
          for (let ch = 0; ch < C; ch++)
            xp[((b * Hp + i + top) * Wp + j + left) * C + ch] = x[((b * H + i) * W + j) * C + ch];
    const copy = await onHeap({ x }, { xp: xp.length }, (kk, at) =>
      kk.pad_copy(at.x, at.xp, B, H, W, C, top, left, Hp, Wp),
    );
    assert.deepEqual(copy.out.xp, xp, `seed ${SEED}: padded copy`);
    const forward = await onHeap({ xp, f }, { y: y.length }, (kk, at) =>
      kk.dw_conv_padded(at.xp, at.f, at.y, B, Hp, Wp, C, Ho, Wo, k, s, s, d, d),
    );
    close(forward.out.y, y, 'output');
    const grad = await onHeap({ xp, dy }, { df: df.length }, (kk, at) =>
      kk.dw_filter_grad_padded(at.xp, at.dy, at.df, B, Hp, Wp, C, Ho, Wo, k, s, s, d, d),
    );
    close(grad.out.df, df, 'filter gradient');
  });
}
