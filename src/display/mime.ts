// Rich representations of the library's values as Jupyter MIME bundles: plotly figures (the plotly MIME
// type plus HTML that draws with plotly.js inlined, no network), arquero tables as HTML, genotypes as cell
// diagrams, other objects as a collapsible structured view (value-view.ts), anything else as text.
import { environment, formatValue, processTag } from '#host';
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
  const metrics = Object.entries(e.metrics)
    .filter(([k, v]) => typeof v === 'number' && !['epoch', 'tensors', 'peak_rss_mb'].includes(k))
    .slice(0, 6);
  const head =
    e.stage === 'epoch'
      ? `epoch ${e.epoch}${epochs ? `/${epochs}` : ''} done`
      : `epoch ${e.epoch}${epochs ? `/${epochs}` : ''} ${e.stage} ${e.step}/${e.total}`;
  const text = `${head}  ${metrics.map(([k, v]) => `${k} ${fmt(v)}`).join('  ')}`;
  const html =
    `<div class="ednas-progress" style="font-family:monospace"><progress value="${e.step}" ` +
    `max="${Math.max(1, e.total)}" style="width:240px"></progress> ` +
    `${escapeHtml(head)} <span ` +
    `style="opacity:.8">${escapeHtml(metrics.map(([k, v]) => `${k} ${fmt(v)}`).join(' · '))}</span></div>`;
  return { 'text/plain': text, 'text/html': html };
}

export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

import { plotlyJs } from './plotly.ts';

export { plotlyJs, setPlotlySource } from './plotly.ts';

export const isFigure = (v: unknown): v is Figure =>
  typeof v === 'object' &&
  v !== null &&
  Array.isArray((v as Figure).data) &&
  typeof (v as Figure).layout === 'object' &&
  Object.keys(v).every((k) => ['data', 'layout', 'frames', 'config'].includes(k));
export const isTable = (v: unknown): v is ColumnTable =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as ColumnTable).toHTML === 'function' &&
  typeof (v as ColumnTable).numRows === 'function';
export const isGenotype = (v: unknown): v is Genotype =>
  typeof v === 'object' && v !== null && Array.isArray((v as Genotype).normal) && Array.isArray((v as Genotype).reduce);
export const isRnnGenotype = (v: unknown): v is RnnGenotype =>
  typeof v === 'object' && v !== null && Array.isArray((v as RnnGenotype).recurrent);

let plots = 0;

/** The kernelspec a notebook kernel runs under (set in kernel.json), whose folder serves plotly.min.js. */
const kernelName = () => environment('EDNAS_KERNEL_NAME') || 'ednas';

/**
 * Loads plotly.js into the page once, whichever output asks first: from the page itself when it has it,
 * else from the kernelspec folder that the Jupyter server serves (`ednas kernel install` puts it there;
 * Notebook 6 and 7, JupyterLab), so every saved output draws on its own after a reopen or a reload.
 */
const PLOTLY_LOADER =
  `function ednasPlotly(name,done){if(window.Plotly)return done();var q=window.__ednasPlotlyQueue;` +
  `if(q){q.push(done);return;}q=window.__ednasPlotlyQueue=[done];var base='/';` +
  `try{base=document.body.getAttribute('data-base-url')||JSON.parse(document.getElementById('jupyter-config-data')` +
  `.textContent).baseUrl||'/';}catch(e){}var url=base.replace(/\\/?$/,'/')+'kernelspecs/'+name+'/plotly.min.js';` +
  `var s=document.createElement('script');s.src=url;function end(err){window.__ednasPlotlyQueue=null;` +
  `q.forEach(function(f){f(err);});}` +
  `s.onload=function(){end(window.Plotly?null:url);};s.onerror=function(){end(url);};document.head.appendChild(s);}`;

/**
 * HTML that draws the figure with plotly.js, loaded once per page by the loader above; `inlinePlotly`
 * embeds plotly.js itself instead (a page with no Jupyter server behind it, such as a saved report).
 */
export function figureHtml(figure: Figure, o: { inlinePlotly?: boolean } = {}): string {
  const id = `ednas-plot-${processTag}-${Date.now().toString(36)}-${++plots}`;
  const spec = JSON.stringify(figure).replace(/</g, '\\u003c');
  const library = o.inlinePlotly ? `<script>${plotlyJs()}</script>` : '';
  const missing =
    ' (a front end that serves no kernelspec files, or a kernel not installed with `ednas kernel install`):' +
    ` the figure is also in this output as ${PLOTLY_MIME}`;
  return (
    `<div id="${id}" class="ednas-plot" style="min-height:360px"></div>${library}<script>(function(){var f=${spec};` +
    `${THEME_SCRIPT}${PLOTLY_LOADER}ednasPlotly(${JSON.stringify(kernelName())},function(url){` +
    `var el=document.getElementById(${JSON.stringify(id)});if(!el)return;` +
    `if(url){el.style.minHeight='';el.textContent='plotly.js could not be loaded from ` +
    `'+url+${JSON.stringify(missing)};return;}` +
    `window.Plotly.newPlot(el,f.data,ednasTheme(f.layout),{responsive:true})` +
    `.then(function(){if(f.frames)window.Plotly.addFrames(el,f.frames);});});})();</script>`
  );
}

const titleOf = (f: Figure) => {
  const t = f.layout.title as { text?: string } | string | undefined;
  return typeof t === 'string' ? t : (t?.text ?? 'figure');
};

/** A figure as one line of text. */
export const figureText = (f: Figure): string => `<plotly figure "${titleOf(f)}": ${f.data.length} traces>`;

/** A training snapshot of a reactive notebook cell (see notebook/live.ts). */
export const isSnapshot = (
  v: unknown,
): v is { done: boolean; epoch: number; epochs: unknown[]; progress?: ProgressEvent } =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { done?: unknown }).done === 'boolean' &&
  Array.isArray((v as { epochs?: unknown }).epochs);

export function mimeBundle(value: unknown): MimeBundle {
  if (ownBundle(value)) return value[MIME_BUNDLE]();
  if (isSnapshot(value)) {
    const last = value.epochs.at(-1);
    const event: ProgressEvent = value.progress ?? {
      stage: 'epoch',
      epoch: value.epoch,
      step: value.epoch,
      total: value.epoch,
      metrics: {},
    };
    const shown: ProgressEvent = value.done
      ? {
          ...event,
          stage: 'epoch',
          epoch: value.epoch,
          step: value.epoch,
          total: value.epoch,
          metrics: (last ?? {}) as ProgressEvent['metrics'],
        }
      : event;
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
  if (isTable(value))
    return {
      'text/html': tableHtml(value, { limit: 40 }),
      'text/plain': textTable(value.numRows() > 40 ? value.slice(0, 40) : value),
    };
  if (isGenotype(value)) {
    return {
      'text/html':
        `<div class="ednas-genotype" style="display:flex;flex-wrap:wrap;gap:8px">${cellDiagram(value, 'normal')}` +
        `${cellDiagram(value, 'reduce')}</div>`,
      'application/json': value,
      'text/plain': genotypeToDarts(value),
    };
  }
  if (isRnnGenotype(value))
    return {
      'image/svg+xml': recurrentCellDiagram(value),
      'application/json': value,
      'text/plain': rnnGenotypeToDarts(value),
    };
  const text = formatValue(value);
  return hasStructuredView(value) ? { 'text/html': valueHtml(value), 'text/plain': text } : { 'text/plain': text };
}
