// Batch normalisation with batch statistics over a [M, C] matrix for the wasm backend, forward and
// backward, as SIMD passes over the heap (with tfjs ops each way takes ~10 kernels, several of them
// per-channel reductions that are slow on wasm).
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asWasm, requireFloat32 } from './wasm-heap.ts';
import { simdFor } from '../simd/simd.ts';
import { fastKernel } from './fast.ts';

export const BATCH_NORM = 'EdnasBatchNorm';
export const BATCH_NORM_GRAD = 'EdnasBatchNormGrad';
export const BATCH_MOMENTS = 'EdnasBatchMoments';
export const CHANNEL_SUMS = 'EdnasChannelSums';

/** x [M, C] -> xhat = (x - mean) * rstd [M, C] and rstd [C]. */
const batchNorm: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x } = inputs as { x: TensorInfo };
  const eps = (attrs as { epsilon: number }).epsilon;
  requireFloat32(BATCH_NORM, x);
  const wasm = asWasm(backend);
  const simd = simdFor(backend);
  const [M, C] = x.shape;
  const xhat = wasm.makeOutput([M, C], 'float32');
  const rstd = wasm.makeOutput([C], 'float32');
  const stats = simd.alloc(2 * C);
  simd.k.bn_stats(simd.at(x), M, C, stats, stats + 4 * C);
  const variance = simd.view(stats + 4 * C, C);
  const r = simd.view(simd.at(rstd), C);
  for (let c = 0; c < C; c++) r[c] = 1 / Math.sqrt(variance[c] + eps);
  simd.k.channel_affine(simd.at(x), M, C, stats, simd.at(rstd), simd.at(xhat));
  simd.free(stats);
  return [xhat, rstd];
};

/** x [M, C] -> per-channel mean [C] and (biased) variance [C]: one pass, for running statistics. */
const batchMoments: KernelFunc = ({ inputs, backend }) => {
  const { x } = inputs as { x: TensorInfo };
  requireFloat32(BATCH_MOMENTS, x);
  const wasm = asWasm(backend);
  const simd = simdFor(backend);
  const [M, C] = x.shape;
  const mean = wasm.makeOutput([C], 'float32');
  const variance = wasm.makeOutput([C], 'float32');
  simd.k.bn_stats(simd.at(x), M, C, simd.at(mean), simd.at(variance));
  return [mean, variance];
};

/** dx = rstd * (dy - mean(dy) - xhat * mean(dy * xhat)), means over the M rows. */
const batchNormGrad: KernelFunc = ({ inputs, backend }) => {
  const { dy, xhat, rstd } = inputs as { dy: TensorInfo; xhat: TensorInfo; rstd: TensorInfo };
  requireFloat32(BATCH_NORM_GRAD, dy, xhat, rstd);
  const wasm = asWasm(backend);
  const simd = simdFor(backend);
  const [M, C] = dy.shape;
  const dx = wasm.makeOutput([M, C], 'float32');
  const sums = simd.alloc(2 * C);
  simd.k.bn_grad_sums(simd.at(dy), simd.at(xhat), M, C, sums, sums + 4 * C);
  const s = simd.view(sums, 2 * C);
  for (let k = 0; k < 2 * C; k++) s[k] /= M;
  simd.k.bn_grad_apply(simd.at(dy), simd.at(xhat), M, C, simd.at(rstd), sums, sums + 4 * C, simd.at(dx));
  simd.free(sums);
  return dx;
};

/** dy, y [M, C] -> per-channel sums of dy * y and of dy [C]: an affine batch norm's gamma and beta gradients. */
const channelSums: KernelFunc = ({ inputs, backend }) => {
  const { dy, y } = inputs as { dy: TensorInfo; y: TensorInfo };
  requireFloat32(CHANNEL_SUMS, dy, y);
  const wasm = asWasm(backend);
  const simd = simdFor(backend);
  const C = dy.shape[1];
  const dyy = wasm.makeOutput([C], 'float32');
  const sdy = wasm.makeOutput([C], 'float32');
  simd.k.bn_grad_sums(simd.at(dy), simd.at(y), dy.shape[0], C, simd.at(sdy), simd.at(dyy));
  return [dyy, sdy];
};

export const batchNormConfig = fastKernel(BATCH_NORM, batchNorm);
export const batchNormGradConfig = fastKernel(BATCH_NORM_GRAD, batchNormGrad);
export const batchMomentsConfig = fastKernel(BATCH_MOMENTS, batchMoments);
export const channelSumsConfig = fastKernel(CHANNEL_SUMS, channelSums);
