// What a task is to everything above the tasks (the CLI, experiments): its presets and settings for a
// search and an evaluation, how its genotypes are read, written and drawn, how its runs are started, the
// number a finished run is judged by, and the lines printed as a run goes. One entry per task in tasks.ts.
import type { Rng } from '../random/rng.ts';
import type { TaskName } from '../rundir/run-dir.ts';
import type { RunOptions } from '../rundir/run.ts';
import type { Schema } from '../train/settings.ts';
import type { TrainingEvent } from '../train/trainer.ts';

export type TrialKind = 'search' | 'evaluate';

/** A preset: its one-line summary and its settings. */
export type Presets = Record<string, { summary: string; config: { epochs: number; seed: number } }>;

/** The number in a finished run's manifest (`result`) a run is judged by, and which way is better. */
export interface Metric {
  name: string;
  higherIsBetter: boolean;
}

type Run = RunOptions<TrainingEvent, object>;

export interface Task {
  name: TaskName;
  title: string;
  presets: Record<TrialKind, Presets>;
  schemas: Record<TrialKind, Schema>;
  metrics: Record<TrialKind, Metric>;
  search(o: Run & { config: object }): Promise<{ dir: string; genotype: unknown; derive: string; dispose(): void }>;
  evaluate(o: Run & { config: object; genotype: unknown }): Promise<{ dir: string; summary: string; dispose(): void }>;
  /** A genotype file (JSON or DARTS' form), checked. */
  readGenotype(path: string): unknown;
  /** A genotype from the JSON text an experiment carries, checked. */
  parseGenotype(text: string): unknown;
  genotypeJson(g: unknown): string;
  /** DARTS' Python form. */
  darts(g: unknown): string;
  random(rng: Rng): unknown;
  /** The progress bar's detail for a search step, and the line after each epoch. */
  searchDetail(e: TrainingEvent): string;
  searchEpoch(r: object): string;
  evalDetail(e: TrainingEvent): string | undefined;
  evalEpoch(r: object): string;
}

export const num = (v: unknown, digits: number) => Number(v).toFixed(digits);
/** An epoch's record (search or training) read by field name. */
export const row = (r: object) => r as Record<string, unknown>;
export const policyDetail = (m: TrainingEvent['metrics']) =>
  `reward ${num(m.reward, 3)} baseline ${num(m.baseline, 3)}`;
