// DepthwiseConv2dNative on wasm with channel multiplier 1 (every EDNAS operation) by our SIMD kernel,
// about twice as fast as the backend's XNNPACK one for 3x3 filters; anything else goes to the backend's
// own kernel. The depthwise input gradient (depthwise-backprop-input.ts) runs through it too.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asWasm } from './wasm-heap.ts';
import { depthwiseGeometry, type DepthwiseAttrs } from './depthwise-geometry.ts';
import { simdFor } from '../simd/simd.ts';

export function depthwiseConvConfig(original: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const a = args.attrs as unknown as DepthwiseAttrs & { dataFormat?: string };
    if (x.dtype !== 'float32' || filter.dtype !== 'float32' || filter.shape[3] !== 1 || a.dataFormat === 'NCHW') return original.kernelFunc(args);
    const { B, H, W, C, Ho, Wo, kh, kw, sh, sw, dh, dw, top, left } = depthwiseGeometry(x.shape, filter.shape, a);
    const simd = simdFor(args.backend);
    const out = asWasm(args.backend).makeOutput([B, Ho, Wo, C], 'float32');
    simd.k.dw_conv(simd.at(x), simd.at(filter), simd.at(out), B, H, W, C, Ho, Wo, kh, kw, sh, sw, dh, dw, top, left);
    return out;
  };
  // The backend's own kernel is set up (bound to its wasm function) when the backend starts.
  return { kernelName: 'DepthwiseConv2dNative', backendName: 'wasm', kernelFunc, setupFunc: original.setupFunc };
}
