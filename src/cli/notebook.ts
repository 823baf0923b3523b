// `ednas notebook NOTEBOOK [--port P] [--lazy] [--set NAME=VALUE]`: the live page of a reactive notebook.
import { existsSync } from 'node:fs';
import { NotebookHost } from '../notebook/host.ts';
import { startNotebookServer } from '../notebook/server.ts';
import { numberOption, parseOptions, UsageError } from './args.ts';
import { parseSets } from './notebook-run.ts';

export const NOTEBOOK_HELP = `Usage: ednas notebook NOTEBOOK [--port P] [--lazy] [--set NAME=VALUE ...] [--no-cache]

Serves the page of a reactive notebook (e.g. notebooks/cifar-search.ts) on 127.0.0.1, at a URL with a
random token (the page runs code). Input cells show their control (a slider, a field, a choice, a
checkbox, a button): a new value re-runs exactly the cells that read it. Edit a cell and press Shift+Enter
(or its Run button) to re-run it and what depends on it. A cell marked @lazy, or every cell in lazy mode
(the "lazy" box), waits when its inputs change: it shows "stale" until you run it (Run, Shift+Enter, or
"Run stale"). "Save to file" (Ctrl+S) writes the edits back; "Interrupt" stops running cells (a cell that
does not stop is held back and the cells restart without it); "Restart" runs every cell again.
Ctrl-C stops the server.

  --port P            port (default: a free one)
  --lazy              start in lazy mode
  --set NAME=VALUE    an input cell's value (checked against its range), or a value cell's value
  --no-cache          ignore and do not write the on-disk cache of @cache cells`;

export async function notebookCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions('notebook', argv, {
    port: { type: 'string' }, 'no-cache': { type: 'boolean' }, lazy: { type: 'boolean' }, set: { type: 'string', multiple: true },
  });
  if (values.help) {
    console.log(NOTEBOOK_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`give one notebook file. Run 'ednas notebook --help'.`);
  if (!existsSync(positionals[0])) throw new UsageError(`no notebook at ${positionals[0]}`);
  const rawSets = parseSets(values.set);
  const cache = values['no-cache'] ? { cacheDir: false as const } : {};
  const port = numberOption('port', values.port, { min: 0, integer: true });
  if (port !== undefined && port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
  const host = await NotebookHost.open(positionals[0], { rawSets, lazy: true, lazyAll: Boolean(values.lazy), ...cache });
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
