// Runs cells with shared state (ours; it replaces tslab's executor). checker.ts type-checks each cell and
// writes the declarations later cells are checked against. The session's names live in one scope object:
// a cell's own declarations are exported to it as they run, and earlier cells' names are read from it
// through `with`, so they behave as the checker typed them. A throw or an interrupt keeps every name bound
// before it, and the checker keeps knowing them. The synchronous part of a cell and each widget callback run
// with SIGINT watched (vm's breakOnSigint), so an interrupt stops a busy loop too; a loop that runs later
// (after an `await`) stops at its next iteration through sigint.ts's counter.
import { createRequire, SourceMap } from 'node:module';
import { join } from 'node:path';
import vm from 'node:vm';
import { compileCell } from './compile.ts';
import { declsAfterFailure } from './decls.ts';
import type { Checked, Diagnostic } from './checker.ts';
import { cellFrame, errorOf, footer, header, interruptError, type CellError, type CellSource } from './traceback.ts';
import { interrupts } from './sigint.ts';

const require = createRequire(import.meta.url);
const { getCodeMetadata } = require('tslab/dist/metadata.js');

export type Outcome = { ok: true; hasValue: boolean; value?: unknown } | { ok: false; error: CellError };

/** The type checker: a cell's errors, or the declarations known once it has run. */
export interface CellChecker {
  check(decls: string, cell: string): Checked;
}

/** Thrown into an abandoned cell's race by an interrupt. */
class Interrupted extends Error {}

const SCRIPT_INTERRUPTED = 'ERR_SCRIPT_EXECUTION_INTERRUPTED';
const GLOBAL = '__ednas_cell__';

/** Calls `f` with SIGINT watched: a SIGINT ends a busy `f` with an ERR_SCRIPT_EXECUTION_INTERRUPTED error. */
export function interruptible<T>(f: () => T): T {
  const g = globalThis as Record<string, unknown>;
  const saved = g.__ednas_call__;
  g.__ednas_call__ = f;
  interrupts.beginCallback();
  try {
    return vm.runInThisContext('__ednas_call__()', { filename: 'ednas-callback', breakOnSigint: true }) as T;
  } finally {
    g.__ednas_call__ = saved;
  }
}

/** vm's SIGINT error, or a loop's (KeyboardInterruptError, same code). */
export const isSigint = (e: unknown): boolean => (e as { code?: string })?.code === SCRIPT_INTERRUPTED;

export class Executor {
  private prevDecl = '';
  /** Every name the session bound, read by cells through `with` (no prototype: no inherited names). */
  private readonly scope: Record<string, unknown> = Object.create(null);
  private readonly exports: Record<string, unknown>;
  private readonly require: NodeJS.Require;
  /** The cells run so far by script file name: sources and maps for tracebacks. */
  private readonly cells = new Map<string, CellSource>();
  private seq = 0;
  private bound = new Set<string>();
  private current: { cell: CellSource; line: number; stop(e: Error): void } | undefined;

  constructor(
    rootDir: string,
    private readonly checker: CellChecker,
  ) {
    const scope = this.scope;
    const bind = (name: string | symbol, value: unknown, getter: boolean) => {
      if (typeof name !== 'string' || name === '__esModule') return true;
      this.bound.add(name);
      // A type-only import re-exported reads as undefined: it binds no value.
      if (!(getter && value === undefined)) scope[name] = value;
      return true;
    };
    this.exports = new Proxy(scope, {
      set: (_t, name, value) => bind(name, value, false),
      defineProperty: (_t, name, a) => bind(name, a.get ? a.get() : a.value, Boolean(a.get)),
    });
    const base = createRequire(join(rootDir, 'cell.js'));
    // `import * as tslab from 'tslab'` gets tslab's public API, as in tslab's own kernel.
    this.require = Object.assign((id: string) => (id === 'tslab' ? require('tslab') : base(id)), base);
  }

  /** The names the session has bound (cells' values). */
  get names(): Readonly<Record<string, unknown>> {
    return this.scope;
  }

  /** Declarations of the earlier cells' names, for the type checker (completion, inspection). */
  get declarations(): string {
    return this.prevDecl;
  }

  /** Runs a cell; an interrupt from its start on (type-checking included) stops it. */
  async execute(source: string, label = 'In[ ]'): Promise<Outcome> {
    interrupts.begin();
    try {
      return await this.run(source, label);
    } finally {
      interrupts.end();
    }
  }

