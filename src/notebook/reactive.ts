// The reactive core of a notebook, on @observablehq/runtime: every cell is a variable whose inputs are other
// cells; redefining one re-runs exactly its transitive dependents (a running generator among them is
// returned, and its `invalidation` input resolves so training can stop at the next step). Errors, unknown
// names and cycles become cell errors. Status per cell (state, runs, value, error, cache) is observable.
// Input cells hold a value set from outside (the page's control, --set), checked against their range. Lazy
// cells (`@lazy`, or every computed cell in lazy mode) are held back when their inputs change: they are
// "stale", and so are the cells waiting on them, until `run()`; a cell that has taken a live cell's run
// follows that run's new values. It imports nothing of Node: where a cell's code comes from (compiled from
// the file in Node, a bundled module in a browser) and the on-disk cache are given to it (session.ts opens a
// notebook file in Node; browser/worker.ts runs an export's cells).
import { Runtime, RuntimeError, type Module, type Variable } from '@observablehq/runtime';
import type { CellSource } from './parse.ts';
import { inputValue, inputValueFromText, InputError, type InputSpec, type InputValue } from './inputs.ts';
import type { CellCache } from './cache.ts';
import { inputCell } from './cell-input.ts';
import { holdRun, SUPERSEDED, type HeldRun } from './cell-lazy.ts';
import { cachedRun } from './cell-cached.ts';
import { followGenerator, interruptible } from './cell-live.ts';
import { whenIdle } from './when-idle.ts';
import { Emitter } from './emitter.ts';

export type CellState = 'pending' | 'running' | 'fulfilled' | 'rejected' | 'stale';

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
  /** An input cell's control, with its current value. */
  input?: InputSpec;
  /** Whether it has computed a value once (a lazy cell runs by itself only the first time). */
  ran: boolean;
}

/** Options of a notebook's run (where the cells come from aside). */
export interface StartOptions {
  /** Values of value cells and input cells (name -> value). */
  sets?: ReadonlyMap<string, unknown> | Record<string, unknown>;
  /**
   * The same as command-line text (`--set NAME=VALUE`): input cells parse it by their kind, value cells as
   * JSON or text.
   */
  rawSets?: ReadonlyMap<string, string>;
  edits?: ReadonlyMap<string, string>;
  stopped?: ReadonlyMap<string, string>;
  /** Honour `@lazy` (the page does; scripts and exports run every cell). */
  lazy?: boolean;
  /** Lazy mode: every computed cell is held back when its inputs change (implies `lazy`). */
  lazyAll?: boolean;
}

export type CellFunction = (...inputs: unknown[]) => unknown;

/** Where the cells' code comes from: compiled from the notebook's file (Node), or a bundled module. */
export interface CellCode {
  /** What a run of a computed cell calls (throws the cell's error, e.g. a syntax error). */
  compile(source: CellSource): CellFunction;
  /** An input cell's declaration, checked. */
  describe(source: CellSource): InputSpec;
  /** A cell from the text of an edit (throws where cells cannot be edited). */
  parse(text: string): CellSource;
}

/** What a notebook is made of before it runs: its introduction and its cells in order. */
export interface NotebookCells {
  intro: string;
  cells: CellSource[];
}

/** The error of a cell stopped by an interrupt (its AbortError). */
const INTERRUPTED = 'interrupted: the cell stopped at its next step';

const isGenerator = (v: unknown): v is AsyncGenerator | Generator =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as Generator).next === 'function' &&
  typeof (v as Generator).return === 'function';

