// The two tasks as an experiment sees them: which presets belong to which task, the settings' schemas,
// how a genotype is read, written and drawn at random, and the number a finished trial is judged by.
import type { Rng } from '../random/rng.ts';
import type { Schema } from '../train/settings.ts';
import type { TaskName } from '../train/run-dir.ts';
import { randomGenotype, randomRnnGenotype } from '../policy/sample.ts';
import { genotypeToJson, parseGenotype, readGenotype, type Genotype } from '../space/genotype.ts';
import { parseRnnGenotype, readRnnGenotype, rnnGenotypeToJson, type RnnGenotype } from '../space/rnn-genotype.ts';
import { SEARCH_PRESETS } from '../cnn/presets.ts';
import { SEARCH_SCHEMA } from '../cnn/search-config.ts';
import { EVAL_PRESETS, EVAL_SCHEMA } from '../cnn/eval-config.ts';
import { RNN_EVAL_PRESETS, RNN_EVAL_SCHEMA, RNN_SEARCH_PRESETS, RNN_SEARCH_SCHEMA } from '../rnn/config.ts';

export type TrialKind = 'search' | 'evaluate';

/** The number in a finished run's manifest (`result`) a trial is judged by, and which way is better. */
export interface Metric {
  name: string;
  higherIsBetter: boolean;
}

export interface ExperimentTask {
  name: TaskName;
  presets: Record<TrialKind, Record<string, { config: object }>>;
  schemas: Record<TrialKind, Schema>;
  metrics: Record<TrialKind, Metric>;
  /** A genotype file (JSON or DARTS' form), checked. */
  readGenotype(path: string): unknown;
  /** A genotype from the JSON text an experiment carries, checked. */
  parseGenotype(text: string): unknown;
  genotypeJson(g: unknown): string;
  random(rng: Rng): unknown;
}

const CNN: ExperimentTask = {
  name: 'cnn',
  presets: { search: SEARCH_PRESETS, evaluate: EVAL_PRESETS },
  schemas: { search: SEARCH_SCHEMA, evaluate: EVAL_SCHEMA },
  metrics: { search: { name: 'mean_reward', higherIsBetter: true }, evaluate: { name: 'test_acc', higherIsBetter: true } },
  readGenotype,
  parseGenotype,
  genotypeJson: (g) => genotypeToJson(g as Genotype),
  random: randomGenotype,
};

const RNN: ExperimentTask = {
  name: 'rnn',
  presets: { search: RNN_SEARCH_PRESETS, evaluate: RNN_EVAL_PRESETS },
  schemas: { search: RNN_SEARCH_SCHEMA, evaluate: RNN_EVAL_SCHEMA },
  metrics: { search: { name: 'mean_reward', higherIsBetter: true }, evaluate: { name: 'test_ppl', higherIsBetter: false } },
  readGenotype: readRnnGenotype,
  parseGenotype: parseRnnGenotype,
  genotypeJson: (g) => rnnGenotypeToJson(g as RnnGenotype),
  random: randomRnnGenotype,
};

export const EXPERIMENT_TASKS: Record<TaskName, ExperimentTask> = { cnn: CNN, rnn: RNN };

/** The task a preset belongs to, or undefined; `presetNames` lists them all for messages. */
export function taskOfPreset(kind: TrialKind, preset: string): ExperimentTask | undefined {
  return Object.values(EXPERIMENT_TASKS).find((t) => Object.hasOwn(t.presets[kind], preset));
}

export const presetNames = (kind: TrialKind): string[] => Object.values(EXPERIMENT_TASKS).flatMap((t) => Object.keys(t.presets[kind]));
