// A^T B for A [M, Ci] and B [M, Co] without forming the transpose: the weight gradient of a 1x1 convolution
// (tfjs on wasm would transpose the large A first, then multiply).
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asWasm, requireFloat32 } from './wasm-heap.ts';
import { simdFor } from '../simd/simd.ts';

export const MATMUL_AT_B = 'EdnasMatMulAtB';

const matMulAtB: KernelFunc = ({ inputs, backend }) => {
  const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
  requireFloat32(MATMUL_AT_B, a, b);
  const simd = simdFor(backend);
  const [M, Ci] = a.shape;
  const Co = b.shape[1];
  const out = asWasm(backend).makeOutput([Ci, Co], 'float32');
  simd.k.matmul_at_b(simd.at(a), simd.at(b), simd.at(out), M, Ci, Co);
  return out;
};

export const matMulAtBConfig: KernelConfig = { kernelName: MATMUL_AT_B, backendName: 'wasm', kernelFunc: matMulAtB };
