// The report of a whole EDNAS run (search, derived cell, evaluation), built from its tables.
import { from, type ColumnTable } from 'arquero';
import { CELL_TYPES, genotypeToDarts, type Genotype } from '../space/genotype.ts';
import { cellDiagram } from '../viz/cell-diagram.ts';
import { operationFigure, operationHeatmapFigure, rewardFigure, structureFigure, trainingFigure } from '../viz/figures.ts';
import type { EpochRecord, SearchState } from '../train/search.ts';
import type { EvalEpochRecord } from '../train/evaluation.ts';
import { renderReport, type Section } from './report.ts';

export interface RunReportInput {
  title: string;
  summary: Record<string, string | number>;
  dataTable?: ColumnTable;
  search?: { epochs: EpochRecord[]; policyHistory: SearchState['policyHistory'] };
  genotype: Genotype;
  evaluation?: { epochs: EvalEpochRecord[]; params: number; params_with_aux: number };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function runReport(r: RunReportInput): string {
  const sections: Section[] = [
    { kind: 'text', title: 'Summary', html: `<table>${Object.entries(r.summary).map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(String(v))}</td></tr>`).join('')}</table>` },
  ];
  if (r.dataTable) sections.push({ kind: 'table', title: 'Data: images per class in the weight and policy splits', table: r.dataTable });
  if (r.search) {
    const last = r.search.policyHistory[r.search.policyHistory.length - 1].probabilities;
    sections.push(
      { kind: 'text', title: 'Search', html: '<p>Mean reward (child accuracy on policy minibatches), its moving-average baseline and the entropy of the sampled distributions, per epoch.</p>' },
      { kind: 'figure', figure: rewardFigure(r.search.epochs) },
      ...CELL_TYPES.map((t) => ({ kind: 'figure' as const, figure: operationFigure(r.search!.policyHistory, t) })),
      ...CELL_TYPES.map((t) => ({ kind: 'figure' as const, figure: operationHeatmapFigure(r.search!.policyHistory, t) })),
      ...CELL_TYPES.map((t) => ({ kind: 'figure' as const, figure: structureFigure(last, t) })),
      { kind: 'figure', figure: trainingFigure('Supernet training (sampled children)', r.search.epochs) },
      { kind: 'table', title: 'Argmax genotype after each epoch', table: from(r.search.epochs.map((e) => ({ epoch: e.epoch, genotype: genotypeToDarts(JSON.parse(e.genotype) as Genotype) }))) },
    );
  }
  sections.push(
    { kind: 'text', title: r.search ? 'Derived cell' : 'Cell', html: `<p><code>${esc(genotypeToDarts(r.genotype))}</code></p>` },
    ...CELL_TYPES.map((t) => ({ kind: 'svg' as const, svg: cellDiagram(r.genotype, t) })),
  );
  if (r.evaluation) {
    sections.push(
      { kind: 'figure', figure: trainingFigure('Evaluation training from scratch', r.evaluation.epochs) },
      { kind: 'table', title: 'Evaluation per epoch', table: from(r.evaluation.epochs).select('epoch', 'lr', 'train_loss', 'train_acc', 'test_acc', 'wall_s') },
    );
  }
  return renderReport(r.title, sections);
}
