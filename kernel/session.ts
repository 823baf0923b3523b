// One kernel session around tslab's TypeScript executor: cells are type-checked and run with shared state;
// the value of the last expression and any error are captured instead of printed, so the server can send
// them as execute_result and error messages.
import { createRequire } from 'node:module';
import { inspect as inspectValue } from 'node:util';

const require = createRequire(import.meta.url);
const { createExecutor } = require('tslab/dist/executor.js');
const { createConverter, isCompleteCode } = require('tslab/dist/converter.js');
const { printQuickInfo } = require('tslab/dist/inspect.js');

export interface CellError {
  ename: string;
  evalue: string;
  traceback: string[];
}

export type Outcome = { ok: true; hasValue: boolean; value?: unknown } | { ok: false; error: CellError };

interface Executor {
  execute(code: string): Promise<boolean>;
  complete(code: string, pos: number): { start: number; end: number; candidates: string[] };
  inspect(code: string, pos: number): unknown;
  interrupt(): void;
  close(): void;
}

export const INTERRUPTED = 'Interrupted asynchronously';

function toError(args: unknown[]): CellError {
  const [first] = args;
  if (typeof first === 'string' && first.startsWith('%s%d:%d')) {
    // A TypeScript diagnostic, printed by tslab as "file line:col - message".
    const [, file, line, col, message] = args as [string, string, number, number, string];
    const text = `${file}${line}:${col} - ${message}`;
    return { ename: 'TypeScriptError', evalue: text, traceback: [text] };
  }
  if (first instanceof Error) {
    const interrupted = first.message === INTERRUPTED || first.name === 'AbortError';
    return {
      ename: interrupted ? 'KeyboardInterrupt' : first.name,
      evalue: interrupted ? 'the cell was interrupted' : first.message,
      traceback: (first.stack ?? `${first.name}: ${first.message}`).split('\n'),
    };
  }
  const text = args.map((a) => (typeof a === 'string' ? a : inspectValue(a))).join(' ');
  return { ename: 'Error', evalue: text, traceback: [text] };
}

export class Session {
  private readonly executor: Executor;
  private captured: { hasValue: boolean; value?: unknown; errors: unknown[][] } = { hasValue: false, errors: [] };

  constructor(rootDir = process.cwd()) {
    const converters: { node?: unknown; browser?: unknown } = {};
    const convs = {
      get node() { return (converters.node ??= createConverter({ isJS: false, isBrowser: false })); },
      get browser() { return (converters.browser ??= createConverter({ isJS: false, isBrowser: true })); },
      close() { for (const c of Object.values(converters)) (c as { close(): void }).close(); },
    };
    void convs.node; // type-checker warm-up (about a second) before the first cell
    this.executor = createExecutor(rootDir, convs, {
      log: (value: unknown) => { this.captured.hasValue = true; this.captured.value = value; },
      error: (...args: unknown[]) => { this.captured.errors.push(args); },
    });
  }

  async execute(code: string): Promise<Outcome> {
    this.captured = { hasValue: false, errors: [] };
    const ok = await this.executor.execute(code);
    const { hasValue, value, errors } = this.captured;
    if (ok) return { ok: true, hasValue, value };
    // Several diagnostics: one error listing them all.
    const all = errors.map(toError);
    if (all.length === 0) return { ok: false, error: { ename: 'Error', evalue: 'the cell failed', traceback: [] } };
    return { ok: false, error: { ...all[0], traceback: all.flatMap((e) => e.traceback) } };
  }

  /** Stops a running cell at once (tslab's interrupt: its promise is abandoned). */
  interrupt(): void {
    this.executor.interrupt();
  }

  complete(code: string, cursor: number) {
    const r = this.executor.complete(code, cursor);
    return { matches: r.candidates, cursor_start: r.start, cursor_end: r.end, metadata: {}, status: 'ok' };
  }

  inspect(code: string, cursor: number) {
    const info = this.executor.inspect(code, cursor);
    return info ? { status: 'ok', found: true, data: { 'text/plain': printQuickInfo(info) }, metadata: {} } : { status: 'ok', found: false, data: {}, metadata: {} };
  }

  isComplete(code: string) {
    const r = isCompleteCode(code) as { completed: boolean; indent?: string };
    return r.completed ? { status: 'complete' } : { status: 'incomplete', indent: r.indent ?? '' };
  }

  close(): void {
    this.executor.close();
  }
}
