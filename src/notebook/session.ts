// A reactive notebook running on @observablehq/runtime: every cell is a variable whose inputs are other
// cells; redefining one re-runs exactly its transitive dependents (a running generator among them is
// returned, and its `invalidation` input resolves so training can stop at the next step). Errors, unknown
// names and cycles become cell errors. Status per cell (state, runs, value, error, cache) is observable.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Runtime, RuntimeError, type Module, type Variable } from '@observablehq/runtime';
import { parseCell, parseNotebook, type CellSource, type ParsedNotebook } from './parse.ts';
import { compileCell, loadImports, type Scope } from './compile.ts';
import { CellCache, cellKeys } from './cache.ts';
import { saveNotebook, textHash } from './save.ts';

export type CellState = 'pending' | 'running' | 'fulfilled' | 'rejected';

export interface CellStatus {
  name: string;
  source: CellSource;
  state: CellState;
  value?: unknown;
  error?: string;
  /** Times the definition ran (cache hits excluded). */
  runs: number;
  /** Values a generator cell has produced in its current run. */
  yields: number;
  /** A generator cell still producing values. */
  live: boolean;
  cache?: 'hit' | 'stored';
}

const isGenerator = (v: unknown): v is AsyncGenerator | Generator =>
  typeof v === 'object' && v !== null && typeof (v as Generator).next === 'function' && typeof (v as Generator).return === 'function';

