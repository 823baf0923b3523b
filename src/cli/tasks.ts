// The two tasks as the `search` and `evaluate` commands see them: presets, the settings that a preset may
// leave out or that are text, the run functions, genotype files, and the lines printed as a run goes. A
// preset name picks the task.
import type { Rng } from '../random/rng.ts';
import { randomGenotype, randomRnnGenotype } from '../policy/sample.ts';
import { genotypeToDarts, readGenotype, type Genotype } from '../space/genotype.ts';
import { readRnnGenotype, rnnGenotypeToDarts, type RnnGenotype } from '../space/rnn-genotype.ts';
import type { TrainingEvent } from '../train/trainer.ts';
import type { RunOptions } from '../train/run.ts';
import type { Schema } from '../train/settings.ts';
import { SEARCH_PRESETS } from '../cnn/presets.ts';
import { SEARCH_SCHEMA, type SearchConfig } from '../cnn/search-config.ts';
import { EVAL_PRESETS, EVAL_SCHEMA, type EvalConfig } from '../cnn/eval-config.ts';
import { runEvaluate, runSearch } from '../cnn/run.ts';
import { RNN_EVAL_PRESETS, RNN_EVAL_SCHEMA, RNN_SEARCH_PRESETS, RNN_SEARCH_SCHEMA, type RnnEvalConfig, type RnnSearchConfig } from '../rnn/config.ts';
import { runRnnEvaluate, runRnnSearch } from '../rnn/run.ts';
import { UsageError } from './args.ts';

type Presets = Record<string, { summary: string; config: { epochs: number; seed: number } }>;
type EpochRow = object;
type Run = RunOptions<TrainingEvent, EpochRow>;
const num = (v: unknown, digits: number) => Number(v).toFixed(digits);
/** An epoch's record (CNN or PTB, search or training) read by field name. */
const row = (r: EpochRow) => r as Record<string, unknown>;

export interface CliTask {
  title: string;
  searchPresets: Presets;
  evalPresets: Presets;
  searchSchema: Schema;
  evalSchema: Schema;
  search(o: Run & { config: object }): Promise<{ dir: string; genotype: unknown; derive: string; dispose(): void }>;
  evaluate(o: Run & { config: object; genotype: unknown }): Promise<{ dir: string; summary: string; dispose(): void }>;
  readGenotype(path: string): unknown;
  darts(g: unknown): string;
  random(rng: Rng): unknown;
  /** The progress bar's detail for a search step, and the line after each epoch. */
  searchDetail(e: TrainingEvent): string;
  searchEpoch(r: EpochRow): string;
  evalDetail(e: TrainingEvent): string | undefined;
  evalEpoch(r: EpochRow): string;
}

const policyDetail = (m: TrainingEvent['metrics']) => `reward ${num(m.reward, 3)} baseline ${num(m.baseline, 3)}`;

const CNN: CliTask = {
  title: 'CIFAR-10, normal and reduction cells',
  searchPresets: SEARCH_PRESETS,
  evalPresets: EVAL_PRESETS,
  searchSchema: SEARCH_SCHEMA,
  evalSchema: EVAL_SCHEMA,
  search: async (o) => {
    const r = await runSearch({ ...o, config: o.config as SearchConfig });
    return { dir: r.dir, genotype: r.genotype, derive: r.search.config.derive, dispose: () => r.search.dispose() };
  },
  evaluate: async (o) => {
    const r = await runEvaluate({ ...o, config: o.config as EvalConfig, genotype: o.genotype as Genotype });
    return {
      dir: r.dir, dispose: () => r.evaluation.dispose(),
      summary: `parameters ${r.params.params} (with auxiliary head ${r.params.params_with_aux}); test accuracy ${r.evaluation.epochs.at(-1)!.test_acc.toFixed(4)}`,
    };
  },
  readGenotype,
  darts: (g) => genotypeToDarts(g as Genotype),
  random: randomGenotype,
  searchDetail: (e) => (e.stage === 'weights' ? `loss ${num(e.metrics.loss, 3)} acc ${num(e.metrics.accuracy, 3)}` : policyDetail(e.metrics)),
  searchEpoch: (e) => {
    const r = row(e);
    return `epoch ${r.epoch}: loss ${num(r.train_loss, 3)}  train acc ${num(r.train_acc, 3)}  mean reward ${num(r.mean_reward, 3)}  baseline ${num(r.baseline, 3)}  entropy ${num(r.entropy, 2)}  ${num(r.wall_s, 0)} s`;
  },
  evalDetail: (e) => `acc ${num(e.metrics.accuracy, 3)}`,
  evalEpoch: (e) => {
    const r = row(e);
    return `epoch ${r.epoch}: loss ${num(r.train_loss, 3)}  train acc ${num(r.train_acc, 3)}  test acc ${num(r.test_acc, 4)}  ${num(r.wall_s, 0)} s`;
  },
};

