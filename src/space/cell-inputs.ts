// A cell's two input nodes: the outputs of the cells two back and one back, each brought to the cell's
// channel count (ReLU-Conv1x1-BN; FactorizedReduce for the first when the previous cell halved the size).
// The same in the supernet and the evaluation networks.
import type { Tensor4D } from '@tensorflow/tfjs';
import { factorizedReduce, reluConvBN, type Shapes, type Weights } from './ops.ts';
import type { CellPlan } from './plan.ts';
import type { BnMode } from './primitives.ts';

/** Weight shapes of the two preprocessing blocks, under `pre0.` and `pre1.`. */
export function cellInputShapes(cell: CellPlan, affine: boolean): Shapes {
  const pre0 = cell.reductionPrev
    ? factorizedReduce.weightShapes(cell.Cpp, cell.C, affine)
    : reluConvBN.weightShapes(cell.Cpp, cell.C, affine);
  const pre1 = reluConvBN.weightShapes(cell.Cp, cell.C, affine);
  return {
    ...Object.fromEntries(Object.entries(pre0).map(([k, s]) => [`pre0.${k}`, s])),
    ...Object.fromEntries(Object.entries(pre1).map(([k, s]) => [`pre1.${k}`, s])),
  };
}

/** Nodes 0 and 1 of the cell; `weights(block)` gives the weights of block pre0 or pre1. */
export function cellInputs(
  cell: CellPlan,
  s0: Tensor4D,
  s1: Tensor4D,
  weights: (block: 'pre0' | 'pre1') => Weights,
  mode?: BnMode,
): [Tensor4D, Tensor4D] {
  return [
    cell.reductionPrev
      ? factorizedReduce.forward(s0, weights('pre0'), mode)
      : reluConvBN.forward(s0, weights('pre0'), mode),
    reluConvBN.forward(s1, weights('pre1'), mode),
  ];
}
