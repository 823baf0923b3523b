// A reactive notebook as one self-contained HTML file: every cell's prose, source, input value and output,
// as the page shows them after a run. plotly.js is inlined and draws every figure (interactive: zoom,
// hover, sliders), so the file opens anywhere, offline, like the run reports. Sources and text outputs
// are escaped; HTML and SVG outputs are the library's own (escaped where they hold text).
import { readFileSync } from 'node:fs';
import { plotlyJs } from '../display/mime.ts';
import { escapeHtml } from '../viz/html.ts';
import { THEME_SCRIPT } from '../viz/theme.ts';
import { markdownHtml } from './markdown.ts';
import type { CellView } from './view.ts';

const json = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

function inputHtml(c: CellView): string {
  const spec = c.input!;
  const label = escapeHtml(spec.label ?? c.name);
  const value = escapeHtml(String(spec.value));
  const range =
    spec.min !== undefined || spec.max !== undefined
      ? ` <span class="range">(${spec.min ?? '−∞'} ` +
        `… ${spec.max ?? '∞'}${spec.step !== undefined ? `, step ${spec.step}` : ''})</span>`
      : '';
  const control =
    spec.kind === 'range'
      ? `<input type="range" disabled min="${escapeHtml(String(spec.min))}" max="${escapeHtml(String(spec.max))}" ` +
        `step="${escapeHtml(String(spec.step ?? 'any'))}" value="${value}">`
      : spec.kind === 'checkbox'
        ? `<input type="checkbox" disabled${spec.value ? ' checked' : ''}>`
        : '';
  const choices =
    spec.kind === 'select'
      ? ` <span class="range">of ${escapeHtml((spec.options ?? []).map(String).join(', '))}</span>`
      : '';
  return (
    `<div class="controls"><div class="input input-${spec.kind}"><label><span ` +
    `class="input-label">${label}</span>${control}<output>${value}</output>${range}${choices}</label></div></div>`
  );
}

function outputHtml(c: CellView, plot: () => string): string {
  const o = c.output;
  if (!o) return '';
  if (o.plotly) {
    const id = plot();
    return (
      `<div class="plot" id="${id}"></div><script type="application/json" ` +
      `id="${id}-spec">${json(o.plotly)}</script>`
    );
  }
  if (typeof o['image/svg+xml'] === 'string') return o['image/svg+xml'];
  if (typeof o['text/html'] === 'string') return o['text/html'];
  return `<pre>${escapeHtml(String(o['text/plain'] ?? ''))}</pre>`;
}

const EXPORT_CSS =
  '.cell pre.source{margin:6px 0;padding:6px 8px;border:1px solid var(--line);border-radius:4px;overflow-x:auto;' +
  `font:13px/1.45 ui-monospace,monospace;background:var(--bg)}
header .meta{color:var(--muted);font-size:13px}.controls .range{color:var(--muted);font-size:13px}`;

export function exportHtml(o: { title: string; intro: string; cells: CellView[]; when?: Date }): string {
  let plots = 0;
  const plot = () => `plot-${plots++}`;
  const failed = o.cells.filter((c) => c.state === 'rejected').length;
  const cells = o.cells.map((c) => {
    const badges = [
      `<span class="badge ${c.state}">${c.state}</span>`,
      ...(c.lazy ? ['<span class="badge lazy">lazy</span>'] : []),
      ...(c.cached === 'hit' ? ['<span class="badge cache">from cache</span>'] : []),
    ];
    const name = c.name + (c.inputs.length ? ` ← ${c.inputs.join(', ')}` : '');
    return `<article class="cell" id="cell-${escapeHtml(c.name)}" data-state="${c.state}">
<div class="prose">${c.proseHtml || markdownHtml(c.prose)}</div>
<div class="head"><span class="name">${escapeHtml(name)}</span><span class="badges">${badges.join('')}</span></div>
${c.input ? inputHtml(c) : ''}<pre class="source"><code>${escapeHtml(c.text)}</code></pre>
<div class="error">${c.state === 'rejected' ? escapeHtml(c.error ?? 'failed') : ''}</div>
<div class="output">${outputHtml(c, plot)}</div></article>`;
  });
  const css = readFileSync(new URL('./page/page.css', import.meta.url), 'utf8');
  const when = (o.when ?? new Date()).toISOString().replace('T', ' ').slice(0, 16);
  const meta = `exported ${escapeHtml(when)} UTC · ${o.cells.length} cells${failed ? `, ${failed} failed` : ''}`;
  return (
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(o.title)} · EDNAS notebook</title>
<style>${css}\n${EXPORT_CSS}</style>
<script>${plotlyJs()}</script><script>${THEME_SCRIPT}</script></head>
<body data-idle="true"><header><h1>${escapeHtml(o.title)}</h1><span class="meta">${meta}</span></header>
<main><section id="intro">${markdownHtml(o.intro)}</section><div id="cells">
${cells.join('\n')}
</div></main>
<script>document.querySelectorAll('.plot').forEach(function (el) {
  var f = JSON.parse(document.getElementById(el.id + '-spec').textContent);
  Plotly.newPlot(el, f.data, ednasTheme(f.layout), { responsive: true }).then(function () { ` +
    `if (f.frames) Plotly.addFrames(el, f.frames); });
});</script>
</body></html>
`
  );
}
