// An experiment file's grid expanded into trials: one per preset x --set value x seed (x genotype), each
// with its settings checked against its task's schema before anything runs, and genotypes read (files,
// run directories) or drawn (random:K) so that every trial carries what it trains.
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { basename, extname, isAbsolute, join, resolve } from 'node:path';
import { PACKAGE_ROOT } from '../data/locate.ts';
import { Rng } from '../random/rng.ts';
import type { TaskName } from '../rundir/run-dir.ts';
import { applySets, checkConfig } from '../train/settings.ts';
import { ExperimentFileError, type ExperimentFile, type Scalar, type TrialAxes } from './file.ts';
import { nameProblem } from './names.ts';
import { TASKS, presetNames, taskOfPreset, type Task, type TrialKind } from '../tasks/tasks.ts';

/** What an evaluation trial trains. */
export interface GenotypeInput {
  source: 'derived' | 'random' | 'file' | 'run';
  label: string;
  /** The genotype as JSON, carried with the trial so that a worker elsewhere needs no file; a derived one gets it when
   * its search has finished.
   */
  json?: string;
  /** The file or run directory it was read from. */
  from?: string;
}

export interface TrialSpec {
  /** Unique in the experiment; the name of its run directory. */
  id: string;
  /** Trials that differ only in their seed. */
  group: string;
  block: string;
  kind: TrialKind;
  task: TaskName;
  preset: string;
  /** --set overrides (KEY=VALUE), the seed excepted. */
  sets: string[];
  seed: number;
  /** The whole config the run will have, checked. */
  config: Record<string, unknown>;
  genotype?: GenotypeInput;
  /** Search-then-evaluate: the search trial whose genotype this evaluation trains. */
  after?: string;
  /** Evaluations with the same settings but the seed: the trials a comparison may pair. */
  condition?: string;
}

/** A path in an experiment file: relative ones start at the project root, so the examples run from anywhere. */
export const projectPath = (p: string): string => (isAbsolute(p) ? p : resolve(PACKAGE_ROOT, p));

const safe = (s: string) => s.replace(/[^A-Za-z0-9._=-]/g, '_');
const text = (v: Scalar) => (typeof v === 'string' ? v : String(v));

/** One point of a side's grid: a preset, its --set values and a label naming the values that vary. */
interface Point {
  task: Task;
  preset: string;
  sets: string[];
  label: string;
}

function points(kind: TrialKind, axes: TrialAxes, where: string, fail: (m: string) => never): Point[] {
  let out: { preset: string; sets: string[]; label: string }[] = axes.presets.map((preset) => ({
    preset,
    sets: [],
    label: axes.presets.length > 1 ? `-${safe(preset)}` : '',
  }));
  for (const [key, values] of Object.entries(axes.set)) {
    if (key === 'seed') fail(`${where}.set.seed: list the seeds in "seeds", not in "set"`);
    out = out.flatMap((p) =>
      values.map((v) => ({
        preset: p.preset,
        sets: [...p.sets, `${key}=${text(v)}`],
        label: p.label + (values.length > 1 ? `-${safe(key)}=${safe(text(v))}` : ''),
      })),
    );
  }
  return out.map((p) => {
    const task = taskOfPreset(kind, p.preset);
    if (!task)
      return fail(
        `${where}.preset: unknown ${kind} preset '${p.preset}'; the presets are ${presetNames(kind).join(', ')}`,
      );
    return { ...p, task };
  });
}

/** The whole config of a trial: its preset, its --set values and its seed, checked against its task's schema. */
export function trialConfig(
  task: Task,
  kind: TrialKind,
  preset: string,
  sets: string[],
  seed: number,
): Record<string, unknown> {
  const schema = task.schemas[kind];
  return checkConfig(
    schema,
    applySets(task.presets[kind][preset].config, [...sets, `seed=${seed}`], schema),
    `settings`,
  );
}

