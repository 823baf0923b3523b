// The policy history in long form, one probability a row, for figures and policy.csv: structure rows
// give the probability that `node` takes `input`; operation rows the probability of `op` on edge
// (node, input). `cell` names the group (normal, reduce, recurrent).
import { from, type ColumnTable } from 'arquero';
import type { PolicyLayout } from './layout.ts';
import { RNN_LAYOUT, type RnnProbabilities } from './rnn-layout.ts';

export interface PolicyRow {
  epoch: number;
  cell: string;
  vector: 'structure' | 'operation';
  node: number;
  input: number;
  op: string;
  probability: number;
}

export type PolicyHistory<P> = { epoch: number; probabilities: P }[];

export function policyTable<G, P>(history: PolicyHistory<P>, layout: PolicyLayout<G, P>): ColumnTable {
  const rows: PolicyRow[] = [];
  for (const { epoch, probabilities } of history) {
    const groups = layout.groupsOf(probabilities);
    for (const cell of layout.groups) {
      const labels = layout.nodes.filter((n) => n.group === cell).map((n) => n.label);
      const p = groups[cell];
      p.structure.forEach((v, i) => {
        v.forEach((probability, input) => {
          rows.push({ epoch, cell, vector: 'structure', node: labels[i], input, op: '', probability });
        });
      });
      p.operation.forEach((edges, i) => {
        edges.forEach((v, input) => {
          v.forEach((probability, k) => {
            rows.push({ epoch, cell, vector: 'operation', node: labels[i], input, op: layout.choices[k], probability });
          });
        });
      });
    }
  }
  return from(rows);
}

/** The recurrent cell's table (cell "recurrent", nodes 1..8). */
export const rnnPolicyTable = (history: PolicyHistory<RnnProbabilities>): ColumnTable =>
  policyTable(history, RNN_LAYOUT);
