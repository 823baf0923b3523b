// A notebook file run in Node (ReactiveNotebook in reactive.ts is the runtime): the file is read and parsed,
// its imports loaded (resolved from its folder) and each cell's TypeScript compiled with them in scope;
// `@cache` cells keep their values on disk beside it; edits are saved back into it.
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseCell, parseNotebook } from './parse.ts';
import { compileCell, describeInputCell, loadImports } from './compile.ts';
import { CellCache } from './cache.ts';
import { saveNotebook, textHash } from './save.ts';
import { ReactiveNotebook, type StartOptions } from './reactive.ts';

export { parseSetValue, type CellState, type CellStatus } from './reactive.ts';

/** Options of a notebook's run. */
export interface SessionOptions extends StartOptions {
  /** Where `@cache` cells keep their values (default .ednas-cache/NAME beside the file); false: nowhere. */
  cacheDir?: string | false;
}

export class NotebookSession extends ReactiveNotebook {
  private hash = '';

  /**
   * Loads and starts a notebook. Before anything runs: `sets` replace value cells (name -> value),
   * `edits` replace cells by new statements (a restarted page keeps its edits), and the cells named in
   * `stopped` are held with that message as their error instead of running (a runaway cell).
   */
  static async open(file: string, o: SessionOptions = {}): Promise<NotebookSession> {
    const path = resolve(file);
    const text = readFileSync(path, 'utf8');
    const parsed = parseNotebook(text, path);
    const scope = await loadImports(parsed.imports, path);
    const cacheDir =
      o.cacheDir === false
        ? undefined
        : (o.cacheDir ?? join(dirname(path), '.ednas-cache', basename(path).replace(/\.[tj]s$/, '')));
    const code = {
      compile: (source: Parameters<typeof compileCell>[0]) => compileCell(source, scope),
      describe: (source: Parameters<typeof compileCell>[0]) => describeInputCell(source, scope),
      parse: parseCell,
    };
    const session = new NotebookSession(path, parsed, code, cacheDir ? new CellCache(cacheDir) : undefined);
    session.hash = textHash(text);
    return session.start(o);
  }

  /** Writes edits back to the notebook file (see save.ts: refused when the file changed outside). */
  save(): void {
    this.hash = saveNotebook(
      this.file,
      this.hash,
      new Map([...this.cells.values()].map((c) => [c.name, c.source.text])),
    );
  }
}