const RNN: CliTask = {
  title: 'Penn Treebank, the recurrent cell; reward = 80 / perplexity',
  searchPresets: RNN_SEARCH_PRESETS,
  evalPresets: RNN_EVAL_PRESETS,
  searchSchema: RNN_SEARCH_SCHEMA,
  evalSchema: RNN_EVAL_SCHEMA,
  search: async (o) => {
    const r = await runRnnSearch({ ...o, config: o.config as RnnSearchConfig });
    return { dir: r.dir, genotype: r.genotype, derive: r.search.config.derive, dispose: () => r.search.dispose() };
  },
  evaluate: async (o) => {
    const r = await runRnnEvaluate({ ...o, config: o.config as RnnEvalConfig, genotype: o.genotype as RnnGenotype });
    return {
      dir: r.dir, dispose: () => r.evaluation.dispose(),
      summary: `parameters ${r.params}; valid perplexity ${r.evaluation.epochs.at(-1)!.valid_ppl.toFixed(1)}, test perplexity ${r.test_ppl.toFixed(1)}`,
    };
  },
  readGenotype: readRnnGenotype,
  darts: (g) => rnnGenotypeToDarts(g as RnnGenotype),
  random: randomRnnGenotype,
  searchDetail: (e) => (e.stage === 'weights' ? `loss ${num(e.metrics.loss, 3)} ppl ${num(e.metrics.perplexity, 0)}` : policyDetail(e.metrics)),
  searchEpoch: (e) => {
    const r = row(e);
    return `epoch ${r.epoch}: train ppl ${num(r.train_ppl, 1)}  mean reward ${num(r.mean_reward, 4)}  baseline ${num(r.baseline, 4)}  entropy ${num(r.entropy, 2)}  ${num(r.wall_s, 0)} s`;
  },
  evalDetail: (e) => (e.stage === 'train' ? `ppl ${num(e.metrics.perplexity, 0)}` : undefined),
  evalEpoch: (e) => {
    const r = row(e);
    return `epoch ${r.epoch}: train ppl ${num(r.train_ppl, 1)}  valid ppl ${num(r.valid_ppl, 1)}${r.averaging ? ' (averaged)' : ''}  ${num(r.wall_s, 0)} s`;
  },
};

export const TASKS: readonly CliTask[] = [CNN, RNN];

/** The task and preset of a search or evaluation preset name, or a usage error listing them all. */
export function presetOf(kind: 'search' | 'evaluate', name: string): { task: CliTask; preset: Presets[string] } {
  const key = kind === 'search' ? 'searchPresets' : 'evalPresets';
  for (const task of TASKS) if (Object.hasOwn(task[key], name)) return { task, preset: task[key][name] };
  throw new UsageError(`unknown preset '${name}'; the presets are ${TASKS.flatMap((t) => Object.keys(t[key])).join(', ')}`);
}

/** The presets of every task for a help text, under the task's title. */
export function presetHelp(kind: 'search' | 'evaluate'): string {
  const key = kind === 'search' ? 'searchPresets' : 'evalPresets';
  const width = Math.max(...TASKS.flatMap((t) => Object.keys(t[key]).map((n) => n.length)));
  return TASKS.map((t) => `Presets (${t.title}):\n${Object.entries(t[key]).map(([n, p]) => `  ${n.padEnd(width)}  ${p.summary}`).join('\n')}`).join('\n\n');
}
