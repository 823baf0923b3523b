// DepthwiseConv2dNativeBackpropFilter for the wasm backend (missing in tfjs 4.22), dilations included.
// dW[r,s,c,m] = sum over batch and output pixels of x[.., yo*sh - top + r*dh, xo*sw - left + s*dw, c] * dy[.., c*M+m].
// With channel multiplier 1 (every EDNAS operation) a SIMD kernel does the work in place; otherwise loops
// run straight over the heap (no copies); each (tap, channel) sum runs over a whole output row
// in a register, with the valid column range computed once instead of tested per pixel.
import type { TensorInfo } from '@tensorflow/tfjs';
import { depthwiseGradientKernel, type DepthwiseGradientArgs } from './depthwise-geometry.ts';
import { depthwiseSimd } from './depthwise-simd.ts';
import { simdFor, simdSupported } from '../simd/simd.ts';

function filterGradient({ inputs: { x, dy }, backend, wasm, g, shape }: DepthwiseGradientArgs): TensorInfo {
  const { B, H, W, C, M, Ho, Wo, kh, kw, sh, sw, dh, dw, top, left } = g;
  const CM = C * M;
  const out = wasm.makeOutput(shape, 'float32');
  if (M === 1 && simdSupported()) {
    depthwiseSimd(simdFor(backend), 'filterGrad', x, dy, out, g);
    return out;
  }
  const acc = new Float64Array(kh * kw * CM);
  const xv = wasm.typedArrayFromHeap(x);
  const dyv = wasm.typedArrayFromHeap(dy);
  const xStep = sw * C;
  for (let s = 0; s < kw; s++) {
    // Output columns whose input column xo*sw - left + s*dw falls inside the image.
    const shift = s * dw - left;
    const xo0 = Math.max(0, Math.ceil(-shift / sw));
    const xo1 = Math.min(Wo, Math.floor((W - 1 - shift) / sw) + 1);
    if (xo1 <= xo0) continue;
    for (let r = 0; r < kh; r++) {
      const aRow = (r * kw + s) * CM;
      for (let b = 0; b < B; b++) {
        for (let yo = 0; yo < Ho; yo++) {
          const xr = yo * sh - top + r * dh;
          if (xr < 0 || xr >= H) continue;
          const xBase = ((b * H + xr) * W + xo0 * sw + shift) * C;
          const dyBase = ((b * Ho + yo) * Wo + xo0) * CM;
          for (let c = 0; c < C; c++) {
            for (let m = 0; m < M; m++) {
              let sum = 0;
              let xi = xBase + c;
              let di = dyBase + c * M + m;
              for (let xo = xo0; xo < xo1; xo++, xi += xStep, di += CM) sum += xv[xi] * dyv[di];
              acc[aRow + c * M + m] += sum;
            }
          }
        }
      }
    }
  }
  wasm.typedArrayFromHeap(out).set(acc);
  return out;
}

export const depthwiseBackpropFilterConfig = depthwiseGradientKernel(
  'DepthwiseConv2dNativeBackpropFilter',
  filterGradient,
);
