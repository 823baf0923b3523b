// Deriving the final architecture from the policy: `argmax` (per node the two most probable inputs, per
// picked edge the most probable operation) or `sample-best:K` (sample K children, keep the best scorer).
import type { Rng } from '../random/rng.ts';
import { OP_NAMES } from '../space/ops.ts';
import { CELL_TYPES, STEPS, type Genotype, type Pair } from '../space/genotype.ts';
import type { Policy } from './policy.ts';
import { sampleChild } from './sample.ts';

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

export function deriveArgmax(policy: Policy): Genotype {
  const [normal, reduce] = CELL_TYPES.map((type) => {
    const pairs: Pair[] = [];
    for (let i = 0; i < STEPS; i++) {
      const p = policy.structureProbabilities(type, i);
      const first = argmax(p);
      const second = argmax(p, first);
      for (const j of [first, second].sort((a, b) => a - b)) pairs.push([OP_NAMES[argmax(policy.operationProbabilities(type, i, j))], j]);
    }
    return pairs;
  });
  return { normal, normal_concat: [2, 3, 4, 5], reduce, reduce_concat: [2, 3, 4, 5] };
}

/** Samples k children and keeps the one `score` rates highest (ENAS-style derivation). */
export async function deriveSampleBest(policy: Policy, k: number, rng: Rng, score: (g: Genotype) => Promise<number> | number): Promise<{ genotype: Genotype; score: number }> {
  let best: { genotype: Genotype; score: number } | undefined;
  for (let n = 0; n < k; n++) {
    const { genotype } = sampleChild(policy, rng);
    const s = await score(genotype);
    if (!best || s > best.score) best = { genotype, score: s };
  }
  return best!;
}
