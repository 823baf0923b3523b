// DepthwiseConv2dNativeBackpropInput for the wasm backend (missing in tfjs 4.22), dilations included.
// The input gradient of a correlation is a correlation of dy (zeros inserted between its pixels when the
// stride is 2) with the filter flipped in space; for channel multiplier 1 that runs on the backend's own
// XNNPACK depthwise kernel. Other multipliers use a direct scatter loop.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackendLike } from './wasm-heap.ts';
import { depthwiseGradientKernel, type DepthwiseGeometry } from './depthwise-geometry.ts';

function flippedFilter(wasm: WasmBackendLike, filter: TensorInfo, g: DepthwiseGeometry): TensorInfo {
  const out = wasm.makeOutput([g.kh, g.kw, g.C, 1], 'float32');
  const src = wasm.typedArrayFromHeap(filter);
  const dst = wasm.typedArrayFromHeap(out);
  for (let r = 0; r < g.kh; r++) {
    for (let s = 0; s < g.kw; s++) {
      const from = (r * g.kw + s) * g.C;
      dst.set(src.subarray(from, from + g.C), ((g.kh - 1 - r) * g.kw + (g.kw - 1 - s)) * g.C);
    }
  }
  return out;
}

/** dy with (stride - 1) zeros between pixels, so the transposed correlation can run at stride 1. */
function strideUpsampled(wasm: WasmBackendLike, dy: TensorInfo, g: DepthwiseGeometry): TensorInfo {
  const Hu = (g.Ho - 1) * g.sh + 1;
  const Wu = (g.Wo - 1) * g.sw + 1;
  const out = wasm.makeOutput([g.B, Hu, Wu, g.C], 'float32');
  const src = wasm.typedArrayFromHeap(dy);
  const dst = wasm.typedArrayFromHeap(out);
  dst.fill(0);
  for (let b = 0; b < g.B; b++) {
    for (let yo = 0; yo < g.Ho; yo++) {
      for (let xo = 0; xo < g.Wo; xo++) {
        const from = ((b * g.Ho + yo) * g.Wo + xo) * g.C;
        dst.set(src.subarray(from, from + g.C), ((b * Hu + yo * g.sh) * Wu + xo * g.sw) * g.C);
      }
    }
  }
  return out;
}

function viaForwardConv(
  wasm: WasmBackendLike,
  backend: unknown,
  dy: TensorInfo,
  filter: TensorInfo,
  g: DepthwiseGeometry,
): TensorInfo {
  const strided = g.sh > 1 || g.sw > 1;
  const u = strided ? strideUpsampled(wasm, dy, g) : dy;
  const flipped = flippedFilter(wasm, filter, g);
  const eh = g.dh * (g.kh - 1) + 1;
  const ew = g.dw * (g.kw - 1) + 1;
  const pad: tf.backend_util.ExplicitPadding = [
    [0, 0],
    [eh - 1 - g.top, g.H + g.top - (g.Ho - 1) * g.sh - 1],
    [ew - 1 - g.left, g.W + g.left - (g.Wo - 1) * g.sw - 1],
    [0, 0],
  ];
  const conv = tf.getKernel('DepthwiseConv2dNative', 'wasm')!.kernelFunc;
  const out = conv({
    inputs: { x: u, filter: flipped },
    backend: backend as tf.KernelBackend,
    attrs: { strides: 1, pad, dilations: [g.dh, g.dw], dataFormat: 'NHWC' },
  }) as TensorInfo;
  wasm.disposeData(flipped.dataId);
  if (strided) wasm.disposeData(u.dataId);
  return out;
}

function viaScatter(
  wasm: WasmBackendLike,
  dy: TensorInfo,
  filter: TensorInfo,
  g: DepthwiseGeometry,
  inputShape: number[],
): TensorInfo {
  const { B, H, W, C, M, Ho, Wo, kh, kw, sh, sw, dh, dw, top, left } = g;
  const CM = C * M;
  const out = wasm.makeOutput(inputShape, 'float32');
  const dx = wasm.typedArrayFromHeap(out);
  const dyv = wasm.typedArrayFromHeap(dy);
  const wv = wasm.typedArrayFromHeap(filter);
  dx.fill(0);
  for (let b = 0; b < B; b++) {
    for (let yo = 0; yo < Ho; yo++) {
      for (let r = 0; r < kh; r++) {
        const xr = yo * sh - top + r * dh;
        if (xr < 0 || xr >= H) continue;
        for (let xo = 0; xo < Wo; xo++) {
          const dyOff = ((b * Ho + yo) * Wo + xo) * CM;
          for (let s = 0; s < kw; s++) {
            const xc = xo * sw - left + s * dw;
            if (xc < 0 || xc >= W) continue;
            const dxOff = ((b * H + xr) * W + xc) * C;
            const wOff = (r * kw + s) * CM;
            for (let c = 0; c < C; c++) {
              let sum = 0;
              for (let m = 0; m < M; m++) sum += dyv[dyOff + c * M + m] * wv[wOff + c * M + m];
              dx[dxOff + c] += sum;
            }
          }
        }
      }
    }
  }
  return out;
}

export const depthwiseBackpropInputConfig = depthwiseGradientKernel(
  'DepthwiseConv2dNativeBackpropInput',
  ({ inputs: { dy, filter }, backend, wasm, g, shape }) => {
    const eh = g.dh * (g.kh - 1) + 1;
    const ew = g.dw * (g.kw - 1) + 1;
    const padsFit = g.top <= eh - 1 && g.left <= ew - 1;
    return g.M === 1 && padsFit ? viaForwardConv(wasm, backend, dy, filter, g) : viaScatter(wasm, dy, filter, g, shape);
  },
);
