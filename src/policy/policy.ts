// The policy vectors of EDNAS: plain logits over a cell kind's layout, all zero at the start (uniform).
// Structure vectors choose the inputs of each node, operation vectors the operation (or activation) of
// each edge. `Policy` is the convolutional cells' (normal and reduce), `RnnPolicy` the recurrent cell's.
import type { CellType, Genotype } from '../space/genotype.ts';
import type { RnnGenotype } from '../space/rnn-genotype.ts';
import { probabilities } from './categorical.ts';
import type { CellProbabilities, PolicyLayout, Slice } from './layout.ts';
import { CNN_LAYOUT, operationSlice, structureSlice, type PolicyProbabilities } from './cnn-layout.ts';
import { RNN_LAYOUT, rnnOperationSlice, rnnStructureSlice, type RnnProbabilities } from './rnn-layout.ts';

export type { CellProbabilities } from './layout.ts';
export type { PolicyProbabilities } from './cnn-layout.ts';
export type { RnnProbabilities } from './rnn-layout.ts';

export class PolicyVectors<G, P> {
  readonly logits: Float64Array;

  constructor(
    readonly layout: PolicyLayout<G, P>,
    logits?: ArrayLike<number>,
  ) {
    if (logits && logits.length !== layout.size)
      throw new Error(`a ${layout.name} policy has ${layout.size} logits, got ${logits.length}`);
    this.logits = logits ? Float64Array.from(logits) : new Float64Array(layout.size);
  }

  /** The softmax of one vector. */
  at(s: Slice): Float64Array {
    return probabilities(this.logits, s.offset, s.size);
  }

  /** Every probability vector, for records and plots. */
  probabilities(): P {
    const groups: Record<string, CellProbabilities> = {};
    for (const g of this.layout.groups) groups[g] = { structure: [], operation: [] };
    for (const node of this.layout.nodes) {
      const cell = groups[node.group];
      cell.structure.push([...this.at(node.structure)]);
      cell.operation.push(Array.from({ length: node.structure.size }, (_, j) => [...this.at(node.operation(j))]));
    }
    return this.layout.shape(groups);
  }
}

/** The policy of the normal and reduction cells. */
export class Policy extends PolicyVectors<Genotype, PolicyProbabilities> {
  constructor(logits?: ArrayLike<number>) {
    super(CNN_LAYOUT, logits);
  }

  structureProbabilities(type: CellType, i: number): Float64Array {
    return this.at(structureSlice(type, i));
  }

  operationProbabilities(type: CellType, i: number, j: number): Float64Array {
    return this.at(operationSlice(type, i, j));
  }
}

/** The policy of the recurrent cell (nodes 1..8). */
export class RnnPolicy extends PolicyVectors<RnnGenotype, RnnProbabilities> {
  constructor(logits?: ArrayLike<number>) {
    super(RNN_LAYOUT, logits);
  }

  structureProbabilities(i: number): Float64Array {
    return this.at(rnnStructureSlice(i));
  }

  operationProbabilities(i: number, j: number): Float64Array {
    return this.at(rnnOperationSlice(i, j));
  }
}
