// A self-contained HTML report of a run: plotly.js is inlined, the cells are SVG and the results an HTML
// table, so the single file opens anywhere, offline, and is built only from the run's tables.
import type { ColumnTable } from 'arquero';
import type { Figure } from '../viz/figures.ts';
import { THEME_SCRIPT } from '../viz/theme.ts';
import { plotlyJs } from '../display/plotly.ts';
import { escapeHtml, tableHtml } from '../viz/html.ts';

export type Section =
  | { kind: 'text'; title?: string; html: string }
  | { kind: 'figure'; figure: Figure }
  | { kind: 'svg'; svg: string }
  | { kind: 'table'; title: string; table: ColumnTable };

export function renderReport(title: string, sections: Section[]): string {
  let figures = 0;
  const body = sections.map((s) => {
    switch (s.kind) {
      case 'text':
        return `${s.title ? `<h2>${escapeHtml(s.title)}</h2>` : ''}<div>${s.html}</div>`;
      case 'svg':
        return `<div class="svg">${s.svg}</div>`;
      case 'table':
        return `<h2>${escapeHtml(s.title)}</h2>${tableHtml(s.table)}`;
    }
    // What is left is a figure.
    const id = `fig${figures++}`;
    // JSON inside a script element: "</" must not end it early.
    const spec = JSON.stringify(s.figure).replace(/</g, '\\u003c');
    return (
      `<div id="${id}" class="fig"></div><script>(function(f){Plotly.newPlot(${JSON.stringify(id)}, ` +
      `{...f, layout: ednasTheme(f.layout), config: {responsive: true}});})(${spec});</script>`
    );
  });
  return (
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}
th{background:#f4f4f4}.fig{min-height:380px}pre{white-space:pre-wrap}.svg{margin:1em 0}` +
    `code{background:#f4f4f4;padding:0 .2em}
@media (prefers-color-scheme: dark){body{background:#161618;color:#e4e4e6}td,th{border-color:#444}` +
    `th,code{background:#26262a}}</style>
<script>${plotlyJs()}</script><script>${THEME_SCRIPT}</script></head>
<body><h1>${escapeHtml(title)}</h1>
${body.join('\n')}
</body></html>
`
  );
}
