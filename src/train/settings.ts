// Every setting of a run has a type and a range, written once per config as a schema (next to the config
// it describes). Each setting becomes a zod type (zodOf), which decides every check: `--set KEY=VALUE` on
// the command line, the presets, experiment files and the config a run resumes from, with messages that
// name the setting and what it may be; the same zod types give the JSON Schema of experiment files.
import { z } from 'zod';

export type Setting =
  | { kind: 'int'; min?: number; max?: number; even?: boolean; optional?: boolean; doc?: string }
  | {
      kind: 'number';
      min?: number;
      max?: number /** exclusive bounds */;
      above?: number;
      below?: number;
      optional?: boolean;
      doc?: string;
    }
  | { kind: 'boolean'; doc?: string }
  | { kind: 'enum'; values: readonly string[]; doc?: string }
  /**
   * Text with its own grammar (a derivation method): `parse` throws a message saying what is allowed;
   * `pattern`, when given, is the same grammar for a JSON Schema (an editor's check).
   */
  | { kind: 'text'; parse(raw: string): unknown; describe: string; pattern?: RegExp; optional?: boolean; doc?: string }
  | { kind: 'group'; fields: Record<string, Setting>; doc?: string };

export type Schema = Record<string, Setting>;

export class SettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingError';
  }
}

