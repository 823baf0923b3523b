// Rich representations of the library's values as Jupyter MIME bundles: plotly figures (the plotly MIME
// type plus HTML that draws with plotly.js inlined, no network), arquero tables as HTML, genotypes as cell
// diagrams, other objects as a collapsible structured view (value-view.ts), anything else as text.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { inspect } from 'node:util';
import type { ColumnTable } from 'arquero';
import type { Figure } from '../viz/figures.ts';
import { THEME_SCRIPT } from '../viz/theme.ts';
import { cellDiagram, recurrentCellDiagram } from '../viz/cell-diagram.ts';
import { textTable } from '../viz/text-table.ts';
import { genotypeToDarts, type Genotype } from '../space/genotype.ts';
import { rnnGenotypeToDarts, type RnnGenotype } from '../space/rnn-genotype.ts';
import type { TrainingEvent } from '../train/trainer.ts';
import { escapeHtml, tableHtml } from '../viz/html.ts';
import { hasStructuredView, valueHtml } from './value-view.ts';

export type MimeBundle = Record<string, unknown>;

/** An object with a method under this key gives its own MIME bundle (widgets give their view's). */
export const MIME_BUNDLE = Symbol.for('ednas.mimeBundle');
const ownBundle = (v: unknown): v is { [MIME_BUNDLE](): MimeBundle } =>
  typeof v === 'object' && v !== null && typeof (v as Record<symbol, unknown>)[MIME_BUNDLE] === 'function';

/** What training reports: the training contract's event stream. */
export type ProgressEvent = TrainingEvent;

const fmt = (v: unknown) => (typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(4)) : String(v));

/** One progress line as text and as an HTML bar. */
export function progressBundle(e: ProgressEvent, epochs?: number): Record<string, string> {
  const metrics = Object.entries(e.metrics).filter(([k, v]) => typeof v === 'number' && !['epoch', 'tensors', 'peak_rss_mb'].includes(k)).slice(0, 6);
  const head = e.stage === 'epoch' ? `epoch ${e.epoch}${epochs ? `/${epochs}` : ''} done` : `epoch ${e.epoch}${epochs ? `/${epochs}` : ''} ${e.stage} ${e.step}/${e.total}`;
  const text = `${head}  ${metrics.map(([k, v]) => `${k} ${fmt(v)}`).join('  ')}`;
  const html = `<div class="ednas-progress" style="font-family:monospace"><progress value="${e.step}" max="${Math.max(1, e.total)}" style="width:240px"></progress> ` +
    `${escapeHtml(head)} <span style="opacity:.8">${escapeHtml(metrics.map(([k, v]) => `${k} ${fmt(v)}`).join(' · '))}</span></div>`;
  return { 'text/plain': text, 'text/html': html };
}


export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

const require = createRequire(import.meta.url);
let plotlySource: string | undefined;
/** plotly.min.js, read once. */
export const plotlyJs = (): string => (plotlySource ??= readFileSync(require.resolve('plotly.js-dist-min/plotly.min.js'), 'utf8'));

export const isFigure = (v: unknown): v is Figure =>
  typeof v === 'object' && v !== null && Array.isArray((v as Figure).data) && typeof (v as Figure).layout === 'object' && Object.keys(v).every((k) => ['data', 'layout', 'frames', 'config'].includes(k));
export const isTable = (v: unknown): v is ColumnTable =>
  typeof v === 'object' && v !== null && typeof (v as ColumnTable).toHTML === 'function' && typeof (v as ColumnTable).numRows === 'function';
export const isGenotype = (v: unknown): v is Genotype => typeof v === 'object' && v !== null && Array.isArray((v as Genotype).normal) && Array.isArray((v as Genotype).reduce);
export const isRnnGenotype = (v: unknown): v is RnnGenotype => typeof v === 'object' && v !== null && Array.isArray((v as RnnGenotype).recurrent);

