// A Jupyter widget model on the kernel's side, as ipywidgets keeps one: its state, opened to the front end
// on a comm of target `jupyter.widget` (widget protocol 2), kept in sync both ways ({method: 'update'}),
// observers called on every change whichever side made it, and a widget-view MIME bundle so that a
// widget shown in a cell renders as its control. Outside a kernel (no comm host) it is a plain object
// with the same API: values, observers, text output.
import { randomUUID } from 'node:crypto';
import { kernelHook, type Comm, type CommData } from '../hook.ts';
import { MIME_BUNDLE, type MimeBundle } from '../mime.ts';
import { defaultState, snake, STYLE_OF, type State } from './models.ts';

/** The text shown where a widget cannot be drawn: which front ends draw it. */
export const WIDGET_FALLBACK = 'A live widget: it shows in JupyterLab 4, Notebook 7 and VS Code (ipywidgets 8).';

/**
 * Runs a user's callback: under the kernel's interrupt guard (an interrupt stops even a busy loop), its
 * failure reported on stderr, the interrupt as a KeyboardInterrupt, so the callbacks after it still run.
 */
export async function runCallback(what: string, f: () => unknown): Promise<void> {
  const guard = kernelHook()?.guard;
  try {
    await (guard ? guard(f) : f());
  } catch (e) {
    const interrupted = (e as { code?: string })?.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED';
    console.error(
      interrupted ? `KeyboardInterrupt: ${what} was interrupted` : `${what} failed: ${(e as Error)?.stack ?? e}`,
    );
  }
}

export const WIDGET_TARGET = 'jupyter.widget';
export const WIDGET_VIEW_MIME = 'application/vnd.jupyter.widget-view+json';
/** The widget protocol this kernel speaks (ipywidgets 8). */
export const WIDGET_PROTOCOL_VERSION = '2.1.0';

export interface Change<T = unknown> {
  name: string;
  old: T;
  new: T;
  owner: Widget;
}

export type Observer<T = unknown> = (change: Change<T>) => unknown;

/** What every control takes: its label, whether it is disabled, a tooltip, and CSS layout and style. */
export interface CommonOptions {
  description?: string;
  disabled?: boolean;
  tooltip?: string;
  /** CSS of the widget's box: width, height, margin, ... (Jupyter's Layout). */
  layout?: Record<string, string>;
  /** Style of the control: descriptionWidth, handleColor, buttonColor, ... */
  style?: Record<string, string>;
}

const reference = (w: Widget) => `IPY_MODEL_${w.modelId}`;

/** State for the wire: widgets become references to their models. */
function serialize(v: unknown): unknown {
  if (v instanceof Widget) return reference(v);
  if (Array.isArray(v)) return v.map(serialize);
  return v;
}

const same = (a: unknown, b: unknown) => a === b || JSON.stringify(serialize(a)) === JSON.stringify(serialize(b));

export class Widget {
  readonly modelId: string;
  readonly modelName: string;
  protected readonly synced: State;
  private readonly comm: Comm | undefined;
  private readonly watchers = new Map<string, Set<Observer<never>>>();
  private closed = false;

  /** A model with its default state, then `values` (snake_case keys); its layout and style are opened first. */
  constructor(
    model: string,
    values: State = {},
    o: { layout?: Record<string, string>; style?: Record<string, string> } = {},
  ) {
    const state = defaultState(model);
    if ('layout' in state) state.layout = new Widget('LayoutModel', snakeKeys(o.layout));
    const style = STYLE_OF[model];
    if (style) state.style = new Widget(style, snakeKeys(o.style));
    // Options a model does not have (disabled on an HTML widget) are left out.
    for (const [k, v] of Object.entries(values)) if (v !== undefined && k in state) state[k] = v;
    this.synced = state;
    this.modelName = model;
    const comms = kernelHook()?.comms;
    if (!comms) {
      this.modelId = randomUUID().replace(/-/g, '');
      return;
    }
    const comm = comms.open(
      WIDGET_TARGET,
      { state: this.wireState(), buffer_paths: [] },
      { metadata: { version: WIDGET_PROTOCOL_VERSION } },
    );
    this.comm = comm;
    this.modelId = comm.id;
    comm.onMessage((data) => this.receive(data));
    comm.onClose(() => {
      this.closed = true;
    });
  }

  /** The state as the front end gets it (all keys, or those named). */
  wireState(keys: string[] = Object.keys(this.synced)): State {
    return Object.fromEntries(keys.map((k) => [k, serialize(this.synced[k])]));
  }

  /** Whether the front end may change `key` (ipywidgets syncs every trait; these are the ones a view writes). */
  protected writable(key: string): boolean {
    return key in this.synced && !key.startsWith('_') && !['layout', 'style', 'children'].includes(key);
  }

