// One kernel session: cells run by our executor (executor.ts) with shared state; the checker (checker.ts,
// the project's TypeScript) type-checks them and answers completion and inspection against the earlier
// cells' declarations.
import { createRequire } from 'node:module';
import { Executor, type Outcome } from './executor.ts';
import { calleeAt } from './callee.ts';
import { Checker } from './checker.ts';

const require = createRequire(import.meta.url);
const { isCompleteCode } = require('tslab/dist/converter.js');
const { printQuickInfo } = require('tslab/dist/inspect.js');

export type { CellError } from './traceback.ts';
export type { Outcome } from './executor.ts';

export class Session {
  readonly executor: Executor;
  private readonly checker: Checker;

  constructor(rootDir = process.cwd()) {
    this.checker = new Checker(rootDir);
    this.executor = new Executor(rootDir, this.checker);
    // The checker's first program (lib and @types/node, about a second) is built before the first cell.
    this.checker.check('', '');
  }

  /** Runs a cell; `label` (`In[3]`) names it in tracebacks. */
  execute(code: string, label?: string): Promise<Outcome> {
    return this.executor.execute(code, label);
  }

  /** Abandons a running cell at once (reported as a KeyboardInterrupt at its line). */
  interrupt(): void {
    this.executor.interrupt();
  }

  complete(code: string, cursor: number) {
    const r = this.checker.complete(this.executor.declarations, code, cursor);
    return { matches: r.candidates, cursor_start: r.start, cursor_end: r.end, metadata: {}, status: 'ok' };
  }

  /** The type and doc of what the cursor is on; inside a call's parentheses, of the function called (as IPython). */
  inspect(code: string, cursor: number) {
    const at = calleeAt(code, cursor) ?? cursor;
    const info =
      this.checker.inspect(this.executor.declarations, code, at) ??
      this.checker.inspect(this.executor.declarations, code, cursor);
    return info
      ? { status: 'ok', found: true, data: { 'text/plain': printQuickInfo(info) }, metadata: {} }
      : { status: 'ok', found: false, data: {}, metadata: {} };
  }

  isComplete(code: string) {
    const r = isCompleteCode(code) as { completed: boolean; indent?: string };
    return r.completed ? { status: 'complete' } : { status: 'incomplete', indent: r.indent ?? '' };
  }

  close(): void {
    this.checker.close();
  }
}
