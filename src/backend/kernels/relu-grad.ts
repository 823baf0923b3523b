// The ReLU gradient in one pass on wasm (tfjs runs Step, then Multiply, with an intermediate tensor).
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asWasm, requireFloat32 } from './wasm-heap.ts';
import { simdFor } from '../simd/simd.ts';
import { fastKernel } from './fast.ts';

export const RELU_GRAD = 'EdnasReluGrad';

const reluGrad: KernelFunc = ({ inputs, backend }) => {
  const { y, dy } = inputs as { y: TensorInfo; dy: TensorInfo };
  requireFloat32(RELU_GRAD, y, dy);
  const simd = simdFor(backend);
  const dx = asWasm(backend).makeOutput(y.shape, 'float32');
  simd.k.relu_grad(
    simd.at(y),
    simd.at(dy),
    simd.at(dx),
    y.shape.reduce((a, b) => a * b, 1),
  );
  return dx;
};

export const reluGradConfig = fastKernel(RELU_GRAD, reluGrad);
