// The experiment file (JSON or YAML): a name, the data, and the trials as grid blocks. A block crosses
// its lists: presets x every listed --set value x seeds (x genotypes, for evaluations). Checked here for
// its shape only; each trial's settings are checked against its task's schema when the grid expands.
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { SettingError } from '../train/settings.ts';
import { MAX_NAME_LENGTH } from './names.ts';

export type Scalar = string | number | boolean;

/** One side of a block: presets, --set overrides (a list is an axis of the grid) and seeds. */
export interface TrialAxes {
  presets: string[];
  set: Record<string, Scalar[]>;
  seeds: number[];
}

export type Block =
  | ({ name: string; task: 'search' } & TrialAxes)
  | ({ name: string; task: 'evaluate'; genotypes: string[] } & TrialAxes)
  | { name: string; task: 'search-then-evaluate'; search: TrialAxes; evaluate: TrialAxes };

export interface ExperimentFile {
  path: string;
  name: string;
  description?: string;
  /** The data folder of every trial (relative: to the project root); undefined: each task's default. */
  data?: string;
  /** Seeds the draws of `random:K` genotypes. */
  seed: number;
  blocks: Block[];
}

/** An experiment file that cannot be used: names the file, the place in it and what is allowed. */
export class ExperimentFileError extends SettingError {
  constructor(message: string) {
    super(message);
    this.name = 'ExperimentFileError';
  }
}