/** A --set value: a number, true/false, JSON, or else the text itself. */
export function parseSetValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export class NotebookSession extends EventEmitter {
  readonly cells = new Map<string, CellStatus>();
  private readonly runtime: Runtime;
  private readonly module: Module;
  private readonly variables = new Map<string, Variable>();
  private keys = new Map<string, string>();
  private readonly generation = new Map<string, number>();
  /** Stops the runs in progress that take `invalidation` (an interrupt). */
  private readonly interrupts = new Set<() => void>();
  private disposed = false;

  private constructor(readonly file: string, private parsed: ParsedNotebook, private hash: string, private readonly scope: Scope, readonly cache?: CellCache) {
    super();
    this.runtime = new Runtime(undefined, (name) => {
      throw new RuntimeError(`${name} is not defined: no cell has that name`, name);
    });
    this.module = this.runtime.module();
  }

  get intro(): string {
    return this.parsed.intro;
  }

  /**
   * Loads and starts a notebook. Before anything runs: `sets` replace value cells (name -> value),
   * `edits` replace cells by new statements (a restarted page keeps its edits), and the cells named in
   * `stopped` are held with that message as their error instead of running (a runaway cell).
   */
  static async open(file: string, o: {
    cacheDir?: string | false; sets?: ReadonlyMap<string, unknown> | Record<string, unknown>; edits?: ReadonlyMap<string, string>; stopped?: ReadonlyMap<string, string>;
  } = {}): Promise<NotebookSession> {
    const sets: ReadonlyMap<string, unknown> = o.sets instanceof Map ? o.sets : new Map(Object.entries(o.sets ?? {}));
    const path = resolve(file);
    const text = readFileSync(path, 'utf8');
    const parsed = parseNotebook(text, path);
    const scope = await loadImports(parsed.imports, path);
    const cacheDir = o.cacheDir === false ? undefined : o.cacheDir ?? join(dirname(path), '.ednas-cache', basename(path).replace(/\.[tj]s$/, ''));
    const session = new NotebookSession(path, parsed, textHash(text), scope, cacheDir ? new CellCache(cacheDir) : undefined);
    const names = new Set(parsed.cells.map((c) => c.name));
    const unknown = [...sets.keys()].filter((n) => !names.has(n));
    if (unknown.length) throw new Error(`--set ${unknown[0]}: the notebook has no cell of that name; its cells are ${[...names].join(', ')}`);
    const sources = parsed.cells.map((c): CellSource => {
      const edited = o.edits?.get(c.name);
      const cell = sets.has(c.name) ? valueCell(c, sets.get(c.name)) : edited !== undefined ? { ...parseCell(edited), start: c.start, end: c.end } : c;
      const stopped = o.stopped?.get(c.name);
      return stopped === undefined ? cell : { ...cell, stopped };
    });
    session.keys = cellKeys(sources);
    for (const c of sources) session.defineCell(c);
    return session;
  }

  /** Stops every run in progress that reads `invalidation` (training cells) at its next step. */
  interrupt(): void {
    for (const stop of [...this.interrupts]) stop();
  }

  private changed(status: CellStatus): void {
    if (!this.disposed) this.emit('change', status);
  }

  private defineCell(source: CellSource): void {
    const name = source.name;
    let status = this.cells.get(name);
    if (!status) {
      status = { name, source, state: 'pending', runs: 0, yields: 0, live: false };
      this.cells.set(name, status);
    }
    const s = status;
    s.source = source;
    s.cache = undefined;
    let fn: (...inputs: unknown[]) => unknown;
    try {
      if (source.stopped !== undefined) throw new Error(source.stopped);
      fn = compileCell(source, this.scope);
    } catch (e) {
      const error = e as Error;
      fn = () => { throw error; };
    }
    const invalidationAt = source.inputs.indexOf('invalidation');
    const definition = (...inputs: unknown[]) => {
      const run = (this.generation.get(name) ?? 0) + 1;
      this.generation.set(name, run);
      const current = () => this.generation.get(name) === run && !this.disposed;
      const key = this.keys.get(name)!;
      s.yields = 0;
      s.live = false;
      if (source.cache && this.cache) {
        const hit = this.cache.get(name, key);
        if (hit.hit) {
          s.cache = 'hit';
          return hit.value;
        }
      }
      s.runs++;
      s.state = 'running';
      this.changed(s);
      const store = (value: unknown) => {
        if (source.cache && this.cache && current()) {
          this.cache.set(name, key, value);
          s.cache = 'stored';
        }
      };
      // A run that reads `invalidation` also stops on an interrupt.
      let release = () => {};
      if (invalidationAt >= 0) {
        let stop = () => {};
        const interrupted = new Promise<void>((r) => { stop = r; });
        this.interrupts.add(stop);
        release = () => { this.interrupts.delete(stop); };
        const invalidation = inputs[invalidationAt] as Promise<void>;
        invalidation.then(release, release);
        inputs[invalidationAt] = Promise.race([invalidation, interrupted]);
      }
      let result: unknown;
      try {
        result = fn(...inputs);
      } catch (e) {
        release();
        throw e;
      }
      if (!isGenerator(result)) {
        Promise.resolve(result).then(store, () => {}).finally(release);
        return result;
      }
      // Follow the generator: how many values, when it ends (storing the last value when cached).
      s.live = true;
      let last: unknown;
      const finish = () => {
        release();
        if (!current()) return;
        s.live = false;
        this.changed(s);
      };
      const gen = result as AsyncGenerator;
      return {
        next: (v?: unknown) => Promise.resolve(gen.next(v)).then((r) => {
          if (r.done) {
            store(last);
            finish();
          } else {
            last = r.value;
            if (current()) s.yields++;
          }
          return r;
        }, (e) => {
          finish();
          throw e;
        }),
        return: (v?: unknown) => {
          if (current()) s.live = false;
          return gen.return(v as never);
        },
        throw: (e?: unknown) => gen.throw(e),
      };
    };
    const observer = {
      pending: () => { s.state = s.state === 'running' ? 'running' : 'pending'; this.changed(s); },
      fulfilled: (value: unknown) => { s.state = 'fulfilled'; s.value = value; s.error = undefined; this.changed(s); },
      rejected: (error: unknown) => {
        s.state = 'rejected';
        s.value = undefined;
        s.error = error instanceof Error ? (error.name === 'AbortError' ? 'interrupted: the cell stopped at its next step' : error.message) : String(error);
        s.live = false;
        this.changed(s);
      },
    };
    const existing = this.variables.get(name);
    if (existing) existing.define(name, source.inputs, definition);
    else this.variables.set(name, this.module.variable(observer).define(name, source.inputs, definition));
  }

  /** Replaces a cell with new source text (the whole `export ...` statement); its dependents re-run. */
  redefine(name: string, text: string): CellStatus {
    const cell = parseCell(text);
    if (cell.name !== name) throw new Error(`the edited cell defines ${cell.name}, not ${name}; a cell keeps its name`);
    const old = this.cells.get(name);
    if (!old) throw new Error(`no cell named ${name}`);
    this.keys = cellKeys([...this.cells.values()].map((c) => (c.name === name ? cell : c.source)));
    this.defineCell({ ...cell, start: old.source.start, end: old.source.end });
    return this.cells.get(name)!;
  }

  /** Gives a value cell a new value (as `--set name=value` does). */
  setValue(name: string, value: unknown): CellStatus {
    const old = this.cells.get(name);
    if (!old) throw new Error(`no cell named ${name}`);
    return this.redefine(name, valueCell(old.source, value).text);
  }

  /** True when no cell is waiting, running or producing. */
  get idle(): boolean {
    return [...this.cells.values()].every((c) => (c.state === 'fulfilled' || c.state === 'rejected') && !c.live);
  }

  /** Resolves once the notebook has been idle for `quietMs` (the runtime schedules dependents asynchronously). */
  whenIdle(quietMs = 50): Promise<void> {
    return new Promise((resolveIdle) => {
      let timer: NodeJS.Timeout | undefined;
      const check = () => {
        clearTimeout(timer);
        if (this.idle) timer = setTimeout(() => { if (this.idle) { this.off('change', check); resolveIdle(); } }, quietMs);
      };
      this.on('change', check);
      check();
    });
  }

  /** Writes edits back to the notebook file (see save.ts: refused when the file changed outside). */
  save(): void {
    this.hash = saveNotebook(this.file, this.hash, new Map([...this.cells.values()].map((c) => [c.name, c.source.text])));
  }

  dispose(): void {
    this.disposed = true;
    this.runtime.dispose();
    this.removeAllListeners();
  }
}

/** A value cell holding `value`, in place of `cell`. */
function valueCell(cell: CellSource, value: unknown): CellSource {
  const literal = JSON.stringify(value);
  return { ...cell, text: `export const ${cell.name} = ${literal};`, expression: literal, isFunction: false, inputs: [] };
}
