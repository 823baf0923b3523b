// The policy vectors of the recurrent cell, in one flat logit array: first the structure vector of each
// operation node i = 1..8 (i logits, one per earlier node), then an activation vector (4 logits) for each
// of the 36 edges (i, j). Sampling, log-probabilities and REINFORCE reuse the CNN machinery (`Draw`s).
import type { Rng } from '../random/rng.ts';
import { entropyOf, probabilities, type Draw } from '../policy/categorical.ts';
import { ACTIVATIONS, RNN_CONCAT, RNN_STEPS, type RnnGenotype, type RnnPair } from './genotype.ts';

/** Edges (i, j), j < i, over nodes 1..8. */
export const RNN_EDGES = (RNN_STEPS * (RNN_STEPS + 1)) / 2;
export const RNN_POLICY_SIZE = RNN_EDGES + RNN_EDGES * ACTIVATIONS.length;

const edgeIndex = (i: number, j: number) => ((i - 1) * i) / 2 + j;
export const rnnStructureSlice = (i: number) => ({ offset: edgeIndex(i, 0), size: i });
export const rnnOperationSlice = (i: number, j: number) => ({ offset: RNN_EDGES + edgeIndex(i, j) * ACTIVATIONS.length, size: ACTIVATIONS.length });

export interface RnnProbabilities {
  /** structure[i-1][j]: probability that node i reads node j. */
  structure: number[][];
  /** operation[i-1][j][k]: probability of activation k on edge (i, j). */
  operation: number[][][];
}

export class RnnPolicy {
  readonly logits: Float64Array;

  constructor(logits?: ArrayLike<number>) {
    if (logits && logits.length !== RNN_POLICY_SIZE) throw new Error(`a recurrent policy has ${RNN_POLICY_SIZE} logits, got ${logits.length}`);
    this.logits = logits ? Float64Array.from(logits) : new Float64Array(RNN_POLICY_SIZE);
  }

  structureProbabilities(i: number): Float64Array {
    const s = rnnStructureSlice(i);
    return probabilities(this.logits, s.offset, s.size);
  }

  operationProbabilities(i: number, j: number): Float64Array {
    const s = rnnOperationSlice(i, j);
    return probabilities(this.logits, s.offset, s.size);
  }

  probabilities(): RnnProbabilities {
    const nodes = Array.from({ length: RNN_STEPS }, (_, k) => k + 1);
    return {
      structure: nodes.map((i) => [...this.structureProbabilities(i)]),
      operation: nodes.map((i) => Array.from({ length: i }, (_, j) => [...this.operationProbabilities(i, j)])),
    };
  }
}

export interface RnnChild {
  genotype: RnnGenotype;
  draws: Draw[];
  logProb: number;
  entropy: number;
}

/** Decoupled sampling: per node, its input from the structure vector, then the edge's activation. */
export function sampleRnnChild(policy: RnnPolicy, rng: Rng): RnnChild {
  const draws: Draw[] = [];
  let logProb = 0, entropy = 0;
  const draw = (offset: number, size: number) => {
    const p = probabilities(policy.logits, offset, size);
    const picked = rng.categorical(p);
    draws.push({ offset, size, picked });
    logProb += Math.log(p[picked]);
    entropy += entropyOf(p);
    return picked;
  };
  const recurrent: RnnPair[] = [];
  for (let i = 1; i <= RNN_STEPS; i++) {
    const s = rnnStructureSlice(i);
    const j = draw(s.offset, s.size);
    const o = rnnOperationSlice(i, j);
    recurrent.push([ACTIVATIONS[draw(o.offset, o.size)], j]);
  }
  return { genotype: { recurrent, concat: [...RNN_CONCAT] }, draws, logProb, entropy };
}

const argmax = (p: ArrayLike<number>) => {
  let best = 0;
  for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
  return best;
};

/** Per node the most probable input, then the most probable activation on that edge. */
export function deriveRnnArgmax(policy: RnnPolicy): RnnGenotype {
  const recurrent: RnnPair[] = [];
  for (let i = 1; i <= RNN_STEPS; i++) {
    const j = argmax(policy.structureProbabilities(i));
    recurrent.push([ACTIVATIONS[argmax(policy.operationProbabilities(i, j))], j]);
  }
  return { recurrent, concat: [...RNN_CONCAT] };
}

/** A recurrent cell drawn uniformly from the space: the random-search baseline. */
export const randomRnnGenotype = (rng: Rng): RnnGenotype => sampleRnnChild(new RnnPolicy(), rng).genotype;

/** "a0b1...": per node the activation index then the input. */
export const rnnChildCode = (g: RnnGenotype): string => g.recurrent.map(([a, j]) => `${ACTIVATIONS.indexOf(a)}${j}`).join('');
