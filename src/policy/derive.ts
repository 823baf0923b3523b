// Deriving the final architecture from the policy: `argmax` (per node its most probable inputs, per
// picked edge the most probable operation) or `sample-best:K` (sample K children, keep the best scorer).
import type { Rng } from '../random/rng.ts';
import type { RnnGenotype } from '../space/rnn-genotype.ts';
import type { Edge } from './layout.ts';
import type { Genotype } from '../space/genotype.ts';
import { PolicyVectors, type Policy, type RnnPolicy } from './policy.ts';
import type { PolicyLayout } from './layout.ts';
import { drawChild } from './sample.ts';

export type DeriveMethod = 'argmax' | `sample-best:${number}`;

export function parseDeriveMethod(s: string): DeriveMethod {
  if (s === 'argmax') return s;
  const m = s.match(/^sample-best:(\d+)$/);
  if (m && Number(m[1]) >= 1) return s as DeriveMethod;
  throw new Error(`unknown derivation '${s}'; use argmax or sample-best:K (K >= 1)`);
}

const argmax = (p: ArrayLike<number>, skip?: number) => {
  let best = -1;
  for (let k = 0; k < p.length; k++) if (k !== skip && (best < 0 || p[k] > p[best])) best = k;
  return best;
};

/** Per node its most probable inputs, then the most probable operation on each picked edge; any policy. */
export function argmaxGenotype<G, P>(policy: PolicyVectors<G, P>): G {
  const { layout } = policy;
  const edges: Record<string, Edge[]> = Object.fromEntries(layout.groups.map((g) => [g, []]));
  for (const node of layout.nodes) {
    const p = policy.at(node.structure);
    const first = argmax(p);
    const inputs = node.picks === 2 ? [first, argmax(p, first)].sort((a, b) => a - b) : [first];
    for (const j of inputs) edges[node.group].push([layout.choices[argmax(policy.at(node.operation(j)))], j]);
  }
  return layout.genotype(edges);
}

/**
 * The argmax genotype of a recorded policy (one entry of a search's policy history): the probabilities
 * back into logits (their logarithms: the softmax of those is the same vector), then argmax.
 */
export function argmaxOfProbabilities<G, P>(layout: PolicyLayout<G, P>, probabilities: P): G {
  const groups = layout.groupsOf(probabilities);
  const logits = new Float64Array(layout.size);
  const seen = new Map<string, number>();
  const put = (offset: number, p: readonly number[]) =>
    p.forEach((v, k) => {
      logits[offset + k] = Math.log(Math.max(v, 1e-300));
    });
  for (const node of layout.nodes) {
    const i = seen.get(node.group) ?? 0;
    seen.set(node.group, i + 1);
    const cell = groups[node.group];
    put(node.structure.offset, cell.structure[i]);
    cell.operation[i].forEach((p, j) => {
      put(node.operation(j).offset, p);
    });
  }
  return argmaxGenotype(new PolicyVectors(layout, logits));
}

/**
 * The normal and reduction cells: per node the two most probable inputs, per picked edge the most probable operation.
 */
export function deriveArgmax(policy: Policy): Genotype {
  return argmaxGenotype(policy);
}

/** The recurrent cell: per node the most probable input, then the most probable activation on that edge. */
export function deriveRnnArgmax(policy: RnnPolicy): RnnGenotype {
  return argmaxGenotype(policy);
}

/** Samples k children and keeps the one `score` rates highest (ENAS-style derivation). */
export async function deriveSampleBest<G, P>(
  policy: PolicyVectors<G, P>,
  k: number,
  rng: Rng,
  score: (g: G) => Promise<number> | number,
): Promise<{ genotype: G; score: number }> {
  let best: { genotype: G; score: number } | undefined;
  for (let n = 0; n < k; n++) {
    const { genotype } = drawChild(policy, rng);
    const s = await score(genotype);
    if (!best || s > best.score) best = { genotype, score: s };
  }
  return best!;
}
