// A job taken from the queue is untrusted: anyone who can write to the Redis can make one. Before a worker
// touches its disk, the job is checked whole against what a producer sends: names that are single path
// components (names.ts), a known task, kind and preset, --set values and a seed that make a valid config
// of that task, a genotype that parses, a data folder that is a plain path. A job that fails is refused as
// unrecoverable, with the reason, and nothing is written.
import { UnrecoverableError } from 'bullmq';
import { VERSION } from '../version.ts';
import type { TrialSpec } from './expand.ts';
import { trialConfig } from './expand.ts';
import type { TrialJob } from './jobs.ts';
import { nameProblem } from './names.ts';
import { TASKS, type TrialKind } from '../tasks/tasks.ts';

/** Bounds no honest job comes near: a genotype is a few hundred bytes, a --set value a few dozen. */
const MAX_GENOTYPE = 64 * 1024;
const MAX_SET = 1024;
const MAX_SETS = 256;
const MAX_PATH = 4096;

const SOURCES = ['derived', 'random', 'file', 'run'] as const;

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The job's trial as a worker may run it, or an UnrecoverableError naming the first thing wrong. */
export function checkTrialJob(data: unknown, jobId: string | undefined): TrialJob {
  const refuse = (what: string): never => {
    throw new UnrecoverableError(`job ${jobId} refused: ${what}`);
  };
  if (!isObject(data) || !isObject(data.trial)) return refuse('it is not an ednas trial');
  if (data.ednas !== VERSION) {
    refuse(
      `this worker runs ednas ${VERSION} and the trial was made by ednas ${String(data.ednas).slice(0, 40)}; run ` +
        `the same version on every machine`,
    );
  }
  const name = (field: string, v: unknown): string => {
    const problem = nameProblem(v);
    return problem ? refuse(`${field} ${problem}`) : (v as string);
  };
  const experiment = name('experiment', data.experiment);
  const label = name('name', data.name);
  let dataDir: string | undefined;
  if (data.data !== undefined) {
    if (typeof data.data !== 'string' || data.data === '' || data.data.length > MAX_PATH)
      return refuse('data must be a folder path');
    // Control characters would garble logs; a leading '-' would read as an option of the trial's command.
    if (/[\0-\x1f\x7f]/.test(data.data) || data.data.startsWith('-')) return refuse('data must be a plain folder path');
    dataDir = data.data;
  }
  return {
    ednas: VERSION,
    experiment,
    name: label,
    trial: checkTrial(data.trial, name, refuse),
    ...(dataDir === undefined ? {} : { data: dataDir }),
  };
}

function checkTrial(t: Raw, name: (field: string, v: unknown) => string, refuse: (what: string) => never): TrialSpec {
  const id = name('trial.id', t.id);
  if (t.kind !== 'search' && t.kind !== 'evaluate') return refuse(`trial.kind must be search or evaluate`);
  const kind: TrialKind = t.kind;
  if (t.task !== 'cnn' && t.task !== 'rnn') return refuse(`trial.task must be cnn or rnn`);
  const task = TASKS[t.task];
  if (typeof t.preset !== 'string' || !Object.hasOwn(task.presets[kind], t.preset)) {
    return refuse(
      `trial.preset must be one of the ${t.task} ${kind} presets (${Object.keys(task.presets[kind]).join(', ')})`,
    );
  }
  const sets = t.sets;
  if (
    !Array.isArray(sets) ||
    sets.length > MAX_SETS ||
    !sets.every((s) => typeof s === 'string' && s.length <= MAX_SET && !/[\0\n\r]/.test(s))
  ) {
    return refuse('trial.sets must be a list of KEY=VALUE texts');
  }
  if (!Number.isSafeInteger(t.seed) || (t.seed as number) < 0)
    return refuse('trial.seed must be a whole number, 0 or more');
  const seed = t.seed as number;
  let config: Record<string, unknown>;
  try {
    config = trialConfig(task, kind, t.preset, sets, seed);
  } catch (e) {
    return refuse(`trial ${id}: ${(e as Error).message}`);
  }
  const spec: TrialSpec = {
    id,
    group: typeof t.group === 'string' ? t.group : id,
    block: typeof t.block === 'string' ? t.block : id,
    kind,
    task: task.name,
    preset: t.preset,
    sets,
    seed,
    config,
  };
  if (kind === 'evaluate') {
    const g = t.genotype;
    if (!isObject(g) || typeof g.json !== 'string' || g.json.length > MAX_GENOTYPE)
      return refuse(`trial ${id} has no genotype to train`);
    try {
      task.parseGenotype(g.json);
    } catch (e) {
      return refuse(`trial ${id}: its genotype is not a ${task.name} genotype (${(e as Error).message.slice(0, 200)})`);
    }
    const source = SOURCES.find((k) => k === g.source) ?? 'file';
    spec.genotype = {
      source,
      label: typeof g.label === 'string' ? g.label.slice(0, MAX_SET) : 'genotype',
      json: g.json,
    };
  }
  return spec;
}
