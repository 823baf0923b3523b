// The controls of @jupyter-widgets/controls that notebooks turn knobs with: sliders, a dropdown, a
// checkbox, a button, a text field, HTML and a label, a progress bar. Each keeps its value here
// (`w.value`, read and written), clamps or checks what the front end sends, and calls its observers.
import type { CommData } from '../hook.ts';
import { commonState, runCallback, Widget, type Change, type CommonOptions } from './widget.ts';

type SliderOptions = CommonOptions & {
  value?: number;
  min?: number;
  max?: number;
  step?: number;
  continuousUpdate?: boolean;
  readout?: boolean;
  readoutFormat?: string;
  orientation?: 'horizontal' | 'vertical';
};

const finite = (key: string, v: unknown): number => {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new Error(`${key} must be a finite number, got ${JSON.stringify(v)}`);
  return v;
};

/** A widget whose `value` is read and written as it is synced (checked by `coerce` on the way in). */
abstract class Valued<T> extends Widget {
  get value(): T {
    return this.synced.value as T;
  }
  set value(v: T) {
    void this.assign({ value: v });
  }
}

abstract class Slider extends Valued<number> {
  constructor(model: string, o: SliderOptions, integer: boolean) {
    const min = o.min ?? 0;
    const max = o.max ?? 100;
    if (!(min <= max)) throw new Error(`a slider needs min <= max, got min ${min} and max ${max}`);
    if (integer && [o.value, min, max, o.step].some((v) => v !== undefined && !Number.isInteger(v)))
      throw new Error('an IntSlider takes integers; use a FloatSlider');
    super(
      model,
      {
        ...commonState(o),
        min,
        max,
        step: o.step,
        continuous_update: o.continuousUpdate,
        readout: o.readout,
        readout_format: o.readoutFormat,
        orientation: o.orientation,
        value: Math.min(max, Math.max(min, o.value ?? min)),
      },
      o,
    );
  }

  protected coerce(key: string, v: unknown): unknown {
    if (key === 'value') return Math.min(this.max, Math.max(this.min, finite(key, v)));
    if (key === 'min' || key === 'max' || key === 'step') return finite(key, v);
    return v;
  }

  get min(): number {
    return this.synced.min as number;
  }
  set min(v: number) {
    void this.assign({ min: v, value: Math.max(v, this.value) });
  }
  get max(): number {
    return this.synced.max as number;
  }
  set max(v: number) {
    void this.assign({ max: v, value: Math.min(v, this.value) });
  }
}

/** A slider over integers (ipywidgets' IntSlider). */
export class IntSlider extends Slider {
  constructor(o: SliderOptions = {}) {
    super('IntSliderModel', o, true);
  }

  protected coerce(key: string, v: unknown): unknown {
    const c = super.coerce(key, v);
    return typeof c === 'number' && ['value', 'min', 'max', 'step'].includes(key) ? Math.round(c) : c;
  }
}

/** A slider over numbers (ipywidgets' FloatSlider). */
export class FloatSlider extends Slider {
  constructor(o: SliderOptions = {}) {
    super('FloatSliderModel', { step: 0.1, ...o }, false);
  }
}

type Option<T> = T | readonly [label: string, value: T];

/**
 * A dropdown over options: plain values (shown as text) or [label, value] pairs. The front end knows
 * only the labels and the index; the values stay here, so any value (an object, a function) works.
 */
export class Dropdown<T = string> extends Widget {
  private options: { label: string; value: T }[] = [];

  constructor(o: CommonOptions & { options: readonly Option<T>[]; value?: T; index?: number }) {
    const options = Dropdown.normalise(o.options);
    const at =
      o.value !== undefined ? options.findIndex((x) => x.value === o.value) : (o.index ?? (options.length ? 0 : -1));
    if (o.value !== undefined && at < 0)
      throw new Error(`the dropdown's value ${JSON.stringify(o.value)} is not one of its options`);
    super(
      'DropdownModel',
      { ...commonState(o), _options_labels: options.map((x) => x.label), index: at < 0 ? null : at },
      o,
    );
    this.options = options;
  }

  private static normalise<T>(options: readonly Option<T>[]): { label: string; value: T }[] {
    return options.map((x) =>
      Array.isArray(x) && x.length === 2 && typeof x[0] === 'string'
        ? { label: x[0], value: x[1] as T }
        : { label: String(x), value: x as T },
    );
  }

  protected coerce(key: string, v: unknown): unknown {
    if (key !== 'index' || v === null) return v;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= (this.synced._options_labels as string[]).length)
      throw new Error(`index must be an option's index, got ${JSON.stringify(v)}`);
    return v;
  }

  /** A change of index is a change of value and label, for observers. */
  protected derived(changes: Change[]): Change[] {
    const out = [...changes];
    for (const c of changes) {
      if (c.name !== 'index') continue;
      const at = (i: unknown) => (typeof i === 'number' ? this.options[i] : undefined);
      out.push({ name: 'value', old: at(c.old)?.value, new: at(c.new)?.value, owner: this });
      out.push({ name: 'label', old: at(c.old)?.label, new: at(c.new)?.label, owner: this });
    }
    return out;
  }

  get index(): number | null {
    return this.synced.index as number | null;
  }
  set index(i: number | null) {
    void this.assign({ index: i });
  }
  get value(): T | undefined {
    return this.index === null ? undefined : this.options[this.index]?.value;
  }
  set value(v: T | undefined) {
    const i = this.options.findIndex((x) => x.value === v);
    if (i < 0) throw new Error(`${JSON.stringify(v)} is not one of the dropdown's options`);
    this.index = i;
  }
  get label(): string | undefined {
    return this.index === null ? undefined : this.options[this.index]?.label;
  }

  /** New options; the value is kept when it is still one of them, else the first is chosen. */
  setOptions(options: readonly Option<T>[]): void {
    const keep = this.value;
    this.options = Dropdown.normalise(options);
    const at = this.options.findIndex((x) => x.value === keep);
    void this.assign({
      _options_labels: this.options.map((x) => x.label),
      index: at >= 0 ? at : this.options.length ? 0 : null,
    });
  }

  toString(): string {
    return (
      `Dropdown(value=${JSON.stringify(this.label ?? null)}, ` +
      `options=${JSON.stringify(this.options.map((x) => x.label))})`
    );
  }
}