export const TASKS = ['search', 'evaluate', 'search-then-evaluate'] as const;
export const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** A name that becomes a folder: the rule of `names.ts`, without '=' (which the grid's labels use). */
function checkName(name: string, where: string, fail: Fail): void {
  if (!NAME.test(name))
    fail(where, `must be letters, digits, '.', '_' or '-', got ${JSON.stringify(name.slice(0, 80))}`);
  if (name.length > MAX_NAME_LENGTH) fail(where, `must be at most ${MAX_NAME_LENGTH} characters, got ${name.length}`);
}

type Raw = Record<string, unknown>;

/** Reads and checks an experiment file; `.json`, `.yaml` or `.yml`. */
export function readExperimentFile(path: string): ExperimentFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ExperimentFileError(
      `cannot read the experiment file ${path}: ` +
        `${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  }
  const ext = extname(path).toLowerCase();
  let raw: unknown;
  if (ext === '.json') {
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new ExperimentFileError(`${path} is not valid JSON: ${(e as Error).message}`);
    }
  } else if (ext === '.yaml' || ext === '.yml') {
    try {
      raw = parseYaml(text);
    } catch (e) {
      throw new ExperimentFileError(`${path} is not valid YAML: ${(e as Error).message.trim()}`);
    }
  } else {
    throw new ExperimentFileError(`${path}: an experiment file is .json, .yaml or .yml`);
  }
  return checkExperiment(raw, path);
}

/** The experiment in `raw` (a parsed file), checked; errors name `path` and the place. */
export function checkExperiment(raw: unknown, path: string): ExperimentFile {
  const fail = (where: string, what: string): never => {
    throw new ExperimentFileError(`${path}: ${where} ${what}`);
  };
  const o = object(raw, 'the experiment', fail);
  known(o, ['name', 'description', 'data', 'seed', 'trials'], 'the experiment', fail);
  const name = o.name === undefined ? basename(path, extname(path)) : text(o.name, 'name', fail);
  checkName(name, 'name', fail);
  if (!Array.isArray(o.trials) || o.trials.length === 0)
    fail('trials', 'must be a list of grid blocks (see notebooks/experiments/)');
  const blocks = (o.trials as unknown[]).map((b, k) => block(b, `trials[${k}]`, fail));
  const names = blocks.map((b) => b.name);
  const twice = names.find((n, k) => names.indexOf(n) !== k);
  if (twice) fail('trials', `has two blocks named ${JSON.stringify(twice)}; give each a different "name"`);
  return {
    path,
    name,
    blocks,
    description: o.description === undefined ? undefined : text(o.description, 'description', fail),
    data: o.data === undefined ? undefined : text(o.data, 'data', fail),
    seed: o.seed === undefined ? 0 : seedOf(o.seed, 'seed', fail),
  };
}

type Fail = (where: string, what: string) => never;

function object(v: unknown, where: string, fail: Fail): Raw {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(where, 'must be an object of named fields');
  return v as Raw;
}

function known(o: Raw, keys: string[], where: string, fail: Fail): void {
  for (const k of Object.keys(o))
    if (!keys.includes(k)) fail(`${where}.${k}`, `is not a field here; the fields are ${keys.join(', ')}`);
}

function text(v: unknown, where: string, fail: Fail): string {
  if (typeof v !== 'string' || v === '') fail(where, `must be a non-empty string, got ${JSON.stringify(v)}`);
  return v as string;
}

function seedOf(v: unknown, where: string, fail: Fail): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    fail(where, `must be an integer >= 0, got ${JSON.stringify(v)}`);
  return v as number;
}

/** A value or a list of values (a list is an axis of the grid). */
function list<T>(v: unknown, where: string, item: (x: unknown, where: string) => T, fail: Fail): T[] {
  const items = Array.isArray(v) ? v : [v];
  if (items.length === 0) fail(where, 'is an empty list; give at least one value');
  return items.map((x, k) => item(x, Array.isArray(v) ? `${where}[${k}]` : where));
}

function axes(o: Raw, where: string, fail: Fail): TrialAxes {
  if (o.preset === undefined) fail(`${where}.preset`, 'is missing: name a preset (or a list of them), e.g. "quick"');
  const presets = list(o.preset, `${where}.preset`, (x, w) => text(x, w, fail), fail);
  const set: Record<string, Scalar[]> = {};
  if (o.set !== undefined) {
    for (const [key, v] of Object.entries(object(o.set, `${where}.set`, fail))) {
      set[key] = list(
        v,
        `${where}.set.${key}`,
        (x, w) => {
          if (typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean')
            fail(w, `must be a number, true/false or text (or a list of them), got ${JSON.stringify(x)}`);
          return x as Scalar;
        },
        fail,
      );
    }
  }
  const seeds = o.seeds === undefined ? [0] : list(o.seeds, `${where}.seeds`, (x, w) => seedOf(x, w, fail), fail);
  if (new Set(seeds).size !== seeds.length) fail(`${where}.seeds`, 'lists a seed twice');
  return { presets, set, seeds };
}

function block(v: unknown, where: string, fail: Fail): Block {
  const o = object(v, where, fail);
  if (!TASKS.includes(o.task as (typeof TASKS)[number]))
    fail(`${where}.task`, `must be one of ${TASKS.join(', ')}, got ${JSON.stringify(o.task)}`);
  const name = o.name === undefined ? (o.task as string) : text(o.name, `${where}.name`, fail);
  checkName(name, `${where}.name`, fail);
  switch (o.task) {
    case 'search':
      known(o, ['name', 'task', 'preset', 'set', 'seeds'], where, fail);
      return { name, task: 'search', ...axes(o, where, fail) };
    case 'evaluate': {
      known(o, ['name', 'task', 'preset', 'set', 'seeds', 'genotypes'], where, fail);
      if (o.genotypes === undefined)
        fail(`${where}.genotypes`, 'is missing: list genotype files, search run directories or "random:K"');
      const genotypes = list(o.genotypes, `${where}.genotypes`, (x, w) => text(x, w, fail), fail);
      return { name, task: 'evaluate', genotypes, ...axes(o, where, fail) };
    }
    default: {
      known(o, ['name', 'task', 'search', 'evaluate'], where, fail);
      const side = (key: 'search' | 'evaluate') => {
        const s = object(
          o[key] ?? fail(`${where}.${key}`, 'is missing: give its preset, set and seeds'),
          `${where}.${key}`,
          fail,
        );
        known(s, ['preset', 'set', 'seeds'], `${where}.${key}`, fail);
        return axes(s, `${where}.${key}`, fail);
      };
      return { name, task: 'search-then-evaluate', search: side('search'), evaluate: side('evaluate') };
    }
  }
}
