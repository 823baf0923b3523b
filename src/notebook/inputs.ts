// Input cells of a reactive notebook, in the spirit of Observable's `view(Inputs.range(...))`:
//
//   export const lr = Inputs.range([0.001, 0.2], { value: 0.05, step: 0.001, label: 'learning rate' });
//
// In the file the call is typed as the value it gives (a number here), so `tsc` checks the cells that read
// it; as plain code it returns its value. The notebook runtime reads the same call as the input's
// description: the page shows a control next to the cell, and a new value re-runs exactly the cells that
// read it. Values are checked against the input's range with the settings' rules (train/settings.ts), from
// the page and from `ednas run --set NAME=VALUE` alike.
import { allowed, checkValue, parseRaw, SettingError, type Setting } from '../train/settings.ts';

export type InputKind = 'range' | 'number' | 'select' | 'checkbox' | 'text' | 'button' | 'file';
/** A file picked on the page: its name and bytes. */
export interface PickedFile {
  name: string;
  bytes: Uint8Array;
}
export type InputValue = number | string | boolean | PickedFile[];

/** What an input cell declares: its control and its value (the declared one, or the one set since). */
export interface InputSpec {
  kind: InputKind;
  value: InputValue;
  label?: string;
  min?: number;
  max?: number;
  step?: number;
  options?: InputValue[];
  placeholder?: string;
  /** A file input's accepted names (the file picker's `accept`, e.g. '.bin,.txt'). */
  accept?: string;
}

interface Labelled {
  label?: string;
}
type Bounds = readonly [min: number, max: number];

const SPEC = Symbol.for('ednas.inputSpec');
const spec = (s: InputSpec): InputSpec => Object.assign(s, { [SPEC]: true });
export const isInputSpec = (v: unknown): v is InputSpec =>
  typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[SPEC] === true;

/** Input cells: each call gives its value (in the runtime, it describes the control). */
export const Inputs = {
  /** A slider over [min, max] (integers when `step` is a whole number). */
  range(bounds: Bounds, o: Labelled & { value?: number; step?: number } = {}): number {
    return o.value ?? bounds[0];
  },
  /** A number field, optionally bounded. */
  number(bounds?: Bounds, o: Labelled & { value?: number; step?: number } = {}): number {
    return o.value ?? bounds?.[0] ?? 0;
  },
  /** A choice among `options` (text or numbers). */
  select<T extends string | number>(options: readonly T[], o: Labelled & { value?: T } = {}): T {
    return o.value ?? options[0];
  },
  checkbox(o: Labelled & { value?: boolean } = {}): boolean {
    return o.value ?? false;
  },
  text(o: Labelled & { value?: string; placeholder?: string } = {}): string {
    return o.value ?? '';
  },
  /** A button; its value counts the clicks (0 at first), so the cells that read it run on each click. */
  button(label: string): number {
    void label;
    return 0;
  },
  /**
   * Files picked from the reader's disk (a live export's page: the bytes stay in the browser); none at first.
   * The page of `ednas notebook` reads files from the machine it runs on instead, so it shows no picker.
   */
  file(o: Labelled & { accept?: string } = {}): PickedFile[] {
    void o;
    return [];
  },
};

/** The same calls, describing the input instead (what the runtime evaluates an input cell's call with). */
export const DescribeInputs: { [K in keyof typeof Inputs]: (...args: never[]) => InputSpec } = {
  range: (bounds: Bounds, o: Labelled & { value?: number; step?: number } = {}) =>
    spec({
      kind: 'range',
      value: o.value ?? bounds?.[0],
      min: bounds?.[0],
      max: bounds?.[1],
      step: o.step,
      label: o.label,
    }),
  number: (bounds?: Bounds, o: Labelled & { value?: number; step?: number } = {}) =>
    spec({
      kind: 'number',
      value: o.value ?? bounds?.[0] ?? 0,
      min: bounds?.[0],
      max: bounds?.[1],
      step: o.step,
      label: o.label,
    }),
  select: (options: readonly InputValue[], o: Labelled & { value?: InputValue } = {}) =>
    spec({ kind: 'select', value: o.value ?? options?.[0], options: options ? [...options] : options, label: o.label }),
  checkbox: (o: Labelled & { value?: boolean } = {}) =>
    spec({ kind: 'checkbox', value: o.value ?? false, label: o.label }),
  text: (o: Labelled & { value?: string; placeholder?: string } = {}) =>
    spec({ kind: 'text', value: o.value ?? '', placeholder: o.placeholder, label: o.label }),
  button: (label: string) => spec({ kind: 'button', value: 0, label }),
  file: (o: Labelled & { accept?: string } = {}) => spec({ kind: 'file', value: [], accept: o.accept, label: o.label }),
};

