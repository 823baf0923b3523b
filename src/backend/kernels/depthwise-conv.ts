// DepthwiseConv2dNative on wasm with channel multiplier 1 (every EDNAS operation) by our SIMD kernels
// (depthwise-simd.ts; 3x3 and 5x5 filters in 0.4-0.6 of the backend's XNNPACK time); anything else goes
// to the backend's own kernel. The depthwise input gradient (depthwise-backprop-input.ts) runs through
// it too.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asWasm } from './wasm-heap.ts';
import { depthwiseGeometry, type DepthwiseAttrs } from './depthwise-geometry.ts';
import { depthwiseSimd } from './depthwise-simd.ts';
import { simdFor } from '../simd/simd.ts';

export function depthwiseConvConfig(original: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const a = args.attrs as unknown as DepthwiseAttrs & { dataFormat?: string };
    if (x.dtype !== 'float32' || filter.dtype !== 'float32' || filter.shape[3] !== 1 || a.dataFormat === 'NCHW')
      return original.kernelFunc(args);
    const g = depthwiseGeometry(x.shape, filter.shape, a);
    const out = asWasm(args.backend).makeOutput([g.B, g.Ho, g.Wo, g.C], 'float32');
    depthwiseSimd(simdFor(args.backend), 'conv', x, filter, out, g);
    return out;
  };
  // The backend's own kernel is set up (bound to its wasm function) when the backend starts.
  return { kernelName: 'DepthwiseConv2dNative', backendName: 'wasm', kernelFunc, setupFunc: original.setupFunc };
}
