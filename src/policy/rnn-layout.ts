// The policy layout of the recurrent cell, in one flat logit array: first the structure vector of each
// operation node i = 1..8 (i logits, one per earlier node), then an activation vector (4 logits) for each
// of the 36 edges (i, j).
import { ACTIVATIONS, RNN_CONCAT, RNN_STEPS, type RnnGenotype, type RnnPair } from '../space/rnn-genotype.ts';
import type { CellProbabilities, PolicyLayout } from './layout.ts';

/** Edges (i, j), j < i, over nodes 1..8. */
export const RNN_EDGES = (RNN_STEPS * (RNN_STEPS + 1)) / 2;
export const RNN_POLICY_SIZE = RNN_EDGES + RNN_EDGES * ACTIVATIONS.length;

const edgeIndex = (i: number, j: number) => ((i - 1) * i) / 2 + j;
export const rnnStructureSlice = (i: number) => ({ offset: edgeIndex(i, 0), size: i });
export const rnnOperationSlice = (i: number, j: number) => ({
  offset: RNN_EDGES + edgeIndex(i, j) * ACTIVATIONS.length,
  size: ACTIVATIONS.length,
});

/** structure[i-1][j]: probability that node i reads node j; operation[i-1][j][k]: activation k on edge (i, j). */
export type RnnProbabilities = CellProbabilities;

export const RNN_LAYOUT: PolicyLayout<RnnGenotype, RnnProbabilities> = {
  name: 'recurrent',
  size: RNN_POLICY_SIZE,
  groups: ['recurrent'],
  nodes: Array.from({ length: RNN_STEPS }, (_, k) => ({
    group: 'recurrent',
    label: k + 1,
    picks: 1 as const,
    structure: rnnStructureSlice(k + 1),
    operation: (j: number) => rnnOperationSlice(k + 1, j),
  })),
  choices: ACTIVATIONS,
  genotype: (e) => ({ recurrent: e.recurrent as RnnPair[], concat: [...RNN_CONCAT] }),
  edges: (g) => ({ recurrent: g.recurrent }),
  shape: (groups) => groups.recurrent,
  groupsOf: (p) => ({ recurrent: p }),
};
