// The report of a PTB run (recurrent cell search or training), built from its run directory's tables:
// the same summary, headline, reproduce and paper sections as the CNN report, with the recurrent
// cell's policy, cell diagram and perplexity curves.
import { from } from 'arquero';
import { rnnGenotypeToDarts, rnnGenotypeToJson, type RnnGenotype } from '../rnn/genotype.ts';
import type { RnnEpochRecord, RnnSearchState } from '../rnn/search.ts';
import type { RnnEvalEpochRecord } from '../rnn/evaluation.ts';
import { recurrentCellDiagram } from '../viz/cell-diagram.ts';
import { rewardFigure, stepFigure } from '../viz/figures.ts';
import { activationFigure, activationHeatmapFigure, inputHeatmapFigure, perplexityFigure } from '../viz/rnn-figures.ts';
import type { StepRecord } from '../train/search.ts';
import { renderReport, type Section } from './report.ts';
import { headlineSection, paperSection, reproduceSection, summarySection, type Headline } from './run-report.ts';
import { escapeHtml } from '../viz/html.ts';

export interface RnnReportInput {
  title: string;
  summary: Record<string, string | number>;
  search?: { epochs: RnnEpochRecord[]; policyHistory: RnnSearchState['policyHistory']; steps?: StepRecord[] };
  genotype: RnnGenotype;
  evaluation?: { epochs: RnnEvalEpochRecord[]; params: number; test_ppl?: number };
  reproduce?: string;
  headline?: Headline;
}


export function rnnRunReport(r: RnnReportInput): string {
  const sections: Section[] = [summarySection(r.summary)];
  if (r.headline) sections.push(headlineSection(r.headline));
  if (r.search) {
    sections.push(
      { kind: 'text', title: 'Search', html: '<p>Mean reward (80 / perplexity of the sampled cell on policy windows), its moving-average baseline and the entropy of the sampled distributions, per epoch.</p>' },
      { kind: 'figure', figure: rewardFigure(r.search.epochs, 'reward (80 / perplexity)') },
      { kind: 'figure', figure: activationFigure(r.search.policyHistory) },
      { kind: 'figure', figure: activationHeatmapFigure(r.search.policyHistory) },
      { kind: 'figure', figure: inputHeatmapFigure(r.search.policyHistory) },
      { kind: 'figure', figure: perplexityFigure('Supernet training (sampled cells)', r.search.epochs) },
      ...(r.search.steps?.length ? [{ kind: 'figure' as const, figure: stepFigure(r.search.steps) }] : []),
      { kind: 'table', title: 'Argmax cell after each epoch', table: from(r.search.epochs.map((e) => ({ epoch: e.epoch, genotype: rnnGenotypeToDarts(JSON.parse(e.genotype) as RnnGenotype) }))) },
    );
  }
  sections.push(
    { kind: 'text', title: r.search ? 'Derived cell' : 'Cell', html: `<p>DARTS form: <code>${escapeHtml(rnnGenotypeToDarts(r.genotype))}</code></p><p>JSON:</p><pre>${escapeHtml(rnnGenotypeToJson(r.genotype))}</pre>` },
    { kind: 'svg', svg: recurrentCellDiagram(r.genotype) },
  );
  if (r.evaluation) {
    sections.push(
      { kind: 'figure', figure: perplexityFigure('Training from scratch (ASGD)', r.evaluation.epochs) },
      { kind: 'table', title: 'Training per epoch', table: from(r.evaluation.epochs).select('epoch', 'averaging', 'train_ppl', 'valid_ppl', 'wall_s') },
    );
  }
  if (r.reproduce) sections.push(reproduceSection(r.reproduce));
  sections.push(paperSection());
  return renderReport(r.title, sections);
}