/** A --set value: a number, true/false, JSON, or else the text itself. */
export function parseSetValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export class ReactiveNotebook extends Emitter {
  readonly cells = new Map<string, CellStatus>();
  private readonly runtime: Runtime;
  private readonly module: Module;
  private readonly variables = new Map<string, Variable>();
  private keys = new Map<string, string>();
  private readonly generation = new Map<string, number>();
  /** Stops the runs in progress that take `invalidation` (an interrupt). */
  private readonly interrupts = new Set<() => void>();
  private disposed = false;
  /** Values of input cells set since the notebook opened. */
  private readonly inputValues = new Map<string, InputValue>();
  /** Lazy cells held back, with how to run them (or drop the held run). */
  private readonly held = new Map<string, HeldRun>();
  /** Cells asked to run (an edit, Run): their next computation is not held back. */
  private readonly explicit = new Set<string>();
  /** Each cell's run: what its readers follow (see defineCell: a live cell's new values are one run). */
  private readonly runOf = new Map<string, number>();
  /** The runs of each cell's inputs when it last computed. */
  private readonly inputRuns = new Map<string, string>();
  private lazy = false;
  private lazyAll = false;

  /**
   * The notebook named `file` (a path, or a name in a browser), its cells' code from `code`, values of
   * `@cache` cells kept in `cache`. Nothing runs until `start`.
   */
  constructor(
    readonly file: string,
    private readonly notebook: NotebookCells,
    private readonly code: CellCode,
    readonly cache?: CellCache,
  ) {
    super();
    this.runtime = new Runtime(undefined, (name) => {
      throw new RuntimeError(`${name} is not defined: no cell has that name`, name);
    });
    this.module = this.runtime.module();
  }

  get intro(): string {
    return this.notebook.intro;
  }

  /**
   * Starts the notebook. Before anything runs: `sets` replace value cells (name -> value), `edits` replace
   * cells by new statements (a restarted page keeps its edits), and the cells named in `stopped` are held
   * with that message as their error instead of running (a runaway cell).
   */
  start(o: StartOptions = {}): this {
    const sets: ReadonlyMap<string, unknown> = o.sets instanceof Map ? o.sets : new Map(Object.entries(o.sets ?? {}));
    const rawSets = o.rawSets ?? new Map<string, string>();
    this.lazy = Boolean(o.lazy || o.lazyAll);
    this.lazyAll = Boolean(o.lazyAll);
    const names = new Set(this.notebook.cells.map((c) => c.name));
    const unknown = [...sets.keys(), ...rawSets.keys()].filter((n) => !names.has(n));
    if (unknown.length)
      throw new Error(
        `--set ${unknown[0]}: the notebook has no cell of that name; its cells are ${[...names].join(', ')}`,
      );
    const sources = this.notebook.cells.map((c): CellSource => {
      const edited = o.edits?.get(c.name);
      const base = edited !== undefined ? { ...this.code.parse(edited), start: c.start, end: c.end } : c;
      if (base.input && (sets.has(c.name) || rawSets.has(c.name))) {
        // An input keeps its declaration; the value set is checked against it.
        const spec = this.code.describe(base);
        const raw = rawSets.get(c.name);
        this.inputValues.set(
          c.name,
          raw !== undefined
            ? inputValueFromText(`--set ${c.name}`, spec, raw)
            : inputValue(c.name, spec, sets.get(c.name)),
        );
        return base;
      }
      const cell = sets.has(c.name)
        ? valueCell(c, sets.get(c.name))
        : rawSets.has(c.name)
          ? valueCell(c, parseSetValue(rawSets.get(c.name)!))
          : base;
      const stopped = o.stopped?.get(c.name);
      return stopped === undefined ? cell : { ...cell, stopped };
    });
    this.keys = this.keysOf(sources);
    for (const c of sources) this.defineCell(c);
    return this;
  }

  /** The cache's keys of the cells (none without a cache). */
  private keysOf(sources: CellSource[]): Map<string, string> {
    return this.cache ? this.cache.keys(this.keySources(sources)) : new Map();
  }

  /** What cache keys are made of: each cell's code, and an input's current value with it. */
  private keySources(sources: CellSource[]): { name: string; inputs: string[]; text: string }[] {
    return sources.map((c) => (c.input ? { ...c, text: `${c.text}\0${JSON.stringify(this.inputValueOf(c))}` } : c));
  }

  /** An input's value: the one set, else its declaration's (set back to it, it finds what the first run kept). */
  private inputValueOf(c: CellSource): unknown {
    if (this.inputValues.has(c.name)) return this.inputValues.get(c.name);
    try {
      return this.code.describe(c).value;
    } catch {
      return undefined; // the cell shows the declaration's error
    }
  }

  /** Stops every run in progress that reads `invalidation` (training cells) at its next step. */
  interrupt(): void {
    for (const stop of [...this.interrupts]) stop();
  }

  private changed(status: CellStatus): void {
    if (!this.disposed) this.emit('change', status);
  }

  /** (Re)defines a cell: its function by kind (input or code), held back when lazy, run by compute. */
  private defineCell(source: CellSource): void {
    const s = this.statusOf(source);
    const fn = this.cellFunction(source, s);
    const holds = () => this.lazy && !source.input && source.isFunction && (source.lazy || this.lazyAll);
    let defined = true;
    const definition = (...inputs: unknown[]) => {
      // A computation follows the run it is part of when its inputs are in the runs they were in at its last
      // one (only a live cell upstream has a new value); a new definition, or new inputs, start a new run.
      const runs = source.inputs.map((i) => this.runOf.get(i) ?? 0).join();
      const follows = !defined && this.inputRuns.get(source.name) === runs;
      defined = false;
      const compute = () => {
        this.explicit.delete(source.name);
        this.inputRuns.set(source.name, runs);
        if (!follows) this.runOf.set(source.name, (this.runOf.get(source.name) ?? 0) + 1);
        return this.compute(source, s, fn, inputs);
      };
      // A lazy cell that has run once waits for run() when its inputs change; it follows a run it has taken.
      if (this.explicit.has(source.name) || !s.ran || !holds() || follows) return compute();
      const held = holdRun(source.name, this.held, compute);
      s.state = 'stale';
      this.changed(s);
      this.spreadStale();
      return held;
    };
    const variable = this.variables.get(source.name) ?? this.module.variable(this.observer(source, s));
    this.variables.set(source.name, variable.define(source.name, source.inputs, definition));
  }

  /** The cell's status, kept across definitions, with its source replaced. */
  private statusOf(source: CellSource): CellStatus {
    const name = source.name;
    let s = this.cells.get(name);
    if (!s) {
      s = { name, source, state: 'pending', runs: 0, yields: 0, live: false, ran: false };
      this.cells.set(name, s);
    }
    s.source = source;
    s.cache = undefined;
    s.input = undefined;
    return s;
  }

  /** What a run calls: an input's value, the compiled code, or a function that throws the cell's error. */
  private cellFunction(source: CellSource, s: CellStatus): CellFunction {
    try {
      if (source.stopped !== undefined) throw new Error(source.stopped);
      if (!source.input) return this.code.compile(source);
      const cell = inputCell(source.name, this.code.describe(source), this.inputValues.get(source.name), () => {
        this.inputValues.delete(source.name);
      });
      s.input = cell.input;
      return cell.fn;
    } catch (e) {
      const error = e as Error;
      return () => {
        throw error;
      };
    }
  }

  /** One run of a cell: from the cache, or its function (an interruptible one, a followed generator). */
  private compute(source: CellSource, s: CellStatus, fn: CellFunction, inputs: unknown[]): unknown {
    const name = source.name;
    s.ran = true;
    const run = (this.generation.get(name) ?? 0) + 1;
    this.generation.set(name, run);
    const current = () => this.generation.get(name) === run && !this.disposed;
    const cached = cachedRun(this.cache, source, this.keys.get(name) ?? '', s);
    s.yields = 0;
    s.live = false;
    // A live input's values come under one key: none is taken from the cache, each is stored over the last.
    const hit = source.inputs.some((i) => this.cells.get(i)?.live) ? undefined : cached.hit();
    if (hit) {
      s.cache = 'hit';
      return hit.value;
    }
    s.runs++;
    s.state = 'running';
    this.changed(s);
    const store = (value: unknown) => cached.store(value, current());
    const at = source.inputs.indexOf('invalidation');
    const release = at >= 0 ? interruptible(inputs, at, this.interrupts) : () => {};
    let result: unknown;
    try {
      result = fn(...inputs);
    } catch (e) {
      release();
      throw e;
    }
    if (isGenerator(result)) {
      return followGenerator(result, s, { current, store, release, changed: () => this.changed(s) });
    }
    Promise.resolve(result)
      .then(store, () => {})
      .finally(release);
    return result;
  }

  /** How the runtime's news of a cell's runs reach its status. */
  private observer(source: CellSource, s: CellStatus) {
    return {
      pending: () => {
        // Computed again: a held run is dropped (the runtime waits for a cell's previous run to settle).
        this.held.get(source.name)?.drop();
        const waits = source.inputs.some((i) => this.cells.get(i)?.state === 'stale');
        s.state = s.state === 'running' ? 'running' : waits ? 'stale' : 'pending';
        this.changed(s);
      },
      fulfilled: (value: unknown) => {
        s.state = 'fulfilled';
        s.value = value;
        s.error = undefined;
        this.changed(s);
      },
      rejected: (error: unknown) => {
        if (error === SUPERSEDED) return;
        s.state = 'rejected';
        s.value = undefined;
        s.error = this.interruption(error) ?? (error instanceof Error ? error.message : String(error));
        s.live = false;
        this.changed(s);
      },
    };
  }

  /**
   * What an interrupted cell shows, and the cells that read it (not the abort's own words): the runtime's
   * error of a reader names the input that failed.
   */
  private interruption(error: unknown): string | undefined {
    if (error instanceof Error && error.name === 'AbortError') return INTERRUPTED;
    const input = (error as { input?: unknown } | undefined)?.input;
    const upstream = typeof input === 'string' ? this.cells.get(input)?.error : undefined;
    if (upstream === INTERRUPTED) return `interrupted: ${input} stopped at its next step`;
    return upstream?.startsWith('interrupted: ') ? upstream : undefined;
  }

  /** Pending cells that wait on a stale cell are stale too. */
  private spreadStale(): void {
    for (let more = true; more; ) {
      more = false;
      for (const c of this.cells.values()) {
        if (c.state === 'pending' && c.source.inputs.some((i) => this.cells.get(i)?.state === 'stale')) {
          c.state = 'stale';
          this.changed(c);
          more = true;
        }
      }
    }
  }

  /** Replaces a cell with new source text (the whole `export ...` statement); it runs, its dependents re-run. */
  redefine(name: string, text: string): CellStatus {
    const cell = this.code.parse(text);
    if (cell.name !== name) throw new Error(`the edited cell defines ${cell.name}, not ${name}; a cell keeps its name`);
    const old = this.cells.get(name);
    if (!old) throw new Error(`no cell named ${name}`);
    this.keys = this.keysOf([...this.cells.values()].map((c) => (c.name === name ? cell : c.source)));
    this.explicit.add(name);
    this.defineCell({ ...cell, start: old.source.start, end: old.source.end });
    return this.cells.get(name)!;
  }

  /** Gives a value cell a new value (as `--set name=value` does); an input cell, a new value in its range. */
  setValue(name: string, value: unknown): CellStatus {
    const old = this.cells.get(name);
    if (!old) throw new Error(`no cell named ${name}`);
    if (old.source.input) return this.setInput(name, value);
    return this.redefine(name, valueCell(old.source, value).text);
  }

  /** A new value for an input cell (checked against its range); the cells that read it re-run. */
  setInput(name: string, value: unknown): CellStatus {
    const c = this.cells.get(name);
    if (!c) throw new Error(`no cell named ${name}`);
    if (!c.input)
      throw new InputError(`${name} is not an input cell (declare it with Inputs.range(...), Inputs.select(...), ...)`);
    this.inputValues.set(name, inputValue(name, c.input, value));
    this.keys = this.keysOf([...this.cells.values()].map((x) => x.source));
    this.defineCell(c.source);
    return c;
  }

  /** Runs a cell now: a stale one with the inputs it waits with, any other one again from its source. */
  run(name: string): CellStatus {
    const c = this.cells.get(name);
    if (!c) throw new Error(`no cell named ${name}`);
    const held = this.held.get(name);
    if (held) held.run();
    else {
      this.explicit.add(name);
      this.defineCell(c.source);
    }
    return c;
  }

  /** Runs every stale cell, and the stale cells after them. */
  runStale(): void {
    for (const c of this.cells.values()) if (c.state === 'stale') this.explicit.add(c.name);
    for (const h of [...this.held.values()]) h.run();
  }

  /** Lazy mode on: computed cells wait to be run when their inputs change; off: stale cells run now. */
  setLazyAll(on: boolean): void {
    this.lazyAll = on;
    if (on) this.lazy = true;
    else this.runStale();
  }

  /** True when no cell is waiting (other than stale ones), running or producing. */
  get idle(): boolean {
    return [...this.cells.values()].every(
      (c) => (c.state === 'fulfilled' || c.state === 'rejected' || c.state === 'stale') && !c.live,
    );
  }

  /** Resolves once the notebook has been idle for `quietMs` (the runtime schedules dependents asynchronously). */
  whenIdle(quietMs = 50): Promise<void> {
    return whenIdle(this, 'change', () => this.idle, quietMs);
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
  return {
    ...cell,
    text: `export const ${cell.name} = ${literal};`,
    expression: literal,
    isFunction: false,
    inputs: [],
  };
}
