// Genotypes drawn uniformly from the search space (two distinct inputs per node, any operation per edge):
// the random-search baseline every NAS result is compared with.
import type { Rng } from '../random/rng.ts';
import type { Genotype } from '../space/genotype.ts';
import { Policy } from './policy.ts';
import { sampleChild } from './sample.ts';

export const randomGenotype = (rng: Rng): Genotype => sampleChild(new Policy(), rng).genotype;
