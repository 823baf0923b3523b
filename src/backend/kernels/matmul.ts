// Matrix products of a 1x1 convolution over pixels, on wasm: X [M, K] W [K, N] with W small (its forward
// pass and, with W transposed, its input gradient), and A^T B for A [M, Ci], B [M, Co] (its weight
// gradient) without forming the transpose (tfjs would transpose the large A first, then multiply).
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asWasm, requireFloat32 } from './wasm-heap.ts';
import { simdFor } from '../simd/simd.ts';

export const MATMUL_AT_B = 'EdnasMatMulAtB';
export const MATMUL_SMALL = 'EdnasMatMulSmall';
/** The most values of W that MATMUL_SMALL takes: W stays in the core's cache while all rows pass. */
export const MATMUL_SMALL_MAX_W = 128 * 128;

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

const matMulSmall: KernelFunc = ({ inputs, backend }) => {
  const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
  requireFloat32(MATMUL_SMALL, a, b);
  const [M, K] = a.shape;
  const N = b.shape[1];
  if (b.shape[0] !== K) throw new Error(`${MATMUL_SMALL}: inner sizes ${K} and ${b.shape[0]} differ`);
  const simd = simdFor(backend);
  const out = asWasm(backend).makeOutput([M, N], 'float32');
  simd.k.matmul_a_b(simd.at(a), simd.at(b), simd.at(out), M, K, N);
  return out;
};

export const matMulAtBConfig: KernelConfig = { kernelName: MATMUL_AT_B, backendName: 'wasm', kernelFunc: matMulAtB };
export const matMulSmallConfig: KernelConfig = { kernelName: MATMUL_SMALL, backendName: 'wasm', kernelFunc: matMulSmall };