/** The config of a trial, checked: errors name the trial and the setting. */
function configOf(
  p: Point,
  kind: TrialKind,
  seed: number,
  id: string,
  fail: (m: string) => never,
): Record<string, unknown> {
  const problem = nameProblem(id);
  if (problem)
    return fail(
      `trial ${id.slice(0, 80)}...: its name (block name and the values that vary) ${problem}; shorten the block's ` +
        `name`,
    );
  try {
    return trialConfig(p.task, kind, p.preset, p.sets, seed);
  } catch (e) {
    return fail(`trial ${id}: ${(e as Error).message}`);
  }
}

/** Settings that make evaluations comparable: everything but the seed. */
function conditionOf(p: Point, config: Record<string, unknown>): string {
  const { seed: _, ...rest } = config;
  return `${p.preset}:${createHash('sha256').update(JSON.stringify(rest)).digest('hex').slice(0, 10)}`;
}

/** The genotypes an evaluate block lists: files, search run directories, random:K. */
function genotypes(
  task: Task,
  entries: string[],
  seed: number,
  where: string,
  fail: (m: string) => never,
): GenotypeInput[] {
  return entries.flatMap((entry, k): GenotypeInput[] => {
    const random = /^random:(\d+)$/.exec(entry);
    if (random) {
      const count = Number(random[1]);
      if (count < 1 || count > 1000) fail(`${where}[${k}]: random:K takes K in 1..1000, got ${entry}`);
      // The same draws as `ednas evaluate --random K --seed S`: random-k is the same cell for every trial seed.
      const rng = new Rng(seed + 7919);
      return Array.from({ length: count }, (_, i) => ({
        source: 'random',
        label: `random-${i + 1}`,
        json: task.genotypeJson(task.random(rng)),
      }));
    }
    if (entry.startsWith('random')) fail(`${where}[${k}]: write random:K for K random genotypes, got '${entry}'`);
    const path = projectPath(entry);
    if (!existsSync(path))
      fail(
        `${where}[${k}]: no file or run directory ${path} (relative paths start at the project root, ${PACKAGE_ROOT})`,
      );
    const dir = statSync(path).isDirectory();
    const file = dir ? join(path, 'genotype.json') : path;
    if (dir && !existsSync(file))
      fail(
        `${where}[${k}]: ${path} has no genotype.json; give a search run directory that has finished, or a genotype ` +
          `file`,
      );
    try {
      return [
        {
          source: dir ? 'run' : 'file',
          label: safe(basename(path, dir ? '' : extname(path))),
          json: task.genotypeJson(task.readGenotype(file)),
          from: path,
        },
      ];
    } catch (e) {
      return fail(`${where}[${k}]: ${(e as Error).message}`);
    }
  });
}

/** The most trials an experiment may have (README, Experiments): its record, polls and report stay small. */
export const MAX_TRIALS = 10_000;

/** Points of one side of a block: presets x every --set list. */
const pointCount = (a: TrialAxes) => Object.values(a.set).reduce((n, values) => n * values.length, a.presets.length);

/** How many trials a block makes, counted without making them (a grid of millions would fill the heap). */
export function blockTrials(b: ExperimentFile['blocks'][number]): number {
  if (b.task === 'search') return pointCount(b) * b.seeds.length;
  if (b.task === 'evaluate') {
    const cells = b.genotypes.reduce((n, g) => n + Number(/^random:(\d+)$/.exec(g)?.[1] ?? 1), 0);
    return pointCount(b) * cells * b.seeds.length;
  }
  const evaluations = pointCount(b.evaluate) * b.evaluate.seeds.length;
  return pointCount(b.search) * b.search.seeds.length * (1 + evaluations);
}

