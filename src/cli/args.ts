// Option parsing shared by the subcommands: node's parseArgs, with numbers checked and errors that say
// which option was wrong and where the help is.
import { parseArgs, type ParseArgsConfig } from 'node:util';

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
    const m = s.match(/^(\w+)=(.*)$/);
    if (!m) throw new UsageError(`--set expects KEY=VALUE, got '${s}'`);
    const [, key, raw] = m;
    if (!keys.includes(key)) throw new UsageError(`--set ${key}: unknown setting; the settings are ${keys.join(', ')}`);
    const text = o.text?.[key];
    out[key] = text ? text(raw) : raw === 'true' || raw === 'false' ? raw === 'true' : numberOption(`set ${key}`, raw);
  }
  return out as unknown as T;
}
