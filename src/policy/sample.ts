// Decoupled sampling of a child architecture: for each cell type and node, structure sampling draws two
// distinct inputs (the second from the softmax over the remaining candidates), then operation sampling
// draws one operation for each picked edge.
import type { Rng } from '../random/rng.ts';
import { OP_NAMES } from '../space/ops.ts';
import { CELL_TYPES, STEPS, type Genotype, type Pair } from '../space/genotype.ts';
import { entropyOf, probabilities, type Draw } from './categorical.ts';
import { operationSlice, structureSlice } from './layout.ts';
import type { Policy } from './policy.ts';

export interface Child {
  genotype: Genotype;
  /** Every categorical draw made, in order (the data REINFORCE differentiates). */
  draws: Draw[];
  /** log p(architecture): sum over all draws. */
  logProb: number;
  /** Sum of the entropies of the distributions drawn from. */
  entropy: number;
}

export function sampleChild(policy: Policy, rng: Rng): Child {
  const draws: Draw[] = [];
  let logProb = 0;
  let entropy = 0;
  const draw = (offset: number, size: number, excluded?: number): number => {
    const p = probabilities(policy.logits, offset, size, excluded);
    const picked = rng.categorical(p);
    draws.push({ offset, size, picked, excluded });
    logProb += Math.log(p[picked]);
    entropy += entropyOf(p);
    return picked;
  };
  const cells = CELL_TYPES.map((type) => {
    const pairs: Pair[] = [];
    for (let i = 0; i < STEPS; i++) {
      const s = structureSlice(type, i);
      const first = draw(s.offset, s.size);
      const second = draw(s.offset, s.size, first);
      for (const j of [first, second]) {
        const o = operationSlice(type, i, j);
        pairs.push([OP_NAMES[draw(o.offset, o.size)], j]);
      }
    }
    return pairs;
  });
  return { genotype: { normal: cells[0], normal_concat: [2, 3, 4, 5], reduce: cells[1], reduce_concat: [2, 3, 4, 5] }, draws, logProb, entropy };
}
