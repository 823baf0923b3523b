// A depthwise kernel's input with its zero padding written out, so that the SIMD kernels for 3x3 and 5x5
// filters (dw_conv_padded, dw_filter_grad_padded) read every tap without testing the image's edges: the
// copy costs one pass over x, where the edge tests cost a quarter of the pixels at 32x32 and all of them
// at 8x8 with a dilated 5x5 filter.
import type { TensorInfo } from '@tensorflow/tfjs';
import type { DepthwiseGeometry } from './depthwise-geometry.ts';
import type { Simd } from '../simd/simd.ts';

/** True when the padded SIMD kernels take this geometry: channel multiplier 1, a square 3x3 or 5x5 filter, channels in fours. */
export const paddedKernelFits = (g: DepthwiseGeometry): boolean => g.M === 1 && g.kh === g.kw && (g.kh === 3 || g.kh === 5) && g.C % 4 === 0;

/** x padded as the kernel reads it (x itself when no padding is needed); `release` frees the copy. */
export function paddedInput(simd: Simd, x: TensorInfo, g: DepthwiseGeometry): { at: number; Hp: number; Wp: number; release(): void } {
  const bottom = Math.max(0, (g.Ho - 1) * g.sh + (g.kh - 1) * g.dh - g.top - (g.H - 1));
  const right = Math.max(0, (g.Wo - 1) * g.sw + (g.kw - 1) * g.dw - g.left - (g.W - 1));
  const Hp = g.H + g.top + bottom;
  const Wp = g.W + g.left + right;
  if (Hp === g.H && Wp === g.W) return { at: simd.at(x), Hp, Wp, release() {} };
  const at = simd.alloc(g.B * Hp * Wp * g.C);
  simd.k.pad_copy(simd.at(x), at, g.B, g.H, g.W, g.C, g.top, g.left, Hp, Wp);
  return { at, Hp, Wp, release: () => simd.free(at) };
}
