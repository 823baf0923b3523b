// Gradient of 3x3 max pooling (padding 1) for the wasm backend. tfjs 4.22's own wasm MaxPoolGrad starts
// its running maximum at 0 (wrong for windows of negative values) and takes ~13 ms a call here; this one
// routes each output's gradient to the first maximum of its window in row-major order, as PyTorch does.
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asWasm, requireFloat32 } from './wasm-heap.ts';
import { simdFor } from '../simd/simd.ts';
import { fastKernel } from './fast.ts';

export const MAX_POOL_3X3_GRAD = 'EdnasMaxPool3x3Grad';

const maxPool3x3Grad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const stride = (attrs as { stride: number }).stride;
  requireFloat32(MAX_POOL_3X3_GRAD, x, dy);
  const simd = simdFor(backend);
  const [B, H, W, C] = x.shape;
  const [, Ho, Wo] = dy.shape;
  const dx = asWasm(backend).makeOutput(x.shape, 'float32');
  simd.k.max_pool3_grad(simd.at(x), simd.at(dy), simd.at(dx), B, H, W, C, Ho, Wo, stride);
  return dx;
};

export const maxPool3x3GradConfig = fastKernel(MAX_POOL_3X3_GRAD, maxPool3x3Grad);