  /** A value as this model keeps it (a slider clamps into its range); throws on a value it cannot take. */
  protected coerce(_key: string, value: unknown): unknown {
    return value;
  }

  /**
   * Calls `observer` with {name, old, new, owner} whenever one of `names` changes, from the front end or
   * from code ('*': every key). Returns a function that stops it.
   */
  observe<T = unknown>(observer: Observer<T>, names: string | string[] = 'value'): () => void {
    const list = Array.isArray(names) ? names : [names];
    for (const n of list) {
      const set = this.watchers.get(n) ?? new Set();
      set.add(observer as Observer<never>);
      this.watchers.set(n, set);
    }
    return () => {
      for (const n of list) this.watchers.get(n)?.delete(observer as Observer<never>);
    };
  }

  /** Tells the observers of each change; resolves when the ones that return promises are done. */
  protected async notify(changes: Change[]): Promise<void> {
    for (const c of changes) {
      for (const observer of [...(this.watchers.get(c.name) ?? []), ...(this.watchers.get('*') ?? [])]) {
        // As ipywidgets does: a failing callback is reported and the others still run.
        await runCallback(`a callback observing ${this.modelName.replace(/Model$/, '')}.${c.name}`, () =>
          (observer as Observer)(c),
        );
      }
    }
  }

  /** Changes made in code: kept, sent to the front end, observers told. */
  protected assign(values: State): Promise<void> {
    const changes: Change[] = [];
    for (const [key, raw] of Object.entries(values)) {
      const value = this.coerce(key, raw);
      const old = this.synced[key];
      if (same(old, value)) continue;
      this.synced[key] = value;
      changes.push({ name: key, old, new: value, owner: this });
    }
    if (changes.length) this.sync(changes.map((c) => c.name));
    return this.notify(this.derived(changes));
  }

  /** Changes of values kept only here that follow from changes of the state (a dropdown's value from its index). */
  protected derived(changes: Change[]): Change[] {
    return changes;
  }

  /** Sends the current values of `keys` to the front end. */
  protected sync(keys: string[]): void {
    if (this.comm && !this.closed) this.comm.send({ method: 'update', state: this.wireState(keys), buffer_paths: [] });
  }

  /** A message from the front end: an update of the state, a request for it, or a custom event. */
  private async receive(data: CommData): Promise<void> {
    if (data.method === 'request_state') return this.sync(Object.keys(this.synced));
    if (data.method === 'custom') {
      await this.custom((data.content ?? {}) as CommData);
      return;
    }
    if (data.method !== 'update' || typeof data.state !== 'object' || data.state === null) return;
    const changes: Change[] = [];
    const corrected: string[] = [];
    for (const [key, given] of Object.entries(data.state as State)) {
      if (!this.writable(key)) continue;
      let value: unknown;
      try {
        value = this.coerce(key, given);
      } catch (e) {
        console.error(
          `${this.modelName.replace(/Model$/, '')}.${key}: ${(e as Error).message}; ` +
            `kept ${JSON.stringify(this.synced[key])}`,
        );
        corrected.push(key);
        continue;
      }
      if (!same(value, given)) corrected.push(key);
      const old = this.synced[key];
      if (same(old, value)) continue;
      this.synced[key] = value;
      changes.push({ name: key, old, new: value, owner: this });
    }
    // The front end shows what the model holds, not what it asked for.
    if (corrected.length) this.sync(corrected);
    await this.notify(this.derived(changes));
  }

  /** A custom message (a button's click, a text field's submit). */
  protected custom(_content: CommData): unknown {
    return undefined;
  }

  /** Closes the model in the front end; its views go away. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.comm?.close();
  }

  /** How the widget reads as text (outside a front end that renders widgets). */
  toString(): string {
    const v = this.synced.value;
    return `${this.modelName.replace(/Model$/, '')}(${v === undefined ? '' : `value=${JSON.stringify(v)}`})`;
  }

  [MIME_BUNDLE](): MimeBundle {
    const bundle: MimeBundle = { 'text/plain': this.toString() };
    if (!this.comm) return bundle;
    bundle[WIDGET_VIEW_MIME] = { version_major: 2, version_minor: 0, model_id: this.modelId };
    // What a front end without ipywidgets 8's renderer shows instead (classic Notebook 6, nbconvert).
    bundle['text/plain'] += `\n${WIDGET_FALLBACK}`;
    return bundle;
  }
}

const snakeKeys = (o: Record<string, unknown> = {}): State =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [snake(k), v]));

/** The keys every described control takes, from its options. */
export const commonState = (o: CommonOptions): State => ({
  description: o.description,
  disabled: o.disabled,
  tooltip: o.tooltip,
});
