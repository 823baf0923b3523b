// The report of an EDNAS run of either task (search, derived cell, training from scratch), built from its
// tables alone: summary, headline numbers against the paper, the search's policy and training figures,
// the cell in text and as diagrams, the training curves, how to reproduce it, the paper's table.
import { from, type ColumnTable } from 'arquero';
import type { Genotype } from '../space/genotype.ts';
import type { RnnGenotype } from '../space/rnn-genotype.ts';
import type { PolicyProbabilities, RnnProbabilities } from '../policy/policy.ts';
import type { StepRecord } from '../policy/policy-search.ts';
import type { EpochRecord } from '../cnn/search.ts';
import type { EvalEpochRecord } from '../cnn/evaluation.ts';
import type { RnnEpochRecord } from '../rnn/search.ts';
import type { RnnEvalEpochRecord } from '../rnn/evaluation.ts';
import { rewardFigure, stepFigure } from '../viz/figures.ts';
import { escapeHtml } from '../viz/html.ts';
import { renderReport, type Section } from './report.ts';
import { CNN_VIEW, RNN_VIEW, type TaskView } from './views.ts';

export interface Headline {
  task: 'CIFAR-10' | 'PTB';
  search_s?: number;
  result?: string;
  params?: number;
}

export interface ReportInput<G, P, SRec, ERec> {
  title: string;
  summary: Record<string, string | number>;
  dataTable?: ColumnTable;
  search?: { epochs: SRec[]; policyHistory: { epoch: number; probabilities: P }[]; steps?: StepRecord[] };
  genotype: G;
  evaluation?: { epochs: ERec[]; params: number } & Record<string, unknown>;
  /** The command that reproduces the run. */
  reproduce?: string;
  /** This run's numbers next to the paper's (wall time of the search, the result, parameters). */
  headline?: Headline;
}

export type RunReportInput = ReportInput<Genotype, PolicyProbabilities, EpochRecord, EvalEpochRecord> & {
  evaluation?: { params_with_aux: number };
};
export type RnnReportInput = ReportInput<RnnGenotype, RnnProbabilities, RnnEpochRecord, RnnEvalEpochRecord> & {
  evaluation?: { test_ppl?: number };
};

const PAPER: Record<Headline['task'], { search_cost: string; result: string; params: string }> = {
  'CIFAR-10': { search_cost: '0.28 GPU-days (V100)', result: '2.84% test error', params: '3.7M' },
  PTB: { search_cost: '0.11 GPU-days (V100)', result: '59.45 test perplexity', params: '23M' },
};

/** The headline numbers of this run against the paper's row for the task. */
export function headlineSection(h: Headline): Section {
  const paper = PAPER[h.task];
  const rows = [
    {
      '': 'search cost',
      'this run': h.search_s !== undefined ? `${(h.search_s / 3600).toFixed(2)} h on this machine's CPU` : '—',
      paper: paper.search_cost,
    },
    { '': 'result', 'this run': h.result ?? '— (no evaluation in this run)', paper: paper.result },
    {
      '': 'parameters',
      'this run': h.params !== undefined ? `${(h.params / 1e6).toFixed(3)}M` : '—',
      paper: paper.params,
    },
  ];
  return { kind: 'table', title: `Headline numbers against the paper (${h.task})`, table: from(rows) };
}

/** How to run it again: the command, the config in manifest.json, the data checked by checksum. */
export function reproduceSection(command: string): Section {
  return {
    kind: 'text',
    title: 'Reproduce this run',
    html:
      `<pre>${escapeHtml(command)}</pre><p>The full configuration and the sha256 of every data file are in the ` +
      `run's <code>manifest.json</code>; with the same data, seed and backend the command repeats the run.</p>`,
  };
}

/** The run's summary (config, manifest) as a two-column table. */
export const summarySection = (summary: Record<string, string | number>): Section => ({
  kind: 'text',
  title: 'Summary',
  html: `<table>${Object.entries(summary)
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(String(v))}</td></tr>`)
    .join('')}</table>`,
});

/** EDNAS' published results (arXiv 1910.10397), what full-scale runs of the cifar10/imagenet/ptb presets aim at. */
export const paperSection = (): Section => ({
  kind: 'table',
  title: "The paper's results (V100 GPUs), for scale",
  table: PAPER_RESULTS,
});

const PAPER_RESULTS = from([
  { task: 'CIFAR-10', search_cost: '0.28 GPU-days', result: '2.84% test error', params: '3.7M' },
  { task: 'ImageNet', search_cost: '3.67 GPU-days', result: '26.9% top-1, 8.9% top-5 error', params: '4.7M' },
  { task: 'PTB', search_cost: '0.11 GPU-days', result: '59.45 test perplexity', params: '23M' },
]);

export function taskReport<
  G,
  P,
  SRec extends { epoch: number; genotype: string; mean_reward: number; baseline: number; entropy: number },
  ERec,
>(view: TaskView<G, P, SRec, ERec>, r: ReportInput<G, P, SRec, ERec>): string {
  const sections: Section[] = [summarySection(r.summary)];
  if (r.headline) sections.push(headlineSection(r.headline));
  if (r.dataTable)
    sections.push({
      kind: 'table',
      title: 'Data: images per class in the weight and policy splits',
      table: r.dataTable,
    });
  if (r.search) {
    const s = r.search;
    sections.push(
      { kind: 'text', title: 'Search', html: `<p>${view.rewardText}</p>` },
      { kind: 'figure', figure: rewardFigure(s.epochs, view.rewardLabel) },
      ...view.policyFigures(s.policyHistory).map((figure) => ({ kind: 'figure' as const, figure })),
      { kind: 'figure', figure: view.searchTrainingFigure(s.epochs) },
      ...(s.steps?.length ? [{ kind: 'figure' as const, figure: stepFigure(s.steps) }] : []),
      {
        kind: 'table',
        title: view.argmaxTitle,
        table: from(
          s.epochs.map((e) => ({ epoch: e.epoch, genotype: view.genotypeDarts(JSON.parse(e.genotype) as G) })),
        ),
      },
    );
  }
  sections.push(
    {
      kind: 'text',
      title: r.search ? 'Derived cell' : 'Cell',
      html:
        `<p>DARTS form: <code>${escapeHtml(view.genotypeDarts(r.genotype))}</code></p>` +
        `<p>JSON:</p><pre>${escapeHtml(view.genotypeJson(r.genotype))}</pre>`,
    },
    ...view.diagrams(r.genotype).map((svg) => ({ kind: 'svg' as const, svg })),
  );
  if (r.evaluation) {
    const { title, table } = view.evaluationTable(r.evaluation.epochs);
    sections.push(
      { kind: 'figure', figure: view.evaluationFigure(r.evaluation.epochs) },
      { kind: 'table', title, table },
    );
  }
  if (r.reproduce) sections.push(reproduceSection(r.reproduce));
  sections.push(paperSection());
  return renderReport(r.title, sections);
}

/** The report of a CIFAR-10 run. */
export const runReport = (r: RunReportInput): string => taskReport(CNN_VIEW, r);

/** The report of a PTB run (recurrent cell search or training). */
export const rnnRunReport = (r: RnnReportInput): string => taskReport(RNN_VIEW, r);
