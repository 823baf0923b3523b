// A live export's Web Worker: it runs the notebook's cells in the reader's browser with the same reactive
// runtime as Node (reactive.ts) and the same messages (worker-loop.ts); the page (page.js) is its host.
// The cells' code is the notebook module itself, bundled at export time, so nothing is compiled here (no
// eval: the page's Content-Security-Policy forbids it); the cells' names, inputs, prose and input controls
// were parsed at export time (export-live.ts). Editing a cell needs the TypeScript compiler, which an export
// leaves out: an edit is refused with a message. Query parameters of the page set input and value cells as
// `--set NAME=VALUE` does (`?backend=wasm&epochs=1`).
import { ReactiveNotebook, type CellCode, type CellFunction } from '../reactive.ts';
import type { CellSource } from '../parse.ts';
import { checkInputSpec, type InputSpec } from '../inputs.ts';
import { actionNamed, type KeptState } from '../actions.ts';
import type { FromWorker, ToWorker } from '../protocol.ts';
import { serveCells } from '../worker-loop.ts';
import { checkedQuery } from './query.ts';

/** What the export parses of a notebook for its worker (embedded in worker.js as JSON). */
export interface LiveNotebook {
  title: string;
  intro: string;
  cells: CellSource[];
  /** Each input cell's control, as declared. */
  inputs: Record<string, InputSpec>;
}

const NO_EDITS =
  'editing cells needs `ednas notebook NOTEBOOK` (the TypeScript compiler stays out of a live export): ' +
  'run the notebook locally to change its code; inputs work here';

/** The cells' code from the bundled module: a function cell is its export, a value cell its value. */
export function moduleCode(module: Record<string, unknown>, notebook: LiveNotebook): CellCode {
  const original = new Map(notebook.cells.map((c) => [c.name, c]));
  return {
    compile(source: CellSource): CellFunction {
      if (source.text !== original.get(source.name)?.text) {
        // A value set from outside (valueCell): plain JSON, no code to run.
        const value: unknown = JSON.parse(source.expression);
        return () => value;
      }
      const made = module[source.name];
      if (source.isFunction) {
        if (typeof made !== 'function') throw new Error(`cell ${source.name}: the bundled module has no function`);
        return made as CellFunction;
      }
      return () => made;
    },
    describe: (source) => checkInputSpec(source.name, notebook.inputs[source.name]),
    parse: () => {
      throw new Error(NO_EDITS);
    },
  };
}

/**
 * Starts the worker's side: `module` is the bundled notebook, `notebook` its parsed description, `prepare`
 * what the library needs before the cells first run (what a page hands over: plotly's source).
 */
export function startLiveWorker(
  module: Record<string, unknown>,
  notebook: LiveNotebook,
  prepare: () => Promise<void> = async () => {},
): void {
  const scope = globalThis as unknown as {
    postMessage(m: FromWorker): void;
    addEventListener(type: 'message', l: (e: { data: ToWorker }) => void): void;
    addEventListener(type: 'unhandledrejection', l: (e: { reason: unknown }) => void): void;
  };
  const send = (m: FromWorker) => scope.postMessage(m);
  const describe = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  scope.addEventListener('unhandledrejection', (e) =>
    send({ type: 'problem', message: `a promise was rejected and nothing awaited it: ${describe(e.reason)}` }),
  );
  const code = moduleCode(module, notebook);
  const prepared = prepare();
  let kept: KeptState = { edits: new Map(), inputValues: new Map(), lazyAll: false };
  const cells = serveCells(
    send,
    async (o) => {
      await prepared;
      kept = { edits: new Map(o.edits), inputValues: new Map(o.sets), lazyAll: Boolean(o.lazyAll) };
      const rawSets = checkedQuery(o.rawSets ?? new Map(), notebook, (message) =>
        send({ type: 'problem', message, once: true }),
      );
      return new ReactiveNotebook(o.file, notebook, code).start({ ...o, rawSets });
    },
    (action, payload) => {
      actionNamed(action)!.keep?.(kept, payload);
      send({ type: 'kept', state: kept });
    },
  );
  scope.addEventListener('message', (e) => void cells.receive(e.data));
}
