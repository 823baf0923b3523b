// Conv2DBackpropFilter for the wasm backend, which ships without it: the input's patches (im2col,
// K = kh*kw*Ci taps, M = output pixels) times dy. With SIMD, patches^T dy by our matmul_at_b; without,
// the patches in [K, M] layout so that the backend's XNNPACK matmul runs untransposed (its
// transposed-operand path is about 10x slower).
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asWasm, requireFloat32 } from './wasm-heap.ts';
import { simdFor, simdSupported } from '../simd/simd.ts';

interface Attrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

const conv2dBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Attrs;
  requireFloat32('Conv2DBackpropFilter', x, dy);
  if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter (wasm): only NHWC is supported');
  const wasm = asWasm(backend);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  if (simdSupported()) return patchesAtDy(backend, x, dy, info, filterShape);
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: Ci, outHeight: Ho, outWidth: Wo, outChannels: Co } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const M = B * Ho * Wo;
  const K = kh * kw * Ci;
  const cols = wasm.makeOutput([1, K, M], 'float32');
  const xv = wasm.typedArrayFromHeap(x);
  const cv = wasm.typedArrayFromHeap(cols);
  let row = 0;
  for (let b = 0; b < B; b++) {
    for (let yo = 0; yo < Ho; yo++) {
      for (let xo = 0; xo < Wo; xo++, row++) {
        for (let fr = 0, k = 0; fr < kh; fr++) {
          const xr = yo * sh - top + fr;
          for (let fc = 0; fc < kw; fc++, k += Ci) {
            const xc = xo * sw - left + fc;
            const inside = xr >= 0 && xr < H && xc >= 0 && xc < W;
            const xOff = ((b * H + xr) * W + xc) * Ci;
            for (let ci = 0; ci < Ci; ci++) cv[(k + ci) * M + row] = inside ? xv[xOff + ci] : 0;
          }
        }
      }
    }
  }
  const matMul = tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc;
  const dy3 = { dataId: dy.dataId, shape: [1, M, Co], dtype: 'float32' } as TensorInfo;
  const out = matMul({
    inputs: { a: cols, b: dy3 },
    backend,
    attrs: { transposeA: false, transposeB: false },
  }) as TensorInfo;
  wasm.disposeData(cols.dataId);
  return { dataId: out.dataId, shape: filterShape, dtype: 'float32' };
};

/**
 * With SIMD: the patches gathered row by row into [M, Kp] by our `patches` kernel (K padded with zeros to
 * a multiple of 4, so the register-blocked path of matmul_at_b runs), then patches^T dy [Kp, Co] in one
 * pass; the first K rows are the gradient. Writing [K, M] for XNNPACK instead scatters every value and
 * packs the large dy each call.
 */
function patchesAtDy(
  backend: unknown,
  x: TensorInfo,
  dy: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  filterShape: number[],
): TensorInfo {
  const wasm = asWasm(backend);
  const simd = simdFor(backend);
  const { inChannels: Ci, outChannels: Co } = info;
  const M = info.batchSize * info.outHeight * info.outWidth;
  const K = info.filterHeight * info.filterWidth * Ci;
  const Kp = Math.ceil(K / 4) * 4;
  const cols = simd.alloc(M * Kp);
  const grad = simd.alloc(Kp * Co);
  const out = wasm.makeOutput(filterShape, 'float32');
  const {
    batchSize: B,
    inHeight: H,
    inWidth: W,
    outHeight: Ho,
    outWidth: Wo,
    filterHeight: kh,
    filterWidth: kw,
  } = info;
  simd.k.patches(
    simd.at(x),
    cols,
    B,
    H,
    W,
    Ci,
    Ho,
    Wo,
    kh,
    kw,
    info.strideHeight,
    info.strideWidth,
    info.padInfo.top,
    info.padInfo.left,
    Kp,
  );
  simd.k.matmul_at_b(cols, simd.at(dy), grad, M, Kp, Co);
  wasm.typedArrayFromHeap(out).set(simd.view(grad, K * Co));
  simd.free(cols);
  simd.free(grad);
  return out;
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter,
};
