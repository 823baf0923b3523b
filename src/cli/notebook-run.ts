// `ednas run NOTEBOOK [--set name=value ...]`: a reactive notebook as a script. Live cells print their
// progress as they go; when everything has settled, each cell's result is printed in notebook order.
// The cells run in a worker process: Ctrl-C stops them even in a loop. The exit status is 1 when a cell failed.
import { NotebookHost } from '../notebook/host.ts';
import type { CellView } from '../notebook/view.ts';
import { UsageError } from './args.ts';

const MAX_LINES = 12;

function summary(v: CellView): string {
  const text = String(v.output?.['text/plain'] ?? '');
  const lines = text.split('\n');
  return lines.length > MAX_LINES
    ? [...lines.slice(0, MAX_LINES), `... (${lines.length - MAX_LINES} more lines)`].join('\n')
    : text;
}

/** `--set NAME=VALUE` as typed: each cell reads its text (an input by its kind and range, a value cell as JSON or
 * text).
 */
export function parseSets(sets: string[] = []): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of sets) {
    const m = s.match(/^([A-Za-z_$][\w$]*)=(.*)$/s);
    if (!m) throw new UsageError(`--set expects NAME=VALUE (an input cell or a value cell, and its value), got '${s}'`);
    out.set(m[1], m[2]);
  }
  return out;
}

export async function runNotebook(file: string, o: { sets?: string[]; cache?: boolean } = {}): Promise<number> {
  const host = await NotebookHost.open(file, {
    rawSets: parseSets(o.sets),
    ...(o.cache === false && { cacheDir: false }),
  });
  const t0 = Date.now();
  const lastPrinted = new Map<string, number>();
  host.on('cell', (c: CellView) => {
    // Live cells: a progress line at most every 2 s per cell.
    if (c.live && c.state === 'fulfilled' && Date.now() - (lastPrinted.get(c.name) ?? 0) > 2000) {
      lastPrinted.set(c.name, Date.now());
      console.log(`[${((Date.now() - t0) / 1000).toFixed(0)} s] ${c.name}: ${summary(c)}`);
    }
  });
  host.on('problem', (message: string) => console.error(`problem: ${message}`));
  let onSigint = () => {};
  const sigint = new Promise<'interrupted'>((r) => {
    onSigint = () => r('interrupted');
  });
  process.once('SIGINT', onSigint);
  try {
    if ((await Promise.race([host.whenIdle(), sigint])) === 'interrupted') {
      await host.close();
      console.error('interrupted');
      return 130;
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
  let failed = 0;
  for (const c of host.cells.values()) {
    const cached = c.cached === 'hit' ? ' (from cache)' : '';
    if (c.state === 'rejected') {
      failed++;
      console.error(`── ${c.name}: error: ${c.error}`);
    } else {
      console.log(`── ${c.name}${cached}\n${summary(c)}`);
    }
  }
  console.log(`\n${host.cells.size} cells, ${failed} failed, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  await host.close();
  return failed ? 1 : 0;
}
