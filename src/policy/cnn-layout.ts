// The policy layout of the convolutional cells. Per cell type (normal, then reduce): the structure
// vectors of nodes 2..5 (2, 3, 4, 5 logits: one per candidate input, so one per edge), then an operation
// vector of 7 logits for each of the 14 edges (node, input).
import { OP_NAMES } from '../space/ops.ts';
import { CELL_TYPES, STEPS, type CellType, type Genotype, type Pair } from '../space/genotype.ts';
import type { CellProbabilities, NodeLayout, PolicyLayout } from './layout.ts';

export const NUM_OPS = OP_NAMES.length;
/** Edges per cell: node i (0-based among operation nodes) has 2 + i candidate inputs. */
export const EDGES = STEPS * 2 + (STEPS * (STEPS - 1)) / 2;
const PER_TYPE = EDGES + EDGES * NUM_OPS;
export const POLICY_SIZE = CELL_TYPES.length * PER_TYPE;

const typeBase = (type: CellType) => CELL_TYPES.indexOf(type) * PER_TYPE;

/** Index of edge (node i, input j) among a cell's 14 edges; i counts operation nodes from 0. */
export const edgeIndex = (i: number, j: number): number => 2 * i + (i * (i - 1)) / 2 + j;

/** Offset and length of the structure vector of operation node i. */
export const structureSlice = (type: CellType, i: number) => ({
  offset: typeBase(type) + edgeIndex(i, 0),
  size: 2 + i,
});

/** Offset and length of the operation vector of edge (node i, input j). */
export const operationSlice = (type: CellType, i: number, j: number) => ({
  offset: typeBase(type) + EDGES + edgeIndex(i, j) * NUM_OPS,
  size: NUM_OPS,
});

/** structure[i][j]: probability that node i+2 takes node j first; operation[i][j][k]: op k on edge (i+2, j). */
export type PolicyProbabilities = Record<CellType, CellProbabilities>;

const CONCAT = [2, 3, 4, 5];

export const CNN_LAYOUT: PolicyLayout<Genotype, PolicyProbabilities> = {
  name: 'CNN',
  size: POLICY_SIZE,
  groups: CELL_TYPES,
  nodes: CELL_TYPES.flatMap((type) =>
    Array.from(
      { length: STEPS },
      (_, i): NodeLayout => ({
        group: type,
        label: i,
        picks: 2,
        structure: structureSlice(type, i),
        operation: (j) => operationSlice(type, i, j),
      }),
    ),
  ),
  choices: OP_NAMES,
  genotype: (e) => ({
    normal: e.normal as Pair[],
    normal_concat: [...CONCAT],
    reduce: e.reduce as Pair[],
    reduce_concat: [...CONCAT],
  }),
  edges: (g) => ({ normal: g.normal, reduce: g.reduce }),
  shape: (groups) => ({ normal: groups.normal, reduce: groups.reduce }),
  groupsOf: (p) => p,
};