/** A checkbox (true or false). */
export class Checkbox extends Valued<boolean> {
  constructor(o: CommonOptions & { value?: boolean; indent?: boolean } = {}) {
    super('CheckboxModel', { ...commonState(o), value: o.value ?? false, indent: o.indent }, o);
  }

  protected coerce(key: string, v: unknown): unknown {
    if (key === 'value' && typeof v !== 'boolean')
      throw new Error(`value must be true or false, got ${JSON.stringify(v)}`);
    return v;
  }
}

/** A button; `onClick` callbacks run on every click in the front end (or `click()` here). */
export class Button extends Widget {
  private readonly clicks = new Set<(b: Button) => unknown>();

  constructor(
    o: CommonOptions & { buttonStyle?: '' | 'primary' | 'success' | 'info' | 'warning' | 'danger'; icon?: string } = {},
  ) {
    super('ButtonModel', { ...commonState(o), button_style: o.buttonStyle, icon: o.icon }, o);
  }

  /** Runs `callback` on each click; returns a function that stops it. */
  onClick(callback: (b: Button) => unknown): () => void {
    this.clicks.add(callback);
    return () => this.clicks.delete(callback);
  }

  /** Clicks the button from code. */
  async click(): Promise<void> {
    for (const c of [...this.clicks])
      await runCallback(`a click callback of the button "${this.description}"`, () => c(this));
  }

  protected custom(content: CommData): unknown {
    return content.event === 'click' ? this.click() : undefined;
  }

  get description(): string {
    return this.synced.description as string;
  }
  set description(v: string) {
    void this.assign({ description: v });
  }
  get disabled(): boolean {
    return this.synced.disabled as boolean;
  }
  set disabled(v: boolean) {
    void this.assign({ disabled: v });
  }

  toString(): string {
    return `Button(description=${JSON.stringify(this.description)})`;
  }
}

/** A line of text; `onSubmit` callbacks run when Enter is pressed in it. */
export class Text extends Valued<string> {
  private readonly submits = new Set<(t: Text) => unknown>();

  constructor(o: CommonOptions & { value?: string; placeholder?: string; continuousUpdate?: boolean } = {}) {
    super(
      'TextModel',
      { ...commonState(o), value: o.value ?? '', placeholder: o.placeholder, continuous_update: o.continuousUpdate },
      o,
    );
  }

  protected coerce(key: string, v: unknown): unknown {
    if (key === 'value' && typeof v !== 'string') throw new Error(`value must be text, got ${JSON.stringify(v)}`);
    return v;
  }

  onSubmit(callback: (t: Text) => unknown): () => void {
    this.submits.add(callback);
    return () => this.submits.delete(callback);
  }

  protected async custom(content: CommData): Promise<void> {
    if (content.event !== 'submit') return;
    for (const c of [...this.submits]) await runCallback('a submit callback of a text field', () => c(this));
  }
}

/** Text the front end only shows (HTML or a label): the value is written here, never by the front end. */
abstract class Shown extends Valued<string> {
  constructor(model: string, o: CommonOptions & { value?: string }) {
    super(model, { ...commonState(o), value: o.value ?? '' }, o);
  }

  protected writable(): boolean {
    return false;
  }
}

/** HTML shown as it is (the library's figures as SVG, tables, formatted text). */
export class HTML extends Shown {
  constructor(o: CommonOptions & { value?: string } = {}) {
    super('HTMLModel', o);
  }

  toString(): string {
    return `HTML(${this.value.length} characters)`;
  }
}

/** A line of plain text. */
export class Label extends Shown {
  constructor(o: CommonOptions & { value?: string } = {}) {
    super('LabelModel', o);
  }
}

/** A progress bar over integers. */
export class IntProgress extends Widget {
  constructor(
    o: CommonOptions & {
      value?: number;
      min?: number;
      max?: number;
      barStyle?: '' | 'success' | 'info' | 'warning' | 'danger';
    } = {},
  ) {
    super(
      'IntProgressModel',
      { ...commonState(o), value: o.value ?? 0, min: o.min, max: o.max, bar_style: o.barStyle },
      o,
    );
  }

  protected writable(): boolean {
    return false;
  }

  get value(): number {
    return this.synced.value as number;
  }
  set value(v: number) {
    void this.assign({ value: Math.round(v) });
  }
  get max(): number {
    return this.synced.max as number;
  }
  set max(v: number) {
    void this.assign({ max: Math.round(v) });
  }
  set barStyle(v: '' | 'success' | 'info' | 'warning' | 'danger') {
    void this.assign({ bar_style: v });
  }
}
