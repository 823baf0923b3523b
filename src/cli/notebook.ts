// `ednas notebook NOTEBOOK [--port P] [--lazy] [--set NAME=VALUE]`: the live page of a reactive notebook;
// with `--export FILE.html`, the notebook run headless and written as one self-contained HTML file; with
// `--export-live DIR`, a folder a static web server serves, in which the cells run in the reader's browser.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { NotebookHost } from '../notebook/host.ts';
import { startNotebookServer } from '../notebook/server.ts';
import { exportHtml } from '../notebook/export.ts';
import { exportLive, LIVE_EXPORT_LIMIT_BYTES } from '../notebook/browser/export-live.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { numberOption, parseOptions, UsageError } from './args.ts';
import { parseSets } from './notebook-run.ts';

export const NOTEBOOK_HELP = `Usage: ednas notebook NOTEBOOK [--port P] [--lazy] [--memory MB] [--set NAME=VALUE ...]
                            [--no-cache]
       ednas notebook NOTEBOOK --export FILE.html [--set NAME=VALUE ...] [--no-cache]
       ednas notebook NOTEBOOK --export-live DIR [--data DIR]

Serves the page of a reactive notebook (e.g. notebooks/cifar-search.ts) on 127.0.0.1, at a URL with a
random token (the page runs code). Input cells show their control (a slider, a field, a choice, a
checkbox, a button): a new value re-runs exactly the cells that read it. Edit a cell and press Shift+Enter
(or its Run button) to re-run it and what depends on it. A cell marked @lazy, or every cell in lazy mode
(the "lazy" box), waits when its inputs change: it shows "stale" until you run it (Run, Shift+Enter, or
"Run stale"). "Save to file" (Ctrl+S) writes the edits back; "Interrupt" stops running cells (a cell that
does not stop is held back and the cells restart without it); "Restart" runs every cell again.
Cells run in a process of their own: past its memory limit, or at Restart, it is stopped with every
process its cells started, and the cells run again in a fresh one (edits kept). Ctrl-C stops the server.

  --port P            port (default: a free one)
  --lazy              start in lazy mode
  --memory MB         the most memory the cells may take (default EDNAS_NOTEBOOK_MEMORY_MB, else 3/4 of
                      the machine's): past it the cells' process is stopped, not the server
  --set NAME=VALUE    an input cell's value (checked against its range), or a value cell's value
  --export FILE.html  run every cell (lazy ones too) and write one self-contained HTML file with each
                      cell's prose, source and output (figures interactive, plotly.js inlined: opens
                      offline), then exit (status 1 if a cell failed)
  --export-live DIR   write a folder that any static web server can serve (index.html, the cells and the
                      library bundled for the browser, TensorFlow.js' wasm files, CIFAR-10): opened, it is
                      this page with the cells running in the reader's browser (WebGPU, else wasm), inputs
                      included, edits not. Query parameters set cells: index.html?epochs=1&backend=wasm
  --data DIR          with --export-live: the CIFAR-10 binary batches it carries (default: the sample)
  --no-cache          ignore and do not write the on-disk cache of @cache cells`;

export async function notebookCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions('notebook', argv, {
    port: { type: 'string' },
    memory: { type: 'string' },
    'no-cache': { type: 'boolean' },
    export: { type: 'string' },
    'export-live': { type: 'string' },
    data: { type: 'string' },
    lazy: { type: 'boolean' },
    set: { type: 'string', multiple: true },
  });
  if (values.help) {
    console.log(NOTEBOOK_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`give one notebook file. Run 'ednas notebook --help'.`);
  if (!existsSync(positionals[0])) throw new UsageError(`no notebook at ${positionals[0]}`);
  const rawSets = parseSets(values.set);
  const cache = values['no-cache'] ? { cacheDir: false as const } : {};
  const live = values['export-live'];
  if (live !== undefined) {
    if (values.export !== undefined || values.port !== undefined || values.lazy || values.set)
      throw new UsageError('--export-live writes a folder the browser runs: leave out --export, --port, --lazy, --set');
    // An empty name would write the export into the current folder, among the user's own files.
    if (live.trim() === '') throw new UsageError('--export-live needs a folder name, e.g. --export-live site');
    // A folder with other files (the project, a home folder) is not overwritten; an earlier export is.
    if (
      existsSync(live) &&
      (!statSync(live).isDirectory() || (readdirSync(live).length > 0 && !existsSync(join(live, 'worker.js'))))
    )
      throw new UsageError(`--export-live ${live}: not an empty folder or an earlier export; name a new folder`);
    if (values.data !== undefined && !existsSync(values.data)) throw new UsageError(`no data folder at ${values.data}`);
    return exportLiveNotebook(positionals[0], live, values.data);
  }
  if (values.data !== undefined) throw new UsageError('--data goes with --export-live');
  if (values.export !== undefined) {
    if (values.port !== undefined || values.lazy)
      throw new UsageError('--export runs the notebook without a page: leave out --port and --lazy');
    if (!/\.html?$/i.test(values.export))
      throw new UsageError(`--export writes an HTML file; give a name ending in .html, got '${values.export}'`);
    return exportNotebook(positionals[0], values.export, { rawSets, ...cache });
  }
  const port = numberOption('port', values.port, { min: 0, integer: true });
  if (port !== undefined && port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
  const memoryMb = numberOption('memory', values.memory, { min: 64 });
  const options = { rawSets, lazy: true, lazyAll: Boolean(values.lazy), memoryMb, ...cache };
  const host = await NotebookHost.open(positionals[0], options);
  try {
    const server = await startNotebookServer(host, { port });
    console.log(`notebook page: ${server.url}`);
    await new Promise<void>((resolveStop) => process.once('SIGINT', resolveStop).once('SIGTERM', resolveStop));
    await server.close();
  } finally {
    await host.close();
  }
  return 0;
}

async function exportNotebook(
  file: string,
  out: string,
  o: { rawSets: Map<string, string>; cacheDir?: false },
): Promise<number> {
  const t0 = Date.now();
  const host = await NotebookHost.open(file, o);
  try {
    host.on('problem', (message: string) => console.error(`problem: ${message}`));
    await host.whenIdle();
    const cells = [...host.cells.values()];
    const html = exportHtml({ title: basename(file), intro: host.intro, cells });
    writeFileAtomic(out, html);
    const failed = cells.filter((c) => c.state === 'rejected');
    for (const c of failed) console.error(`── ${c.name}: error: ${c.error}`);
    console.log(
      `exported ${cells.length} cells${failed.length ? ` (${failed.length} failed)` : ''} to ${out} ` +
        `(${(html.length / 1e6).toFixed(1)} MB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    return failed.length ? 1 : 0;
  } finally {
    await host.close();
  }
}

async function exportLiveNotebook(file: string, dir: string, data?: string): Promise<number> {
  const t0 = Date.now();
  const out = await exportLive(file, dir, { data });
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
  const largest = [...out.files].sort((a, b) => b.bytes - a.bytes).slice(0, 4);
  console.log(
    `exported ${file} to ${dir}/ for the browser: ${out.files.length} files, ${mb(out.bytes)} ` +
      `(${largest.map((f) => `${f.path} ${mb(f.bytes)}`).join(', ')}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  if (out.bytes > LIVE_EXPORT_LIMIT_BYTES)
    console.warn(`note: over ${mb(LIVE_EXPORT_LIMIT_BYTES)}, mostly its data; readers download all of it`);
  console.log(`serve it with any static web server, e.g. npx http-server ${dir}, and open its index.html`);
  return 0;
}