/** Every trial of the experiment, in the order they may run (a search before the evaluations of its genotype). */
export function expandExperiment(x: ExperimentFile): TrialSpec[] {
  const fail = (m: string): never => {
    throw new ExperimentFileError(`${x.path}: ${m}`);
  };
  const counts = x.blocks.map(blockTrials);
  const total = counts.reduce((a, b) => a + b, 0);
  if (total > MAX_TRIALS) {
    const each = x.blocks.map((b, k) => `${b.name}: ${counts[k].toLocaleString('en')}`).join(', ');
    fail(
      `the grid makes ${total.toLocaleString('en')} trials (${each}), more than ` +
        `the ${MAX_TRIALS.toLocaleString('en')} ` +
        'an experiment may have; shorten its lists of values and seeds, or split it into several experiment files',
    );
  }
  const trials: TrialSpec[] = [];
  const where = new Map<string, string>();
  const add = (t: TrialSpec, at: string) => {
    if (where.has(t.id))
      fail(`${at} and ${where.get(t.id)} both make a trial named ${t.id}; give the blocks different names`);
    where.set(t.id, at);
    trials.push(t);
  };
  x.blocks.forEach((b, k) => {
    const at = `trials[${k}]`;
    if (b.task === 'search') {
      for (const p of points('search', b, at, fail)) {
        for (const seed of b.seeds) {
          const id = `${b.name}${p.label}-seed${seed}`;
          add(
            {
              id,
              group: `${b.name}${p.label}`,
              block: b.name,
              kind: 'search',
              task: p.task.name,
              preset: p.preset,
              sets: p.sets,
              seed,
              config: configOf(p, 'search', seed, id, fail),
            },
            at,
          );
        }
      }
    } else if (b.task === 'evaluate') {
      for (const p of points('evaluate', b, at, fail)) {
        for (const g of genotypes(p.task, b.genotypes, x.seed, `${at}.genotypes`, fail)) {
          for (const seed of b.seeds) {
            const id = `${b.name}-${g.label}${p.label}-seed${seed}`;
            const config = configOf(p, 'evaluate', seed, id, fail);
            add(
              {
                id,
                group: `${b.name}-${g.label}${p.label}`,
                block: b.name,
                kind: 'evaluate',
                task: p.task.name,
                preset: p.preset,
                sets: p.sets,
                seed,
                config,
                genotype: g,
                condition: conditionOf(p, config),
              },
              at,
            );
          }
        }
      }
    } else {
      const evals = points('evaluate', b.evaluate, `${at}.evaluate`, fail);
      for (const s of points('search', b.search, `${at}.search`, fail)) {
        const wrong = evals.find((e) => e.task !== s.task);
        if (wrong)
          fail(
            `${at}: the search preset '${s.preset}' is of the ${s.task.name} task and the evaluate preset ` +
              `'${wrong.preset}' of the ${wrong.task.name} task; pair presets of one task`,
          );
        for (const searchSeed of b.search.seeds) {
          const searchId = `${b.name}-search${s.label}-seed${searchSeed}`;
          add(
            {
              id: searchId,
              group: `${b.name}-search${s.label}`,
              block: b.name,
              kind: 'search',
              task: s.task.name,
              preset: s.preset,
              sets: s.sets,
              seed: searchSeed,
              config: configOf(s, 'search', searchSeed, searchId, fail),
            },
            at,
          );
          for (const e of evals) {
            for (const seed of b.evaluate.seeds) {
              const id = `${searchId}-eval${e.label}-seed${seed}`;
              const config = configOf(e, 'evaluate', seed, id, fail);
              add(
                {
                  id,
                  group: `${searchId}-eval${e.label}`,
                  block: b.name,
                  kind: 'evaluate',
                  task: e.task.name,
                  preset: e.preset,
                  sets: e.sets,
                  seed,
                  config,
                  genotype: { source: 'derived', label: `derived from ${searchId}` },
                  after: searchId,
                  condition: conditionOf(e, config),
                },
                at,
              );
            }
          }
        }
      }
    }
  });
  return trials;
}

/** The genotype of a finished search trial as an evaluation carries it (checked by the task's reader). */
export function derivedGenotype(t: TrialSpec, genotypeFile: string): string {
  const task = TASKS[t.task];
  return task.genotypeJson(task.readGenotype(genotypeFile));
}
