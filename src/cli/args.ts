// Option parsing shared by the subcommands: node's parseArgs, with numbers checked and errors that say
// which option was wrong and where the help is.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../data/locate.ts';
import { applySets, checkConfig, type Schema } from '../train/settings.ts';
import { readJson } from '../io/json.ts';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseOptions<O extends Options>(command: string, argv: string[], options: O) {
  try {
    return parseArgs({
      args: argv,
      options: { help: { type: 'boolean', short: 'h' }, ...options },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('. ')[0]}. Run 'ednas ${command} --help'.`);
  }
}

/** A numeric option: undefined when absent, an error naming the option when not a number in range. */
export function numberOption(
  name: string,
  value: unknown,
  { min = -Infinity, integer = false } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    throw new UsageError(
      `--${name} must be ${integer ? 'an integer' : 'a number'}${min > -Infinity ? ` >= ${min}` : ''}, got '${value}'`,
    );
  }
  return n;
}

/** The preset named, else (with --resume) the one the run in --out was started with, else quick. */
export function presetFor(v: { preset?: string; resume?: boolean; out?: string }): string {
  if (v.preset !== undefined) {
    if (v.preset.trim() === '') {
      throw new UsageError('--preset needs a name; leave it out for the default (quick), or see --help for the list');
    }
    return v.preset;
  }
  const manifest = v.resume && v.out ? join(v.out, 'manifest.json') : undefined;
  if (manifest && existsSync(manifest)) {
    return readJson<{ preset?: string } | null>(manifest, "the run's manifest")?.preset ?? 'quick';
  }
  return 'quick';
}

/** The options of a training command (`search`, `evaluate`) that `runSettings`, the data and the workers read. */
export const RUN_OPTIONS = {
  preset: { type: 'string' },
  data: { type: 'string' },
  epochs: { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string' },
  resume: { type: 'boolean' },
  set: { type: 'string', multiple: true },
  workers: { type: 'string' },
} as const;

/**
 * A run's settings from the command line: the preset's config with --set, --epochs and --seed applied and
 * checked against the schema, those options as KEY=VALUE (`given`: a resumed run checks them against its
 * own), and the run directory (--out, else runs/<kind>-<preset>-<time>; --resume needs --out).
 */
export function runSettings<C extends { epochs: number; seed: number }>(
  kind: string,
  base: C,
  v: { preset: string; epochs?: string; seed?: string; out?: string; set?: string[]; resume?: boolean },
  schema: Schema,
): { config: C; out: string; given: string[] } {
  if (v.resume && !v.out) throw new UsageError('--resume needs --out DIR: the run directory to continue');
  const sets = [
    ...(v.set ?? []),
    ...(v.epochs !== undefined ? [`epochs=${v.epochs}`] : []),
    ...(v.seed !== undefined ? [`seed=${v.seed}`] : []),
  ];
  const config = checkConfig<C>(schema, applySets(base, sets, schema), `preset ${v.preset}`);
  const out =
    v.out ?? join(PACKAGE_ROOT, 'runs', `${kind}-${v.preset}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  return { config, out, given: sets };
}