/** What a setting may be, in words: "an even integer >= 2", "a number in (0, 1)", "one of cosine, step". */
export function allowed(s: Setting): string {
  switch (s.kind) {
    case 'int': {
      const range =
        s.min !== undefined && s.max !== undefined
          ? ` in ${s.min}..${s.max}`
          : s.min !== undefined
            ? ` >= ${s.min}`
            : s.max !== undefined
              ? ` <= ${s.max}`
              : '';
      return `${s.even ? 'an even integer' : 'an integer'}${range}`;
    }
    case 'number': {
      const lo =
        s.above !== undefined ? (['(', s.above] as const) : s.min !== undefined ? (['[', s.min] as const) : undefined;
      const hi =
        s.below !== undefined ? ([')', s.below] as const) : s.max !== undefined ? ([']', s.max] as const) : undefined;
      if (lo && hi) return `a number in ${lo[0]}${lo[1]}, ${hi[1]}${hi[0]}`;
      if (lo) return `a number ${lo[0] === '(' ? '>' : '>='} ${lo[1]}`;
      if (hi) return `a number ${hi[0] === ')' ? '<' : '<='} ${hi[1]}`;
      return 'a number';
    }
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${s.values.join(', ')}`;
    case 'text':
      return s.describe;
    case 'group':
      return `a group of settings (${Object.keys(s.fields).join(', ')})`;
  }
}

const zods = new WeakMap<Setting, z.ZodType>();

/**
 * The setting as a zod type: the same type and range, its doc and what it may be as the description (a
 * JSON Schema's "description"). Text with its own grammar is a string its parser accepts.
 */
export function zodOf(s: Setting): z.ZodType {
  let t = zods.get(s);
  if (t) return t;
  switch (s.kind) {
    case 'int':
    case 'number': {
      let n = s.kind === 'int' ? z.number().int() : z.number();
      if (s.min !== undefined) n = n.min(s.min);
      if (s.max !== undefined) n = n.max(s.max);
      if (s.kind === 'int' && s.even) n = n.multipleOf(2);
      if (s.kind === 'number' && s.above !== undefined) n = n.gt(s.above);
      if (s.kind === 'number' && s.below !== undefined) n = n.lt(s.below);
      t = n;
      break;
    }
    case 'boolean':
      t = z.boolean();
      break;
    case 'enum':
      t = z.enum(s.values as [string, ...string[]]);
      break;
    case 'text':
      t = (s.pattern ? z.string().regex(s.pattern) : z.string()).refine((v) => {
        try {
          s.parse(v);
          return true;
        } catch {
          return false;
        }
      });
      break;
    case 'group':
      t = zodSettings(s.fields);
      break;
  }
  t = t.describe(`${s.doc ? `${s.doc}: ` : ''}${allowed(s)}`);
  zods.set(s, t);
  return t;
}

/** A whole schema as a strict zod object: every setting, the optional ones optional, no other key. */
export const zodSettings = (schema: Schema): z.ZodObject =>
  z.strictObject(
    Object.fromEntries(Object.entries(schema).map(([k, s]) => [k, optional(s) ? zodOf(s).optional() : zodOf(s)])),
  );

const fail = (name: string, s: Setting, got: unknown): never => {
  throw new SettingError(
    `${name}${s.doc ? ` (${s.doc})` : ''} must be ${allowed(s)}, got ${JSON.stringify(got) ?? String(got)}`,
  );
};

/** A value of the setting's type in its range (zodOf decides), or a SettingError naming it and what is allowed. */
export function checkValue(name: string, s: Setting, v: unknown): unknown {
  if (s.kind === 'group') {
    // Member by member, so that a message names the member: dropout.output must be ...
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(name, s, v);
    return checkFields(s.fields, v as Record<string, unknown>, `${name}.`);
  }
  if (!zodOf(s).safeParse(v).success) fail(name, s, v);
  return s.kind === 'text' ? s.parse(v as string) : v;
}

const optional = (s: Setting) => 'optional' in s && s.optional === true;

function checkFields(schema: Schema, o: Record<string, unknown>, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(o)) {
    if (!Object.hasOwn(schema, key))
      throw new SettingError(
        `${prefix}${key} is not a setting; the settings are ${Object.keys(schema)
          .map((k) => prefix + k)
          .join(', ')}`,
      );
  }
  for (const [key, s] of Object.entries(schema)) {
    const v = o[key];
    if (v === undefined || v === null) {
      if (optional(s)) continue;
      throw new SettingError(`${prefix}${key} is missing; it must be ${allowed(s)}`);
    }
    out[key] = checkValue(prefix + key, s, v);
  }
  return out;
}

/** A whole config checked against its schema (a preset, an experiment's trial, a resumed run's config). */
export function checkConfig<C>(schema: Schema, config: unknown, where: string): C {
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw new SettingError(`${where}: the settings must be an object of named values`);
  try {
    return checkFields(schema, config as Record<string, unknown>, '') as C;
  } catch (e) {
    throw new SettingError(`${where}: ${(e as Error).message}`);
  }
}

/** The value of `raw` (command-line text) for setting `s`: numbers, true/false, names, or its own grammar. */
export function parseRaw(name: string, s: Setting, raw: string): unknown {
  const value =
    s.kind === 'int' || s.kind === 'number'
      ? raw.trim() === ''
        ? NaN
        : Number(raw)
      : s.kind === 'boolean'
        ? raw === 'true'
          ? true
          : raw === 'false'
            ? false
            : raw
        : raw;
  try {
    return checkValue(name, s, value);
  } catch (e) {
    if (e instanceof SettingError && s.kind !== 'group')
      throw new SettingError(`${name}${s.doc ? ` (${s.doc})` : ''} must be ${allowed(s)}, got '${raw}'`);
    throw e;
  }
}

/**
 * A config with `--set KEY=VALUE` overrides (`--set group.member=VALUE` for a group's member), each checked
 * against the schema; errors name the setting and what it may be.
 */
export function applySets<C extends object>(config: C, sets: readonly string[], schema: Schema): C {
  const out = { ...config } as Record<string, unknown>;
  for (const text of sets) {
    const m = text.match(/^([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?=(.*)$/s);
    if (!m) throw new SettingError(`--set expects KEY=VALUE, got '${text}'`);
    const [, key, member, raw] = m;
    if (!Object.hasOwn(schema, key))
      throw new SettingError(`--set ${key}: unknown setting; the settings are ${Object.keys(schema).join(', ')}`);
    const s = schema[key];
    if (s.kind === 'group') {
      const names = Object.keys(s.fields);
      if (member === undefined || !Object.hasOwn(s.fields, member))
        throw new SettingError(`--set ${key}.NAME=VALUE sets one of ${names.map((n) => `${key}.${n}`).join(', ')}`);
      out[key] = { ...(out[key] as object), [member]: parseRaw(`--set ${key}.${member}`, s.fields[member], raw) };
    } else {
      if (member !== undefined) throw new SettingError(`--set ${key}.${member}: ${key} has no members`);
      out[key] = parseRaw(`--set ${key}`, s, raw);
    }
  }
  return out as C;
}

/**
 * The settings as help text: one line each (a group's members as group.member), with what it may be and its
 * value in `defaults`.
 */
export const schemaHelp = (schema: Schema, defaults: Record<string, unknown> = {}): string =>
  Object.entries(schema)
    .flatMap(([k, s]): string[] => {
      if (s.kind === 'group') return [schemaHelp(prefixed(s.fields, k), prefixed(defaults[k] ?? {}, k))];
      const value = Object.hasOwn(defaults, k) ? `; default ${JSON.stringify(defaults[k])}` : '; unset by default';
      return [`  ${k.padEnd(20)} ${allowed(s)}${value}${s.doc ? ` — ${s.doc}` : ''}`];
    })
    .join('\n');

const prefixed = <T>(o: Record<string, T> | object, group: string): Record<string, T> =>
  Object.fromEntries(Object.entries(o).map(([m, v]) => [`${group}.${m}`, v]));
