// The stems that bring images to the first cell, in DARTS' two layouts, shared by the search network and
// the evaluation networks: CIFAR (one 3x3 convolution to stemMultiplier x C channels, BN) and ImageNet
// (two stride-2 stages then a third, for 224 px inputs: the first cell's input 0 then needs a
// FactorizedReduce, its inputs being of two sizes).
import * as tf from '@tensorflow/tfjs';
import type { Tensor4D } from '@tensorflow/tfjs';
import { bn, type Shapes, type Weights } from '../space/ops.ts';
import { relu, symmetricPad, type BnMode } from '../space/primitives.ts';
import { planCells, type CellPlan } from '../space/plan.ts';

const bnShapes = (name: string, C: number): Shapes => ({ [`${name}.gamma`]: [C], [`${name}.beta`]: [C] });

/** The stem's weights, and its output channels. */
export function stemShapes(C: number, imagenet: boolean, stemMultiplier: number): { shapes: Shapes; channels: number } {
  if (!imagenet)
    return {
      shapes: { 'stem.conv': [3, 3, 3, stemMultiplier * C], ...bnShapes('stem.bn', stemMultiplier * C) },
      channels: stemMultiplier * C,
    };
  return {
    shapes: {
      'stem0.conv1': [3, 3, 3, C / 2],
      ...bnShapes('stem0.bn1', C / 2),
      'stem0.conv2': [3, 3, C / 2, C],
      ...bnShapes('stem0.bn2', C),
      'stem1.conv': [3, 3, C, C],
      ...bnShapes('stem1.bn', C),
    },
    channels: C,
  };
}

/** The cells after the stem (the ImageNet stem halves before the first cell reads its input 0). */
export const cellsAfterStem = (C: number, layers: number, stemChannels: number, imagenet: boolean): CellPlan[] =>
  planCells(C, layers, stemChannels).map((cell, i) => (imagenet && i === 0 ? { ...cell, reductionPrev: true } : cell));

/** Inputs 0 and 1 of the first cell; `w` holds the stem's weights by full name. */
export function stem(x: Tensor4D, w: Weights, imagenet: boolean, mode?: BnMode): [Tensor4D, Tensor4D] {
  const conv = (t: Tensor4D, name: string, stride: number) =>
    tf.conv2d(t, w[name] as Tensor4D, stride, stride === 1 ? 'same' : symmetricPad(1));
  if (!imagenet) {
    const s = bn(conv(x, 'stem.conv', 1), w, 'stem.bn', mode);
    return [s, s];
  }
  const h = relu(bn(conv(x, 'stem0.conv1', 2), w, 'stem0.bn1', mode));
  const s0 = bn(conv(h, 'stem0.conv2', 2), w, 'stem0.bn2', mode);
  return [s0, bn(conv(relu(s0), 'stem1.conv', 2), w, 'stem1.bn', mode)];
}