let plots = 0;
/** Whether this process has already sent plotly.js with an HTML output (notebooks need it once). */
let plotlySent = false;

/** HTML that draws the figure with plotly.js: inlined the first time, reused from the page after. */
export function figureHtml(figure: Figure, o: { inlinePlotly?: boolean } = {}): string {
  const id = `ednas-plot-${process.pid}-${++plots}`;
  const inline = o.inlinePlotly ?? !plotlySent;
  plotlySent ||= inline;
  const spec = JSON.stringify(figure).replace(/</g, '\\u003c');
  const library = inline ? `<script>${plotlyJs()}</script>` : '';
  return `<div id="${id}" class="ednas-plot" style="min-height:360px"></div>${library}<script>(function(){var f=${spec};${THEME_SCRIPT}` +
    `function draw(){var el=document.getElementById(${JSON.stringify(id)});if(!el)return;` +
    `window.Plotly.newPlot(el,f.data,ednasTheme(f.layout),{responsive:true}).then(function(){if(f.frames)window.Plotly.addFrames(el,f.frames);});}` +
    `if(window.Plotly)draw();else{var t=setInterval(function(){if(window.Plotly){clearInterval(t);draw();}},50);}})();</script>`;
}

const titleOf = (f: Figure) => {
  const t = f.layout.title as { text?: string } | string | undefined;
  return typeof t === 'string' ? t : t?.text ?? 'figure';
};

/** A figure as one line of text. */
export const figureText = (f: Figure): string => `<plotly figure "${titleOf(f)}": ${f.data.length} traces>`;

/** A training snapshot of a reactive notebook cell (see notebook/live.ts). */
export const isSnapshot = (v: unknown): v is { done: boolean; epoch: number; epochs: unknown[]; progress?: ProgressEvent } =>
  typeof v === 'object' && v !== null && typeof (v as { done?: unknown }).done === 'boolean' && Array.isArray((v as { epochs?: unknown }).epochs);

export function mimeBundle(value: unknown): MimeBundle {
  if (ownBundle(value)) return value[MIME_BUNDLE]();
  if (isSnapshot(value)) {
    const last = value.epochs.at(-1);
    const event: ProgressEvent = value.progress ?? { stage: 'epoch', epoch: value.epoch, step: value.epoch, total: value.epoch, metrics: {} };
    const shown: ProgressEvent = value.done ? { ...event, stage: 'epoch', epoch: value.epoch, step: value.epoch, total: value.epoch, metrics: (last ?? {}) as ProgressEvent['metrics'] } : event;
    const bundle = progressBundle(shown);
    return { ...bundle, 'text/plain': `${value.done ? 'done: ' : ''}${bundle['text/plain']}` };
  }
  if (isFigure(value)) {
    return {
      [PLOTLY_MIME]: { data: value.data, layout: value.layout, ...(value.frames && { frames: value.frames }) },
      'text/html': figureHtml(value),
      'text/plain': figureText(value),
    };
  }
  if (isTable(value)) return { 'text/html': tableHtml(value, { limit: 40 }), 'text/plain': textTable(value.numRows() > 40 ? value.slice(0, 40) : value) };
  if (isGenotype(value)) {
    return {
      'text/html': `<div class="ednas-genotype" style="display:flex;flex-wrap:wrap;gap:8px">${cellDiagram(value, 'normal')}${cellDiagram(value, 'reduce')}</div>`,
      'application/json': value,
      'text/plain': genotypeToDarts(value),
    };
  }
  if (isRnnGenotype(value)) return { 'image/svg+xml': recurrentCellDiagram(value), 'application/json': value, 'text/plain': rnnGenotypeToDarts(value) };
  const text = inspect(value, { depth: 4, colors: false, maxArrayLength: 20 });
  return hasStructuredView(value) ? { 'text/html': valueHtml(value), 'text/plain': text } : { 'text/plain': text };
}
