// The operations that have a fast kernel on some device, one a file under ops/ with their fallback and
// gradient: what space/, train/ and the tasks build on. Adding a kernel: see README.md.
export { avgPool3x3 } from './ops/avg-pool.ts';
export { batchNorm, BN_EPSILON, type BnMode, type RunningStats } from './ops/batch-norm.ts';
export { concatChannels } from './ops/concat-channels.ts';
export { linear } from './ops/linear.ts';
export { maxPool3x3 } from './ops/max-pool.ts';
export { relu } from './ops/relu.ts';
export { fusedSgdUpdate, hasFusedSgd, sumSquares, type SgdHyper } from './ops/sgd-update.ts';
export { sparseCrossEntropy } from './ops/sparse-cross-entropy.ts';
export { subsample2 } from './ops/subsample.ts';
