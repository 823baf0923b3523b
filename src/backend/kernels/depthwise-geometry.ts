// Geometry shared by the depthwise kernels: tfjs' own conv info, dilations included; and the opening the
// two depthwise gradient kernels share.
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asWasm, requireFloat32, type WasmBackendLike } from './wasm-heap.ts';

export interface DepthwiseAttrs {
  strides: number | [number, number];
  dilations?: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export interface DepthwiseGeometry {
  B: number;
  H: number;
  W: number;
  C: number;
  M: number;
  Ho: number;
  Wo: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  dh: number;
  dw: number;
  top: number;
  left: number;
}

export function depthwiseGeometry(xShape: number[], filterShape: number[], a: DepthwiseAttrs): DepthwiseGeometry {
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    a.strides,
    a.dilations ?? 1,
    a.pad,
    a.dimRoundingMode,
    true,
  );
  return {
    B: info.batchSize,
    H: info.inHeight,
    W: info.inWidth,
    C: info.inChannels,
    M: info.outChannels / info.inChannels,
    Ho: info.outHeight,
    Wo: info.outWidth,
    kh: info.filterHeight,
    kw: info.filterWidth,
    sh: info.strideHeight,
    sw: info.strideWidth,
    dh: info.dilationHeight,
    dw: info.dilationWidth,
    top: info.padInfo.top,
    left: info.padInfo.left,
  };
}

type Shape4 = [number, number, number, number];

/** What a depthwise gradient kernel computes from: the shape it writes is the filter's or x's. */
export interface DepthwiseGradientArgs {
  inputs: Record<string, TensorInfo>;
  backend: unknown;
  wasm: WasmBackendLike;
  g: DepthwiseGeometry;
  shape: Shape4;
}

/**
 * A depthwise gradient kernel on wasm (float32 inputs only). tfjs passes the shape of the side it computes
 * as an attribute; the other side's shape is its input's (x for the filter gradient, the filter for x's).
 */
export function depthwiseGradientKernel(
  kernelName: 'DepthwiseConv2dNativeBackpropFilter' | 'DepthwiseConv2dNativeBackpropInput',
  compute: (k: DepthwiseGradientArgs) => TensorInfo,
): KernelConfig {
  const ofFilter = kernelName === 'DepthwiseConv2dNativeBackpropFilter';
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const t = inputs as Record<string, TensorInfo>;
    const a = attrs as unknown as DepthwiseAttrs & { filterShape: Shape4; inputShape: Shape4 };
    requireFloat32(kernelName, ...Object.values(t));
    const shape = ofFilter ? a.filterShape : a.inputShape;
    const g = ofFilter ? depthwiseGeometry(t.x.shape, shape, a) : depthwiseGeometry(shape, t.filter.shape, a);
    return compute({ inputs: t, backend, wasm: asWasm(backend), g, shape });
  };
  return { kernelName, backendName: 'wasm', kernelFunc };
}
