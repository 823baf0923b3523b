// The report of a whole EDNAS run (search, derived cell, evaluation), built from its tables.
import { from, type ColumnTable } from 'arquero';
import { CELL_TYPES, genotypeToDarts, genotypeToJson, type Genotype } from '../space/genotype.ts';
import { cellDiagram } from '../viz/cell-diagram.ts';
import { operationFigure, operationHeatmapFigure, rewardFigure, stepFigure, structureFigure, trainingFigure } from '../viz/figures.ts';
import type { EpochRecord, SearchState, StepRecord } from '../train/search.ts';
import type { EvalEpochRecord } from '../train/evaluation.ts';
import { renderReport, type Section } from './report.ts';

export interface RunReportInput {
  title: string;
  summary: Record<string, string | number>;
  dataTable?: ColumnTable;
  search?: { epochs: EpochRecord[]; policyHistory: SearchState['policyHistory']; steps?: StepRecord[] };
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
      ...(r.search.steps?.length ? [{ kind: 'figure' as const, figure: stepFigure(r.search.steps) }] : []),
      { kind: 'table', title: 'Argmax genotype after each epoch', table: from(r.search.epochs.map((e) => ({ epoch: e.epoch, genotype: genotypeToDarts(JSON.parse(e.genotype) as Genotype) }))) },
    );
  }
  sections.push(
    { kind: 'text', title: r.search ? 'Derived cell' : 'Cell', html: `<p>DARTS form: <code>${esc(genotypeToDarts(r.genotype))}</code></p><p>JSON:</p><pre>${esc(genotypeToJson(r.genotype))}</pre>` },
    ...CELL_TYPES.map((t) => ({ kind: 'svg' as const, svg: cellDiagram(r.genotype, t) })),
  );
  if (r.evaluation) {
    sections.push(
      { kind: 'figure', figure: trainingFigure('Evaluation training from scratch', r.evaluation.epochs) },
      { kind: 'table', title: 'Evaluation per epoch', table: from(r.evaluation.epochs).select('epoch', 'lr', 'train_loss', 'train_acc', 'test_acc', 'wall_s') },
    );
  }
  sections.push({ kind: 'table', title: "The paper's results (V100 GPUs), for scale", table: PAPER_RESULTS });
  return renderReport(r.title, sections);
}

/** EDNAS' published results (arXiv 1910.10397), what full-scale runs of the cifar10/imagenet/ptb presets aim at. */
const PAPER_RESULTS = from([
  { task: 'CIFAR-10', search_cost: '0.28 GPU-days', result: '2.84% test error', params: '3.7M' },
  { task: 'ImageNet', search_cost: '3.67 GPU-days', result: '26.9% top-1, 8.9% top-5 error', params: '4.7M' },
  { task: 'PTB', search_cost: '0.11 GPU-days', result: '59.45 test perplexity', params: '23M' },
]);
