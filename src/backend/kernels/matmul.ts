// Matrix products on wasm: X [M, K] W [K, N] with W small enough to stay in cache (a 1x1 convolution
// over pixels, forward and, with W transposed, its input gradient; PTB's recurrent matrices), and A^T B
// for A [M, Ci], B [M, Co] (the weight gradient) without forming the transpose (tfjs would transpose the
// large A first, then multiply).
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asWasm, requireFloat32 } from './wasm-heap.ts';
import { simdFor } from '../simd/simd.ts';
import { fastKernel } from './fast.ts';

export const MATMUL_AT_B = 'EdnasMatMulAtB';
export const MATMUL_SMALL = 'EdnasMatMulSmall';
/**
 * The most values of W that MATMUL_SMALL takes (8 MB): every block of rows reads all of W, so W must stay
 * in cache. Up to there it beats XNNPACK (1x1 convolutions, PTB's 850 x 1700 recurrent matrix: 45-52
 * against 37-40 GFLOP/s here); PTB's 850 x 10000 decoder is faster in XNNPACK (36 against 21).
 */
export const MATMUL_SMALL_MAX_W = 1 << 21;

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

export const matMulAtBConfig = fastKernel(MATMUL_AT_B, matMulAtB);
export const matMulSmallConfig = fastKernel(MATMUL_SMALL, matMulSmall);
