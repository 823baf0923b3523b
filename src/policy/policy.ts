// The policy vectors of EDNAS: plain logits, all zero at the start (uniform). Structure vectors choose the
// inputs of each node, operation vectors the operation of each edge, for normal and reduction cells.
import { STEPS, type CellType } from '../space/genotype.ts';
import { probabilities } from './categorical.ts';
import { operationSlice, POLICY_SIZE, structureSlice } from './layout.ts';

export interface CellProbabilities {
  /** structure[i][j]: probability that operation node i+2 takes node j as its first input. */
  structure: number[][];
  /** operation[i][j][k]: probability of operation k on edge (node i+2, input j). */
  operation: number[][][];
}

export type PolicyProbabilities = Record<CellType, CellProbabilities>;

export class Policy {
  readonly logits: Float64Array;

  constructor(logits?: ArrayLike<number>) {
    if (logits && logits.length !== POLICY_SIZE) throw new Error(`a policy has ${POLICY_SIZE} logits, got ${logits.length}`);
    this.logits = logits ? Float64Array.from(logits) : new Float64Array(POLICY_SIZE);
  }

  structureProbabilities(type: CellType, i: number): Float64Array {
    const s = structureSlice(type, i);
    return probabilities(this.logits, s.offset, s.size);
  }

  operationProbabilities(type: CellType, i: number, j: number): Float64Array {
    const s = operationSlice(type, i, j);
    return probabilities(this.logits, s.offset, s.size);
  }

  /** Every probability vector, for records and plots. */
  probabilities(): PolicyProbabilities {
    const cell = (type: CellType): CellProbabilities => {
      const nodes = [...Array(STEPS).keys()];
      return {
        structure: nodes.map((i) => [...this.structureProbabilities(type, i)]),
        operation: nodes.map((i) => [...Array(2 + i).keys()].map((j) => [...this.operationProbabilities(type, i, j)])),
      };
    };
    return { normal: cell('normal'), reduce: cell('reduce') };
  }
}
