// The notebook page's HTML, one for both hosts: the page server (`ednas notebook`: assets under /static/,
// the page's secret for its requests) and a live export (assets beside it, a Content-Security-Policy that
// allows only its own scripts, and the Web Worker that runs its cells; no Save: the reader has no file).
import { escapeHtml } from '../viz/html.ts';
import { markdownHtml } from './markdown.ts';

/**
 * What an export's page may do: its own scripts, styles and data only; WebAssembly compiled from its own
 * files ('wasm-unsafe-eval', tfjs' wasm backend); workers from its folder or blobs (tfjs' threads).
 * Inline styles stay allowed: plotly sets them on its elements.
 */
export const LIVE_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; " +
  "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' blob: data:; object-src 'none'";

export interface PageOptions {
  title: string;
  intro: string;
  lazy: boolean;
  /** Where page.js, page.css, plotly, theme.js and editor.js are ('/static/' or 'static/'). */
  assets: string;
  /** The server's page secret (X-EDNAS-XSRF). */
  xsrf?: string;
  /** A live export: the script of its Web Worker. */
  worker?: string;
}

export function pageHtml(o: PageOptions): string {
  const a = o.assets;
  const head = o.worker
    ? `<meta http-equiv="Content-Security-Policy" content="${LIVE_CSP}">
<meta name="ednas-live" content="${escapeHtml(o.worker)}">`
    : `<meta name="ednas-xsrf" content="${escapeHtml(o.xsrf ?? '')}">`;
  const save = o.worker ? '' : '\n<button id="save" title="Ctrl+S">Save to file</button>';
  const restart = o.worker
    ? 'Run every cell again in a fresh worker; inputs are kept'
    : 'Run every cell again in a fresh process; edits and inputs are kept';
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(o.title)} · EDNAS notebook</title>
${head}
<link rel="stylesheet" href="${a}page.css">
<script src="${a}plotly.min.js"></script><script src="${a}theme.js"></script>
<script src="${a}editor.js"></script>
</head><body data-idle="false" data-lazy="${o.lazy}"><header><h1>${escapeHtml(o.title)}</h1>
<span id="status">connecting</span>
<label title="Lazy: when inputs change, cells wait (stale) until you run them">
<input type="checkbox" id="lazy"${o.lazy ? ' checked' : ''}> lazy</label>
<button id="run-stale" title="Run every stale cell">Run stale</button>
<button id="interrupt" title="Stop the running cells (training stops at its next step)">Interrupt</button>
<button id="restart" title="${restart}">Restart</button>${save}</header>
<div id="problems"></div>
<main><section id="intro">${markdownHtml(o.intro)}</section><div id="cells"></div></main>
<script src="${a}page.js"></script></body></html>`;
}
