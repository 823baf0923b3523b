// Conv2DBackpropFilter for the wasm backend, which ships without it. The patches are gathered
// (im2col) straight into [K, M] layout, K = kh*kw*Ci taps, M = output pixels, so the backend's own
// XNNPACK matmul runs untransposed: its transposed-operand path is about 10x slower.
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asWasm, requireFloat32 } from './wasm-heap.ts';

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
    x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode);
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
        let k = 0;
        for (let fr = 0; fr < kh; fr++) {
          const xr = yo * sh - top + fr;
          for (let fc = 0; fc < kw; fc++) {
            const xc = xo * sw - left + fc;
            if (xr < 0 || xr >= H || xc < 0 || xc >= W) {
              for (let ci = 0; ci < Ci; ci++, k++) cv[k * M + row] = 0;
            } else {
              const xOff = ((b * H + xr) * W + xc) * Ci;
              for (let ci = 0; ci < Ci; ci++, k++) cv[k * M + row] = xv[xOff + ci];
            }
          }
        }
      }
    }
  }
  const matMul = tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc;
  const dy3 = { dataId: dy.dataId, shape: [1, M, Co], dtype: 'float32' } as TensorInfo;
  const out = matMul({
    inputs: { a: cols, b: dy3 }, backend, attrs: { transposeA: false, transposeB: false },
  }) as TensorInfo;
  wasm.disposeData(cols.dataId);
  return { dataId: out.dataId, shape: filterShape, dtype: 'float32' };
};

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter,
};