const whole = (n: number | undefined) => n !== undefined && Number.isInteger(n) && n >= 1;

/** The setting an input's values must satisfy (its kind and range). */
export function inputSetting(s: InputSpec): Setting {
  const doc = s.label;
  switch (s.kind) {
    case 'range':
    case 'number':
      return whole(s.step)
        ? { kind: 'int', min: s.min, max: s.max, doc }
        : { kind: 'number', min: s.min, max: s.max, doc };
    case 'select':
      return { kind: 'enum', values: (s.options ?? []).map(String), doc };
    case 'checkbox':
      return { kind: 'boolean', doc };
    case 'text':
      return { kind: 'text', parse: (raw) => raw, describe: 'any text', doc };
    case 'button':
      return { kind: 'int', min: 0, doc: doc && `clicks of "${doc}"` };
    case 'file':
      return { kind: 'text', parse: () => [], describe: 'files picked on the page', doc };
  }
}

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** Checks an input's own declaration (bounds, options, its value in range); the spec, cleaned. */
export function checkInputSpec(name: string, s: InputSpec): InputSpec {
  const fail = (why: string): never => {
    throw new InputError(`input ${name}: ${why}`);
  };
  if (s.kind === 'range' && !(Number.isFinite(s.min) && Number.isFinite(s.max)))
    fail('Inputs.range needs [min, max], two finite numbers');
  if ((s.kind === 'range' || s.kind === 'number') && s.min !== undefined && s.max !== undefined && !(s.min <= s.max))
    fail(`min ${s.min} is above max ${s.max}`);
  if (s.step !== undefined && !(Number.isFinite(s.step) && s.step > 0))
    fail(`step must be a number above 0, got ${s.step}`);
  if (
    s.kind === 'select' &&
    (!Array.isArray(s.options) ||
      s.options.length === 0 ||
      s.options.some((o) => typeof o !== 'string' && typeof o !== 'number'))
  )
    fail('Inputs.select needs a list of options (text or numbers)');
  const clean: InputSpec = Object.fromEntries(
    Object.entries(s).filter(([, v]) => v !== undefined),
  ) as unknown as InputSpec;
  try {
    clean.value = inputValue(name, clean, s.value);
  } catch (e) {
    fail(`its own value: ${(e as Error).message}`);
  }
  return clean;
}

/** A value for the input (from the page or an API), checked: a SettingError names the input and its range. */
export function inputValue(name: string, s: InputSpec, v: unknown): InputValue {
  if (s.kind === 'file') return pickedFiles(name, v);
  const setting = inputSetting(s);
  if (s.kind === 'select') {
    const at = (s.options ?? []).findIndex((o) => o === v || String(o) === v);
    if (at < 0)
      throw new SettingError(
        `${name}${s.label ? ` (${s.label})` : ''} must be ${allowed(setting)}, got ${JSON.stringify(v)}`,
      );
    return s.options![at];
  }
  return checkValue(name, setting, v) as InputValue;
}

/** Files as picked on the page: a list of {name, bytes}. */
function pickedFiles(name: string, v: unknown): PickedFile[] {
  const ok =
    Array.isArray(v) &&
    v.every((f) => typeof f?.name === 'string' && (f as { bytes?: unknown }).bytes instanceof Uint8Array);
  if (!ok)
    throw new InputError(
      `${name} takes files picked on the page of a live export (ednas notebook NOTEBOOK --export-live DIR); ` +
        'under Node the notebook reads its data from disk (ednas data cifar10)',
    );
  return v as PickedFile[];
}

/** A value for the input from command-line text (`--set NAME=VALUE`). */
export function inputValueFromText(name: string, s: InputSpec, raw: string): InputValue {
  if (s.kind === 'file') return pickedFiles(name, raw);
  if (s.kind === 'select') return inputValue(name, s, raw);
  return parseRaw(name, inputSetting(s), raw) as InputValue;
}
