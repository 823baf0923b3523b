// Decoupled sampling of a child architecture over any layout: per node, structure sampling draws its
// distinct inputs (each next one from the softmax over the candidates left), then operation sampling
// draws one operation for each picked edge. Random genotypes are children of the uniform policy.
import type { Rng } from '../random/rng.ts';
import type { Genotype } from '../space/genotype.ts';
import type { RnnGenotype } from '../space/rnn-genotype.ts';
import { entropyOf, probabilities, type Draw } from './categorical.ts';
import type { Edge, PolicyLayout, Slice } from './layout.ts';
import { CNN_LAYOUT } from './cnn-layout.ts';
import { RNN_LAYOUT } from './rnn-layout.ts';
import { Policy, PolicyVectors, type RnnPolicy } from './policy.ts';

export interface Child<G = Genotype> {
  genotype: G;
  /** Every categorical draw made, in order (the data REINFORCE differentiates). */
  draws: Draw[];
  /** log p(architecture): sum over all draws. */
  logProb: number;
  /** Sum of the entropies of the distributions drawn from. */
  entropy: number;
}

export type RnnChild = Child<RnnGenotype>;

/** One child from any policy (the sampler of every cell kind). */
export function drawChild<G, P>(policy: PolicyVectors<G, P>, rng: Rng): Child<G> {
  const { layout, logits } = policy;
  const draws: Draw[] = [];
  let logProb = 0;
  let entropy = 0;
  const draw = (s: Slice, excluded?: number): number => {
    const p = probabilities(logits, s.offset, s.size, excluded);
    const picked = rng.categorical(p);
    draws.push({ offset: s.offset, size: s.size, picked, excluded });
    logProb += Math.log(p[picked]);
    entropy += entropyOf(p);
    return picked;
  };
  const edges: Record<string, Edge[]> = Object.fromEntries(layout.groups.map((g) => [g, []]));
  for (const node of layout.nodes) {
    const first = draw(node.structure);
    const inputs = node.picks === 2 ? [first, draw(node.structure, first)] : [first];
    for (const j of inputs) edges[node.group].push([layout.choices[draw(node.operation(j))], j]);
  }
  return { genotype: layout.genotype(edges), draws, logProb, entropy };
}

/** A child of the normal and reduction cells. */
export function sampleChild(policy: Policy, rng: Rng): Child {
  return drawChild(policy, rng);
}

/** A recurrent cell: the same decoupled sampling over its layout. */
export function sampleRnnChild(policy: RnnPolicy, rng: Rng): RnnChild {
  return drawChild(policy, rng);
}

/** A genotype drawn uniformly from a layout's space: the random-search baseline every NAS result is compared with. */
export const randomOf = <G, P>(layout: PolicyLayout<G, P>, rng: Rng): G =>
  drawChild(new PolicyVectors(layout), rng).genotype;

export const randomGenotype = (rng: Rng): Genotype => sampleChild(new Policy(), rng).genotype;
export const randomRnnGenotype = (rng: Rng): RnnGenotype => randomOf(RNN_LAYOUT, rng);

/** A child compactly, for steps.csv: per edge the choice's index then the input; cells apart by "|". */
export const edgeCode = <G, P>(layout: PolicyLayout<G, P>, g: G): string =>
  Object.values(layout.edges(g))
    .map((edges) => edges.map(([c, j]) => `${layout.choices.indexOf(c)}${j}`).join(''))
    .join('|');

/** "0102..|..": operation index then input for each of the 8 edges of the normal cell, then the reduction cell. */
export const childCode = (g: Genotype): string => edgeCode(CNN_LAYOUT, g);
