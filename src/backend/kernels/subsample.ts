// Every second pixel from an offset of 0 or 1 (x[:, o::2, o::2, :], zero past the edge) and its gradient,
// for the wasm backend: the stride-2 1x1 convolutions of FactorizedReduce become a subsample and a matmul
// (tfjs' wasm Conv2DBackpropInput takes ~7 ms for one of them here), and strided dilated convolutions
// read the even pixels.
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asWasm, requireFloat32 } from './wasm-heap.ts';
import { simdFor } from '../simd/simd.ts';
import { fastKernel } from './fast.ts';

export const SUBSAMPLE2 = 'EdnasSubsample2';
export const SUBSAMPLE2_GRAD = 'EdnasSubsample2Grad';

const subsample: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x } = inputs as { x: TensorInfo };
  const offset = (attrs as { offset: number }).offset;
  requireFloat32(SUBSAMPLE2, x);
  const simd = simdFor(backend);
  const [B, H, W, C] = x.shape;
  const y = asWasm(backend).makeOutput([B, Math.ceil(H / 2), Math.ceil(W / 2), C], 'float32');
  simd.k.subsample2(simd.at(x), simd.at(y), B, H, W, C, offset, offset);
  return y;
};

const subsampleGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy } = inputs as { dy: TensorInfo };
  const { offset, inputShape } = attrs as unknown as { offset: number; inputShape: number[] };
  requireFloat32(SUBSAMPLE2_GRAD, dy);
  const simd = simdFor(backend);
  const [B, H, W, C] = inputShape;
  const dx = asWasm(backend).makeOutput(inputShape, 'float32');
  simd.k.subsample2_grad(simd.at(dy), simd.at(dx), B, H, W, C, offset, offset);
  return dx;
};

export const subsample2Config = fastKernel(SUBSAMPLE2, subsample);
export const subsample2GradConfig = fastKernel(SUBSAMPLE2_GRAD, subsampleGrad);
