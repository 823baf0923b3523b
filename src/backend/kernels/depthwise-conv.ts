// DepthwiseConv2dNative on wasm with channel multiplier 1 (every EDNAS operation) by our SIMD kernels:
// 3x3 and 5x5 filters on channels in fours (dw_conv_padded) take 0.4-0.6 of the backend's XNNPACK time,
// other sizes the general dw_conv; anything else goes to the backend's own kernel. The depthwise input
// gradient (depthwise-backprop-input.ts) runs through it too.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asWasm } from './wasm-heap.ts';
import { depthwiseGeometry, type DepthwiseAttrs } from './depthwise-geometry.ts';
import { paddedInput, paddedKernelFits } from './depthwise-padded.ts';
import { simdFor } from '../simd/simd.ts';

export function depthwiseConvConfig(original: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const a = args.attrs as unknown as DepthwiseAttrs & { dataFormat?: string };
    if (x.dtype !== 'float32' || filter.dtype !== 'float32' || filter.shape[3] !== 1 || a.dataFormat === 'NCHW') return original.kernelFunc(args);
    const g = depthwiseGeometry(x.shape, filter.shape, a);
    const { B, H, W, C, Ho, Wo, kh, kw, sh, sw, dh, dw, top, left } = g;
    const simd = simdFor(args.backend);
    const out = asWasm(args.backend).makeOutput([B, Ho, Wo, C], 'float32');
    if (paddedKernelFits(g)) {
      const xp = paddedInput(simd, x, g);
      simd.k.dw_conv_padded(xp.at, simd.at(filter), simd.at(out), B, xp.Hp, xp.Wp, C, Ho, Wo, kh, sh, sw, dh, dw);
      xp.release();
    } else {
      simd.k.dw_conv(simd.at(x), simd.at(filter), simd.at(out), B, H, W, C, Ho, Wo, kh, kw, sh, sw, dh, dw, top, left);
    }
    return out;
  };
  // The backend's own kernel is set up (bound to its wasm function) when the backend starts.
  return { kernelName: 'DepthwiseConv2dNative', backendName: 'wasm', kernelFunc, setupFunc: original.setupFunc };
}
