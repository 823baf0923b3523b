// The depthwise SIMD kernels (channel multiplier 1) on x and a second operand: the filter for the
// convolution, dy for the filter gradient. 3x3 and 5x5 filters on channels in fours run on a copy of x
// with its zero padding written out (dw_conv_padded, dw_filter_grad_padded), so no tap tests the image's
// edges: the copy costs one pass over x, where the edge tests cost a quarter of the pixels at 32x32 and
// all of them at 8x8 with a dilated 5x5 filter. Other sizes take the general kernels.
import type { TensorInfo } from '@tensorflow/tfjs';
import type { DepthwiseGeometry } from './depthwise-geometry.ts';
import type { Simd } from '../simd/simd.ts';

const KERNELS = {
  conv: { padded: 'dw_conv_padded', general: 'dw_conv' },
  filterGrad: { padded: 'dw_filter_grad_padded', general: 'dw_filter_grad' },
} as const;

const paddedFits = (g: DepthwiseGeometry): boolean =>
  g.M === 1 && g.kh === g.kw && (g.kh === 3 || g.kh === 5) && g.C % 4 === 0;

/** Runs the `kind` kernel of geometry g on x and `other`, writing `out`. */
export function depthwiseSimd(
  simd: Simd,
  kind: keyof typeof KERNELS,
  x: TensorInfo,
  other: TensorInfo,
  out: TensorInfo,
  g: DepthwiseGeometry,
): void {
  const { B, H, W, C, Ho, Wo, kh, kw, sh, sw, dh, dw, top, left } = g;
  if (!paddedFits(g)) {
    simd.k[KERNELS[kind].general](
      simd.at(x),
      simd.at(other),
      simd.at(out),
      B,
      H,
      W,
      C,
      Ho,
      Wo,
      kh,
      kw,
      sh,
      sw,
      dh,
      dw,
      top,
      left,
    );
    return;
  }
  const bottom = Math.max(0, (Ho - 1) * sh + (kh - 1) * dh - top - (H - 1));
  const right = Math.max(0, (Wo - 1) * sw + (kw - 1) * dw - left - (W - 1));
  const [Hp, Wp] = [H + top + bottom, W + left + right];
  const copy = Hp !== H || Wp !== W;
  const xp = copy ? simd.alloc(B * Hp * Wp * C) : simd.at(x);
  if (copy) simd.k.pad_copy(simd.at(x), xp, B, H, W, C, top, left, Hp, Wp);
  simd.k[KERNELS[kind].padded](xp, simd.at(other), simd.at(out), B, Hp, Wp, C, Ho, Wo, kh, sh, sw, dh, dw);
  if (copy) simd.free(xp);
}
