// Option parsing shared by the subcommands: node's parseArgs, with numbers checked and errors that say
// which option was wrong and where the help is.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../data/locate.ts';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseOptions<O extends Options>(command: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' }, ...options }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('. ')[0]}. Run 'ednas ${command} --help'.`);
  }
}

/** A numeric option: undefined when absent, an error naming the option when not a number in range. */
export function numberOption(name: string, value: unknown, { min = -Infinity, integer = false } = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    throw new UsageError(`--${name} must be ${integer ? 'an integer' : 'a number'}${min > -Infinity ? ` >= ${min}` : ''}, got '${value}'`);
  }
  return n;
}

/**
 * A preset's settings with `--set KEY=VALUE` overrides: `true`/`false` become booleans, `text` keys keep
 * their string (checked by `parse` when given), everything else must be a number. `optional` names keys
 * a preset may leave out.
 */
export function applySets<T extends object>(
  config: T,
  sets: string[] = [],
  o: { optional?: string[]; text?: Record<string, (raw: string) => unknown> } = {},
): T {
  const out = { ...config } as Record<string, unknown>;
  const keys = [...Object.keys(config), ...(o.optional ?? [])];
  for (const s of sets) {
    const m = s.match(/^(\w+)(?:\.(\w+))?=(.*)$/);
    if (!m) throw new UsageError(`--set expects KEY=VALUE, got '${s}'`);
    const [, key, inner, raw] = m;
    if (!keys.includes(key)) throw new UsageError(`--set ${key}: unknown setting; the settings are ${keys.join(', ')}`);
    const value = (name: string) => {
      const text = o.text?.[name];
      return text ? text(raw) : raw === 'true' || raw === 'false' ? raw === 'true' : numberOption(`set ${name}`, raw);
    };
    const group = out[key];
    if (group !== null && typeof group === 'object') {
      // A group of settings (e.g. dropout) is set one member at a time: --set dropout.output=0.5.
      if (inner === undefined || !(inner in group)) throw new UsageError(`--set ${key}.NAME=VALUE sets one of ${Object.keys(group).map((k) => `${key}.${k}`).join(', ')}`);
      out[key] = { ...group, [inner]: value(`${key}.${inner}`) };
    } else {
      if (inner !== undefined) throw new UsageError(`--set ${key}.${inner}: ${key} has no members`);
      out[key] = value(key);
    }
  }
  return out as unknown as T;
}

/** The preset named, else (with --resume) the one the run in --out was started with, else quick. */
export function presetFor(v: { preset?: string; resume?: boolean; out?: string }): string {
  if (v.preset) return v.preset;
  const manifest = v.resume && v.out ? join(v.out, 'manifest.json') : undefined;
  if (manifest && existsSync(manifest)) return (JSON.parse(readFileSync(manifest, 'utf8')) as { preset?: string }).preset ?? 'quick';
  return 'quick';
}

/**
 * A run's settings from the command line: the preset's config with --set, --epochs and --seed applied,
 * and the run directory (--out, else runs/<kind>-<preset>-<time>).
 */
export function runSettings<C extends { epochs: number; seed: number }>(
  kind: string, base: C, v: { preset: string; epochs?: string; seed?: string; out?: string; set?: string[] },
  o: { optional?: string[]; text?: Record<string, (raw: string) => unknown> } = {},
): { config: C; out: string } {
  const epochs = numberOption('epochs', v.epochs, { min: 1, integer: true });
  const seed = numberOption('seed', v.seed, { integer: true });
  const config: C = { ...applySets(base, v.set, o), ...(epochs !== undefined && { epochs }), ...(seed !== undefined && { seed }) };
  const out = v.out ?? join(PACKAGE_ROOT, 'runs', `${kind}-${v.preset}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  return { config, out };
}
