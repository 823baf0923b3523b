// A cell kind's policy layout: the list of its decisions in one flat logit array. Every operation node of
// every cell (a "group": normal, reduce, recurrent) has a structure vector, one logit per candidate input,
// from which `picks` distinct inputs are drawn, and for every candidate input an operation vector over the
// kind's choices (operations or activations). Sampling, derivation, records and tables are written once
// over this description; a cell kind only says where its vectors are and how pairs make a genotype.

/** Where a vector lives in the logits. */
export interface Slice {
  offset: number;
  size: number;
}

export interface NodeLayout {
  /** The cell the node belongs to. */
  group: string;
  /** Its number in records, tables and figures (CNN cells: 0..3; the recurrent cell: 1..8). */
  label: number;
  structure: Slice;
  /** Distinct inputs drawn for the node: 2 in a CNN cell, 1 in the recurrent cell (at most 2). */
  picks: 1 | 2;
  /** The operation vector of the edge from candidate input j. */
  operation(j: number): Slice;
}

/** Probabilities of one cell's vectors: structure[i][j] (node i takes input j), operation[i][j][k]. */
export interface CellProbabilities {
  structure: number[][];
  operation: number[][][];
}

/** An (operation or activation, input) pair: one edge of a genotype. */
export type Edge = [string, number];

export interface PolicyLayout<G, P> {
  /** Named in messages: "a <name> policy has N logits". */
  name: string;
  size: number;
  groups: readonly string[];
  /** Every node of every group, in the order decisions are drawn. */
  nodes: readonly NodeLayout[];
  /** What an operation vector chooses among, in logit order. */
  choices: readonly string[];
  /** A genotype from each group's edges, two (or one) per node in node order. */
  genotype(edges: Record<string, Edge[]>): G;
  /** A genotype's edges per group (the inverse of `genotype`). */
  edges(g: G): Record<string, Edge[]>;
  /** The kind's record shape of the probabilities, and back to one CellProbabilities per group. */
  shape(groups: Record<string, CellProbabilities>): P;
  groupsOf(p: P): Record<string, CellProbabilities>;
}
