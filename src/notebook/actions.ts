// What a notebook page may ask of its cells, each action declared once: its name (the page posts to
// /api/NAME), the shape of its message (checked from the page's JSON, with the error the page sees), what
// the worker does with it on the session, what the host keeps of it for a restart, and what the page is
// answered. The server, the host, the worker and the protocol read this table; adding an action touches it
// and, when the session lacks one, the session method that does the work.
import type { ReactiveNotebook } from './reactive.ts';
import type { InputValue } from './inputs.ts';

/** What a host keeps of the actions done, so a restarted worker opens the notebook as the page left it. */
export interface KeptState {
  edits: Map<string, string>;
  inputValues: Map<string, unknown>;
  lazyAll: boolean;
}

export interface Action<P> {
  /** The message from the page's JSON body; throws the error the page is answered with (HTTP 400). */
  parse(body: Record<string, unknown>): P;
  /** Done in the worker, on the open session; a throw is the refusal's reason. */
  run(session: ReactiveNotebook, payload: P): void;
  /** Kept by the host once the worker has done it. */
  keep?(state: KeptState, payload: P): void;
  /** More fields of the page's answer than {ok: true}. */
  answer?(payload: P): Record<string, unknown>;
}

const cellName = (body: Record<string, unknown>, expected: string): string => {
  if (typeof body.name !== 'string') throw new Error(expected);
  return body.name;
};

const action = <P>(a: Action<P>): Action<P> => a;

export const ACTIONS = {
  /** An edit: the cell's new statement; it and its dependents re-run. */
  define: action<{ name: string; text: string }>({
    parse: (body) => {
      const expected = 'expected {"name": CELL, "text": SOURCE}';
      if (typeof body.text !== 'string') throw new Error(expected);
      return { name: cellName(body, expected), text: body.text };
    },
    run: (session, p) => void session.redefine(p.name, p.text),
    keep: (state, p) => void state.edits.set(p.name, p.text),
  }),
  /** A new value for an input cell, checked against its range; the cells that read it re-run. */
  input: action<{ name: string; value: InputValue }>({
    parse: (body) => {
      // JSON carries no bytes: files picked on a page reach a live export's worker only, by postMessage.
      const expected = 'expected {"name": CELL, "value": a number, text or true/false}';
      const { value } = body;
      if (typeof value !== 'number' && typeof value !== 'string' && typeof value !== 'boolean')
        throw new Error(expected);
      return { name: cellName(body, expected), value };
    },
    run: (session, p) => void session.setInput(p.name, p.value),
    keep: (state, p) => void state.inputValues.set(p.name, p.value),
  }),
  /** Runs a cell now (a stale one, or any one again). */
  run: action<{ name: string }>({
    parse: (body) => ({ name: cellName(body, 'expected {"name": CELL}') }),
    run: (session, p) => void session.run(p.name),
  }),
  /** Runs every stale cell, and the stale cells after them. */
  'run-stale': action<Record<string, never>>({
    parse: () => ({}),
    run: (session) => session.runStale(),
  }),
  /** Lazy mode: computed cells wait to be run when their inputs change; off: the stale ones run. */
  lazy: action<{ lazy: boolean }>({
    parse: (body) => {
      if (typeof body.lazy !== 'boolean') throw new Error('expected {"lazy": true or false}');
      return { lazy: body.lazy };
    },
    run: (session, p) => session.setLazyAll(p.lazy),
    keep: (state, p) => {
      state.lazyAll = p.lazy;
    },
    answer: (p) => ({ lazy: p.lazy }),
  }),
};

export type ActionName = keyof typeof ACTIONS;
export type ActionPayload<N extends ActionName> = (typeof ACTIONS)[N] extends Action<infer P> ? P : never;

/** The action of that name; undefined for any other text (names of Object's prototype included). */
export function actionNamed(name: string): Action<unknown> | undefined {
  return Object.hasOwn(ACTIONS, name) ? (ACTIONS[name as ActionName] as Action<unknown>) : undefined;
}
