// The recurrent cell of the Penn Treebank search (DARTS' space): node 0 mixes x_t and h_{t-1}; each of
// the 8 operation nodes i takes one earlier node j < i and one activation; h_t is the mean of nodes 1..8.
// JSON form {"recurrent": [["sigmoid", 0], ...], "concat": [1, ..., 8]} and DARTS' Python form
// Genotype(recurrent=[('sigmoid', 0), ...], concat=range(1, 9)).
import { dartsConcat, dartsFields, GenotypeError, parseJsonGenotype, shown } from './genotype.ts';

export const ACTIVATIONS = ['tanh', 'relu', 'sigmoid', 'identity'] as const;
export type Activation = (typeof ACTIVATIONS)[number];
/** Operation nodes of the recurrent cell. */
export const RNN_STEPS = 8;
export const RNN_CONCAT = Array.from({ length: RNN_STEPS }, (_, k) => k + 1);

export type RnnPair = [Activation, number];

export interface RnnGenotype {
  /** recurrent[i]: activation and input of operation node i + 1. */
  recurrent: RnnPair[];
  concat: number[];
}

export function validateRnnGenotype(g: unknown): RnnGenotype {
  const o = g as Partial<RnnGenotype> | null;
  if (!o || !Array.isArray(o.recurrent))
    throw new GenotypeError('a recurrent genotype needs "recurrent": a list of [activation, input] pairs');
  if (o.recurrent.length !== RNN_STEPS)
    throw new GenotypeError(
      `genotype.recurrent has ${o.recurrent.length} entries; the cell has ${RNN_STEPS} nodes, one entry each`,
    );
  o.recurrent.forEach((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2)
      throw new GenotypeError(`genotype.recurrent[${i}] must be [activation, input], got ${shown(pair)}`);
    const [act, j] = pair;
    if (!ACTIVATIONS.includes(act as Activation))
      throw new GenotypeError(
        `genotype.recurrent[${i}] (node ${i + 1}): unknown activation ${shown(act)}; the activations ` +
          `are ${ACTIVATIONS.join(', ')}`,
      );
    if (!Number.isInteger(j) || j < 0 || j > i)
      throw new GenotypeError(
        `genotype.recurrent[${i}] (node ${i + 1}): input ${shown(j)} must be an earlier node, 0..${i}`,
      );
  });
  const concat = o.concat ?? RNN_CONCAT;
  if (
    !Array.isArray(concat) ||
    concat.length === 0 ||
    concat.some((c) => !Number.isInteger(c) || c < 1 || c > RNN_STEPS)
  ) {
    throw new GenotypeError(`genotype.concat must list nodes among 1..${RNN_STEPS}, got ${shown(concat)}`);
  }
  return { recurrent: o.recurrent.map(([a, j]) => [a, j] as RnnPair), concat: [...concat] };
}

export const rnnGenotypeToJson = (g: RnnGenotype): string =>
  `{"recurrent": [${g.recurrent.map(([a, j]) => `["${a}", ${j}]`).join(', ')}],\n "concat": ` +
  `[${g.concat.join(', ')}]}\n`;

export const rnnGenotypeToDarts = (g: RnnGenotype): string =>
  `Genotype(recurrent=[${g.recurrent.map(([a, j]) => `('${a}', ${j})`).join(', ')}], concat=${dartsConcat(g.concat)})`;

/** JSON or DARTS' form, told apart by the first character. */
export function parseRnnGenotype(text: string): RnnGenotype {
  if (text.trimStart().startsWith('{')) return validateRnnGenotype(parseJsonGenotype(text));
  const f = dartsFields(text, 'Genotype(recurrent=[...], concat=range(1, 9))');
  return validateRnnGenotype({ recurrent: f.pairs('recurrent'), concat: f.concat('concat') });
}

/** DARTS' published recurrent cell (DARTS_V2 in genotypes.py), a fixed point for tests and comparisons. */
export const DARTS_V2_RNN: RnnGenotype = parseRnnGenotype(
  "Genotype(recurrent=[('sigmoid', 0), ('relu', 1), ('relu', 1), ('identity', 1), ('tanh', 2), ('sigmoid', 5), " +
    "('tanh', 3), ('relu', 5)], concat=range(1, 9))",
);
