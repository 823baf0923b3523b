// `ednas notebook NOTEBOOK --export-live DIR`: a folder any static web server can serve, in which the
// notebook runs in the reader's browser: index.html (the page of `ednas notebook`, with a
// Content-Security-Policy that allows only its own scripts), worker.js (the notebook module and the library
// bundled by esbuild for a Web Worker, 'ednas' resolved to the library's browser entry, src/browser.ts),
// TensorFlow.js' wasm files beside it, the page's scripts under static/, and CIFAR-10 under data/cifar10/
// (the bundled sample, with files.json: the names of its files). The cells' names, inputs, prose and
// controls are parsed here, once.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { parseNotebook } from '../parse.ts';
import { compileCell } from '../compile.ts';
import { checkInputSpec, DescribeInputs, isInputSpec, type InputSpec } from '../inputs.ts';
import { THEME_SCRIPT } from '../../viz/theme.ts';
import { editorBundle } from '../editor-bundle.ts';
import { pageHtml } from '../page-html.ts';
import type { LiveNotebook } from './worker.ts';
import { CIFAR10_INDEX } from '../../data/open-cifar10-browser.ts';

const require = createRequire(import.meta.url);
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The page's icon: a cell of the search space (a node, two edges). */
const ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><path d="M2 8h5M9 8l5-5M9 8l5 5" stroke="#46c"' +
  ' stroke-width="2"/><circle cx="8" cy="8" r="2.5" fill="#46c"/></svg>';

/** The most an export with the sample data should weigh (the issue's bound). */
export const LIVE_EXPORT_LIMIT_BYTES = 30e6;

/** The CIFAR-10 files an export carries by default: the sample bundled with the project. */
export const SAMPLE_CIFAR10 = here('../../../data/cifar10-sample/cifar-10-batches-bin');

export interface LiveExport {
  dir: string;
  /** Each file written (relative to dir) and its size in bytes. */
  files: { path: string; bytes: number }[];
  bytes: number;
}

/** The notebook's cells as the worker needs them, its input cells' controls described (no cell runs). */
export function liveNotebook(file: string): LiveNotebook {
  const text = readFileSync(file, 'utf8');
  const parsed = parseNotebook(text, file);
  // Input cells are calls of Inputs.KIND(...): evaluated with the describing Inputs under its local names.
  const scope: Record<string, unknown> = { Inputs: DescribeInputs };
  for (const i of parsed.imports)
    for (const [local, imported] of Object.entries(i.bindings))
      if (imported === 'Inputs') scope[local] = DescribeInputs;
  const inputs: Record<string, InputSpec> = {};
  for (const c of parsed.cells) {
    if (!c.input) continue;
    const spec = compileCell(c, scope)();
    if (!isInputSpec(spec)) throw new Error(`input ${c.name}: expected a call of Inputs.${c.input}(...)`);
    inputs[c.name] = checkInputSpec(c.name, spec);
  }
  return { title: basename(file), intro: parsed.intro, cells: parsed.cells, inputs };
}

/** The worker's script: the notebook module, the worker's side of the page, the library for browsers. */
async function workerBundle(file: string, notebook: LiveNotebook): Promise<string> {
  // Reports inline plotly.js, which a bundle cannot read from node_modules: the worker hands over the page's.
  // timer-frames.ts first: the notebook module and the library load before worker.ts, and must find no animation frame.
  const entry =
    `import ${JSON.stringify(here('./timer-frames.ts'))};\n` +
    `import * as cells from ${JSON.stringify(file)};\n` +
    "import { setPlotlySource } from 'ednas';\n" +
    `import { startLiveWorker } from ${JSON.stringify(here('./worker.ts'))};\n` +
    `startLiveWorker(cells, ${JSON.stringify(notebook)}, async () => {\n` +
    "  const plotly = await fetch('static/plotly.min.js');\n" +
    '  if (plotly.ok) setPlotlySource(await plotly.text());\n' +
    '});\n';
  const result = await build({
    stdin: { contents: entry, resolveDir: dirname(file), sourcefile: 'live-worker.js', loader: 'js' },
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
    alias: { ednas: here('../../browser.ts') },
    loader: { '.wasm': 'binary' },
    // Modules that find files beside themselves (import.meta.url) find them beside the worker.
    define: { 'process.env.NODE_ENV': '"production"', 'import.meta.url': 'self.location.href' },
  }).catch((e: { errors?: { text: string; location?: { file: string; line: number } | null }[] }) => {
    const first = e.errors
      ?.slice(0, 5)
      .map((m) => `${m.location ? `${m.location.file}:${m.location.line}: ` : ''}${m.text}`);
    throw new Error(
      `the notebook's cells do not bundle for a browser: ${first?.join('; ') ?? String(e)}. A live export runs ` +
        "in a browser: cells may import only 'ednas' and browser-safe modules (no node: modules).",
    );
  });
  return result.outputFiles[0].text;
}

/** Writes the live export of `file` into `dir`; `data`: the CIFAR-10 binary batches folder it carries. */
export async function exportLive(file: string, dir: string, o: { data?: string } = {}): Promise<LiveExport> {
  const path = resolve(file);
  const notebook = liveNotebook(path);
  const worker = await workerBundle(path, notebook);
  const files: { path: string; bytes: number }[] = [];
  const write = (name: string, content: string | Buffer) => {
    const to = join(dir, name);
    mkdirSync(dirname(to), { recursive: true });
    writeFileSync(to, content);
    files.push({ path: name, bytes: statSync(to).size });
  };
  const copy = (from: string, name: string) => write(name, readFileSync(from));
  // The page names its icon: else the browser asks for /favicon.ico, a 404 in the console of every page.
  const page = pageHtml({
    title: notebook.title,
    intro: notebook.intro,
    lazy: false,
    assets: 'static/',
    worker: 'worker.js',
  });
  write('index.html', page.replace('</head>', '<link rel="icon" href="static/icon.svg"></head>'));
  write('static/icon.svg', ICON);
  write('worker.js', worker);
  const wasm = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  for (const f of readdirSync(wasm).filter((n) => n.endsWith('.wasm'))) copy(join(wasm, f), f);
  copy(here('../page/page.js'), 'static/page.js');
  copy(here('../page/page.css'), 'static/page.css');
  copy(require.resolve('plotly.js-dist-min/plotly.min.js'), 'static/plotly.min.js');
  write('static/theme.js', THEME_SCRIPT);
  write('static/editor.js', editorBundle());
  const data = o.data ?? SAMPLE_CIFAR10;
  const carried = readdirSync(data).filter((n) => /\.(bin|txt)$/.test(n));
  for (const f of carried) copy(join(data, f), `data/cifar10/${f}`);
  // The files there, so that openCifar10 asks only for those (a missing batch would be a 404 in the console).
  write(`data/cifar10/${CIFAR10_INDEX}`, JSON.stringify(carried));
  return { dir, files, bytes: files.reduce((s, f) => s + f.bytes, 0) };
}