  private async run(source: string, label: string): Promise<Outcome> {
    const meta = getCodeMetadata(source) as { module?: string; mode?: string };
    if (meta.module || meta.mode === 'browser') {
      const text =
        "tslab's %module and %browser cells are not supported by this kernel: " +
        'put shared code in a .ts file and import it';
      return {
        ok: false,
        error: {
          ename: 'UnsupportedCell',
          evalue: text,
          traceback: [...header('UnsupportedCell'), footer('UnsupportedCell', text)],
        },
      };
    }
    const file = `cell-${++this.seq}`;
    const cell: CellSource = { label, source };
    const checked = this.checker.check(this.prevDecl, source);
    if (checked.diagnostics.length) return { ok: false, error: this.typeError(cell, checked.diagnostics) };
    const declared = checked.declarations ?? this.prevDecl;

    const compiled = compileCell(source, file);
    cell.map = new SourceMap(compiled.map as ConstructorParameters<typeof SourceMap>[0]);
    this.cells.set(file, cell);
    let last: { value: unknown } | undefined;
    const run = { cell, line: 0, stop: (_e: Error) => {} };
    const stopped = new Promise<never>((_, reject) => {
      run.stop = reject;
    });
    stopped.catch(() => {});
    this.current = run;
    this.bound = new Set();
    const hooks = {
      at: (line: number, value?: unknown) => {
        run.line = line;
        return value;
      },
      last: (value: unknown) => {
        last = { value };
      },
      loop: interrupts.check,
    };
    (globalThis as Record<string, unknown>)[GLOBAL] = {
      scope: this.scope,
      exports: this.exports,
      require: this.require,
      hooks,
    };
    const script =
      `with (${GLOBAL}.scope) (async function (exports, require, __ednas) {\n${compiled.js}\n})` +
      `(${GLOBAL}.exports, ${GLOBAL}.require, ${GLOBAL}.hooks)`;
    try {
      const promise = vm.runInThisContext(script, {
        filename: file,
        lineOffset: -1,
        breakOnSigint: true,
      }) as Promise<void>;
      await Promise.race([promise, stopped]);
      this.prevDecl = declared;
      // As tslab (and IPython with None): an undefined or null last value shows nothing.
      return last && last.value != null
        ? { ok: true, hasValue: true, value: last.value }
        : { ok: true, hasValue: false };
    } catch (e) {
      this.prevDecl = declsAfterFailure(this.prevDecl, declared, new Set(compiled.names), this.bound);
      if (e instanceof Interrupted || isSigint(e)) return { ok: false, error: interruptError(cell, run.line) };
      return { ok: false, error: errorOf(e, this.cells) };
    } finally {
      if (this.current === run) this.current = undefined;
    }
  }

  /** Abandons the running cell at once; it is reported as a KeyboardInterrupt at its current line. */
  interrupt(): void {
    this.current?.stop(new Interrupted());
  }

  /** The running cell and its line, for a KeyboardInterrupt raised outside the executor. */
  interruptedAt(): CellError {
    return interruptError(this.current?.cell, this.current?.line ?? 0);
  }

  /** A thrown value as a traceback over the cells run so far (a widget callback's error). */
  errorOf(e: unknown): CellError {
    return errorOf(e, this.cells);
  }

  private typeError(cell: CellSource, diagnostics: Diagnostic[]): CellError {
    const ename = 'TypeScriptError';
    const text = (d: Diagnostic) => `${d.code ? `TS${d.code}: ` : ''}${d.messageText}`;
    const where = (d: Diagnostic) =>
      d.fileName
        ? `File ${d.fileName}, line ${d.start.line + 1}, column ${d.start.character + 1}`
        : cellFrame(cell, d.start.line + 1, d.start.character + 1);
    const first = diagnostics[0];
    const evalue =
      `${text(first)} (${first.fileName ?? cell.label}, ` +
      `line ${first.start.line + 1}, column ${first.start.character + 1})` +
      (diagnostics.length > 1 ? ` and ${diagnostics.length - 1} more` : '');
    return {
      ename,
      evalue,
      traceback: [...header(ename), ...diagnostics.flatMap((d) => [where(d), footer(ename, text(d))])],
    };
  }
}
