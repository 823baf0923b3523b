// The report of a whole EDNAS run (search, derived cell, evaluation), built from its tables.
import { from, type ColumnTable } from 'arquero';
import { CELL_TYPES, genotypeToDarts, genotypeToJson, type Genotype } from '../space/genotype.ts';
import { cellDiagram } from '../viz/cell-diagram.ts';
import { operationFigure, operationHeatmapFigure, rewardFigure, stepFigure, structureHeatmapFigure, trainingFigure } from '../viz/figures.ts';
import type { EpochRecord, SearchState, StepRecord } from '../train/search.ts';
import type { EvalEpochRecord } from '../train/evaluation.ts';
import { renderReport, type Section } from './report.ts';
import { escapeHtml } from '../viz/html.ts';

export interface RunReportInput {
  title: string;
  summary: Record<string, string | number>;
  dataTable?: ColumnTable;
  search?: { epochs: EpochRecord[]; policyHistory: SearchState['policyHistory']; steps?: StepRecord[] };
  genotype: Genotype;
  evaluation?: { epochs: EvalEpochRecord[]; params: number; params_with_aux: number };
  /** The command that reproduces the run. */
  reproduce?: string;
  /** This run's numbers next to the paper's (wall time of the search, the result, parameters). */
  headline?: Headline;
}

export interface Headline {
  task: 'CIFAR-10' | 'PTB';
  search_s?: number;
  result?: string;
  params?: number;
}

const PAPER: Record<Headline['task'], { search_cost: string; result: string; params: string }> = {
  'CIFAR-10': { search_cost: '0.28 GPU-days (V100)', result: '2.84% test error', params: '3.7M' },
  PTB: { search_cost: '0.11 GPU-days (V100)', result: '59.45 test perplexity', params: '23M' },
};

/** The headline numbers of this run against the paper's row for the task. */
export function headlineSection(h: Headline): Section {
  const paper = PAPER[h.task];
  const rows = [
    { '': 'search cost', 'this run': h.search_s !== undefined ? `${(h.search_s / 3600).toFixed(2)} h on this machine's CPU` : '—', paper: paper.search_cost },
    { '': 'result', 'this run': h.result ?? '— (no evaluation in this run)', paper: paper.result },
    { '': 'parameters', 'this run': h.params !== undefined ? `${(h.params / 1e6).toFixed(3)}M` : '—', paper: paper.params },
  ];
  return { kind: 'table', title: `Headline numbers against the paper (${h.task})`, table: from(rows) };
}

/** How to run it again: the command, the config in manifest.json, the data checked by checksum. */
export function reproduceSection(command: string): Section {
  return { kind: 'text', title: 'Reproduce this run', html: `<pre>${escapeHtml(command)}</pre><p>The full configuration and the sha256 of every data file are in the run's <code>manifest.json</code>; with the same data, seed and backend the command repeats the run.</p>` };
}


/** The run's summary (config, manifest) as a two-column table. */
export const summarySection = (summary: Record<string, string | number>): Section =>
  ({ kind: 'text', title: 'Summary', html: `<table>${Object.entries(summary).map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(String(v))}</td></tr>`).join('')}</table>` });

export function runReport(r: RunReportInput): string {
  const sections: Section[] = [summarySection(r.summary)];
  if (r.headline) sections.push(headlineSection(r.headline));
  if (r.dataTable) sections.push({ kind: 'table', title: 'Data: images per class in the weight and policy splits', table: r.dataTable });
  if (r.search) {
    sections.push(
      { kind: 'text', title: 'Search', html: '<p>Mean reward (child accuracy on policy minibatches), its moving-average baseline and the entropy of the sampled distributions, per epoch.</p>' },
      { kind: 'figure', figure: rewardFigure(r.search.epochs) },
      ...CELL_TYPES.map((t) => ({ kind: 'figure' as const, figure: operationFigure(r.search!.policyHistory, t) })),
      ...CELL_TYPES.map((t) => ({ kind: 'figure' as const, figure: operationHeatmapFigure(r.search!.policyHistory, t) })),
      ...CELL_TYPES.map((t) => ({ kind: 'figure' as const, figure: structureHeatmapFigure(r.search!.policyHistory, t) })),
      { kind: 'figure', figure: trainingFigure('Supernet training (sampled children)', r.search.epochs) },
      ...(r.search.steps?.length ? [{ kind: 'figure' as const, figure: stepFigure(r.search.steps) }] : []),
      { kind: 'table', title: 'Argmax genotype after each epoch', table: from(r.search.epochs.map((e) => ({ epoch: e.epoch, genotype: genotypeToDarts(JSON.parse(e.genotype) as Genotype) }))) },
    );
  }
  sections.push(
    { kind: 'text', title: r.search ? 'Derived cell' : 'Cell', html: `<p>DARTS form: <code>${escapeHtml(genotypeToDarts(r.genotype))}</code></p><p>JSON:</p><pre>${escapeHtml(genotypeToJson(r.genotype))}</pre>` },
    ...CELL_TYPES.map((t) => ({ kind: 'svg' as const, svg: cellDiagram(r.genotype, t) })),
  );
  if (r.evaluation) {
    sections.push(
      { kind: 'figure', figure: trainingFigure('Evaluation training from scratch', r.evaluation.epochs) },
      { kind: 'table', title: 'Evaluation per epoch', table: from(r.evaluation.epochs).select('epoch', 'lr', 'train_loss', 'train_acc', 'test_acc', 'wall_s') },
    );
  }
  if (r.reproduce) sections.push(reproduceSection(r.reproduce));
  sections.push(paperSection());
  return renderReport(r.title, sections);
}

/** EDNAS' published results (arXiv 1910.10397), what full-scale runs of the cifar10/imagenet/ptb presets aim at. */
export const paperSection = (): Section => ({ kind: 'table', title: "The paper's results (V100 GPUs), for scale", table: PAPER_RESULTS });

const PAPER_RESULTS = from([
  { task: 'CIFAR-10', search_cost: '0.28 GPU-days', result: '2.84% test error', params: '3.7M' },
  { task: 'ImageNet', search_cost: '3.67 GPU-days', result: '26.9% top-1, 8.9% top-5 error', params: '4.7M' },
  { task: 'PTB', search_cost: '0.11 GPU-days', result: '59.45 test perplexity', params: '23M' },
]);
