// `ednas run NOTEBOOK [--set name=value ...]`: a reactive notebook as a script. Live cells print their
// progress as they go; when everything has settled, each cell's result is printed in notebook order.
// The exit status is 1 when a cell failed.
import { NotebookSession, parseSetValue } from '../notebook/session.ts';
import { mimeBundle } from '../display/mime.ts';
import { UsageError } from './args.ts';

const MAX_LINES = 12;

function summary(value: unknown): string {
  const text = String(mimeBundle(value)['text/plain'] ?? '');
  const lines = text.split('\n');
  return lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES), `... (${lines.length - MAX_LINES} more lines)`].join('\n') : text;
}

export function parseSets(sets: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of sets) {
    const m = s.match(/^([A-Za-z_$][\w$]*)=(.*)$/s);
    if (!m) throw new UsageError(`--set expects NAME=VALUE (a cell name and a JSON value or text), got '${s}'`);
    out[m[1]] = parseSetValue(m[2]);
  }
  return out;
}

export async function runNotebook(file: string, o: { sets?: string[]; cache?: boolean } = {}): Promise<number> {
  const session = await NotebookSession.open(file, { sets: parseSets(o.sets), ...(o.cache === false && { cacheDir: false }) });
  const t0 = Date.now();
  const lastPrinted = new Map<string, number>();
  session.on('change', (c) => {
    // Live cells: a progress line at most every 2 s per cell.
    if (c.live && c.state === 'fulfilled' && Date.now() - (lastPrinted.get(c.name) ?? 0) > 2000) {
      lastPrinted.set(c.name, Date.now());
      console.log(`[${((Date.now() - t0) / 1000).toFixed(0)} s] ${c.name}: ${summary(c.value)}`);
    }
  });
  const stop = () => session.dispose();
  process.once('SIGINT', stop);
  try {
    await session.whenIdle();
  } finally {
    process.off('SIGINT', stop);
  }
  let failed = 0;
  for (const c of session.cells.values()) {
    const cached = c.cache === 'hit' ? ' (from cache)' : '';
    if (c.state === 'rejected') {
      failed++;
      console.error(`── ${c.name}: error: ${c.error}`);
    } else {
      console.log(`── ${c.name}${cached}\n${summary(c.value)}`);
    }
  }
  console.log(`\n${session.cells.size} cells, ${failed} failed, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  session.dispose();
  return failed ? 1 : 0;
}
