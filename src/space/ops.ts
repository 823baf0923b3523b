// The EDNAS operation table (the spec's 7 operations, DARTS' definitions) plus the two cell-input
// preprocessing blocks. Operations are pure functions of an input and named weights, so the supernet
// can hand each sampled edge the weights it owns.
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Tensor1D, Tensor4D } from '@tensorflow/tfjs';
import {
  batchNorm,
  concatChannels,
  depthwise,
  avgPool3x3,
  maxPool3x3,
  pointwise,
  relu,
  subsample2,
  type BnMode,
} from './primitives.ts';

export const OP_NAMES = [
  'sep_conv_3x3',
  'sep_conv_5x5',
  'dil_conv_3x3',
  'dil_conv_5x5',
  'max_pool_3x3',
  'avg_pool_3x3',
  'skip_connect',
] as const;
export type OpName = (typeof OP_NAMES)[number];

export interface OpConfig {
  /** Channels in and out. */
  C: number;
  stride: 1 | 2;
  /** Affine batch norm (evaluation network) or plain (search network). */
  affine: boolean;
  /** Batch norm after pooling (the search network's convention). */
  poolBatchNorm: boolean;
  /** Batch norms with running statistics (the evaluation network's): training or evaluation mode. */
  bn?: BnMode;
}

export type Weights = Record<string, Tensor>;
export type Shapes = Record<string, number[]>;

export interface OpDefinition {
  weightShapes(cfg: OpConfig): Shapes;
  forward(x: Tensor4D, w: Weights, cfg: OpConfig): Tensor4D;
}

const bnShapes = (prefix: string, C: number, affine: boolean): Shapes =>
  affine ? { [`${prefix}.gamma`]: [C], [`${prefix}.beta`]: [C] } : {};
/** Batch norm `prefix`: with its running statistics when the weights hold them (and a mode is given). */
export const bn = (x: Tensor4D, w: Weights, prefix: string, mode?: BnMode): Tensor4D => {
  const mean = w[`${prefix}.running_mean`] as tf.Variable | undefined;
  const variance = w[`${prefix}.running_var`] as tf.Variable | undefined;
  const running = mode && mean && variance ? { mean, variance, ...mode } : undefined;
  return batchNorm(
    x,
    w[`${prefix}.gamma`] as Tensor1D | undefined,
    w[`${prefix}.beta`] as Tensor1D | undefined,
    running,
  );
};
const w4 = (w: Weights, name: string): Tensor4D => {
  const t = w[name];
  if (!t) throw new Error(`missing weight '${name}'`);
  return t as Tensor4D;
};

/** (ReLU, depthwise k x k, pointwise 1x1, BN) twice; the first carries the stride. */
function sepConv(k: number): OpDefinition {
  return {
    weightShapes: ({ C, affine }) => ({
      dw1: [k, k, C, 1],
      pw1: [1, 1, C, C],
      ...bnShapes('bn1', C, affine),
      dw2: [k, k, C, 1],
      pw2: [1, 1, C, C],
      ...bnShapes('bn2', C, affine),
    }),
    forward: (x, w, { stride, bn: mode }) =>
      tf.tidy(() => {
        const h = bn(pointwise(depthwise(relu(x), w4(w, 'dw1'), stride, 1), w4(w, 'pw1')), w, 'bn1', mode);
        return bn(pointwise(depthwise(relu(h), w4(w, 'dw2'), 1, 1), w4(w, 'pw2')), w, 'bn2', mode);
      }),
  };
}

/** ReLU, depthwise k x k with dilation 2, pointwise 1x1, BN. */
function dilConv(k: number): OpDefinition {
  return {
    weightShapes: ({ C, affine }) => ({ dw: [k, k, C, 1], pw: [1, 1, C, C], ...bnShapes('bn', C, affine) }),
    forward: (x, w, { stride, bn: mode }) =>
      tf.tidy(() => bn(pointwise(depthwise(relu(x), w4(w, 'dw'), stride, 2), w4(w, 'pw')), w, 'bn', mode)),
  };
}

/** 3x3 pooling, padding 1; average pooling excludes the padding (count_include_pad=False). */
function pool(kind: 'max' | 'avg'): OpDefinition {
  return {
    weightShapes: () => ({}),
    forward: (x, _w, { stride, poolBatchNorm }) =>
      tf.tidy(() => {
        const y = kind === 'max' ? maxPool3x3(x, stride) : avgPool3x3(x, stride);
        return poolBatchNorm ? batchNorm(y) : y;
      }),
  };
}

/** ReLU, two 1x1 stride-2 convolutions on pixel grids offset by one, concatenated, BN. */
export const factorizedReduce = {
  weightShapes: (Cin: number, Cout: number, affine: boolean): Shapes => {
    if (Cout % 2) throw new Error(`FactorizedReduce needs an even channel count, got ${Cout}`);
    return { conv1: [1, 1, Cin, Cout / 2], conv2: [1, 1, Cin, Cout / 2], ...bnShapes('bn', Cout, affine) };
  },
  forward: (x: Tensor4D, w: Weights, mode?: BnMode): Tensor4D =>
    tf.tidy(() => {
      // A stride-2 1x1 convolution reads every second pixel: a subsample, then a matmul. The second path
      // starts at pixel (1, 1); zeros past the edge keep odd sizes aligned with the first.
      const r = relu(x);
      const a = pointwise(subsample2(r, 0), w4(w, 'conv1'));
      const b = pointwise(subsample2(r, 1), w4(w, 'conv2'));
      return bn(concatChannels([a, b]), w, 'bn', mode);
    }),
};

/** ReLU, 1x1 convolution, BN: brings a cell input to the cell's channel count. */
export const reluConvBN = {
  weightShapes: (Cin: number, Cout: number, affine: boolean): Shapes => ({
    conv: [1, 1, Cin, Cout],
    ...bnShapes('bn', Cout, affine),
  }),
  forward: (x: Tensor4D, w: Weights, mode?: BnMode): Tensor4D =>
    tf.tidy(() => bn(pointwise(relu(x), w4(w, 'conv')), w, 'bn', mode)),
};

const skipConnect: OpDefinition = {
  weightShapes: ({ C, stride, affine }) => (stride === 1 ? {} : factorizedReduce.weightShapes(C, C, affine)),
  forward: (x, w, { stride, bn: mode }) => (stride === 1 ? x : factorizedReduce.forward(x, w, mode)),
};

export const OPS: Record<OpName, OpDefinition> = {
  sep_conv_3x3: sepConv(3),
  sep_conv_5x5: sepConv(5),
  dil_conv_3x3: dilConv(3),
  dil_conv_5x5: dilConv(5),
  max_pool_3x3: pool('max'),
  avg_pool_3x3: pool('avg'),
  skip_connect: skipConnect,
};

export function isOpName(name: string): name is OpName {
  return (OP_NAMES as readonly string[]).includes(name);
}
