// The experiment directory: experiment.json (the expanded trials and the state of each, rewritten
// atomically, so a crash or a lost Redis leaves the old version or the new one), trials/<id>/ (each
// trial's run directory), inputs/ (the genotypes evaluations train), logs/ (each trial's output) and
// report.html.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.ts';
import { readJson } from '../io/json.ts';
import { RunDir } from '../rundir/run-dir.ts';
import { ExperimentFileError } from './file.ts';
import type { TrialSpec } from './expand.ts';

export type TrialState = 'pending' | 'queued' | 'running' | 'finished' | 'failed' | 'cancelled' | 'skipped';

export interface TrialStatus {
  state: TrialState;
  /** Processes started for it (local), or the queue's attempts. */
  attempts: number;
  /** Where it runs or ran: "local" or a worker's host:pid. */
  worker?: string;
  started?: string;
  finished?: string;
  /** Wall time from start to end (or until now, while it runs). */
  wall_s?: number;
  /** 0..1 of the run, with its epoch. */
  progress?: number;
  epoch?: number;
  epochs?: number;
  /** Why it failed, was cancelled or skipped. */
  error?: string;
  /** The finished run's manifest result (test_acc, test_ppl, mean_reward, ...). */
  result?: Record<string, unknown>;
}

export interface TrialRecord extends TrialSpec {
  status: TrialStatus;
}

export type Pool =
  | { kind: 'local'; cores: number; concurrency: number; threads: number }
  | { kind: 'queue'; url: string; queue: string; attempts: number };

export interface ExperimentRecord {
  schema: 1;
  /** Random; names the experiment's jobs in a queue. */
  id: string;
  name: string;
  description?: string;
  file: string;
  /** The data folder every trial reads (relative: to the project root); undefined: each task's default. */
  data?: string;
  ednas: string;
  created: string;
  updated: string;
  pool: Pool;
  state: 'running' | 'finished' | 'failed' | 'cancelled' | 'interrupted';
  /** Why it stopped, and how to continue. */
  message?: string;
  trials: TrialRecord[];
}

export class ExperimentDir {
  constructor(readonly dir: string) {}

  get file(): string {
    return join(this.dir, 'experiment.json');
  }

  get report(): string {
    return join(this.dir, 'report.html');
  }

  exists(): boolean {
    return existsSync(this.file);
  }

  trial(id: string): string {
    return join(this.dir, 'trials', id);
  }

  /** Where an evaluation's genotype is written for its process (outside its run directory, which must start empty). */
  input(id: string): string {
    return join(this.dir, 'inputs', `${id}.genotype.json`);
  }

  /** Whether trial `id` has its finished run in place (a deleted folder or a damaged manifest: no). */
  hasRun(id: string): boolean {
    try {
      return new RunDir(this.trial(id)).manifest().status === 'finished';
    } catch {
      return false;
    }
  }

  log(id: string): string {
    return join(this.dir, 'logs', `${id}.log`);
  }

  read(): ExperimentRecord {
    if (!this.exists())
      throw new ExperimentFileError(
        `${this.dir} is not an experiment directory (no experiment.json); ednas experiment run FILE ` +
          `--out ${this.dir} makes one.`,
      );
    const r = readJson<ExperimentRecord>(this.file, "the experiment's record");
    if (r.schema !== 1 || !Array.isArray(r.trials))
      throw new ExperimentFileError(`${this.file} is not an EDNAS experiment record, or it is damaged.`);
    return r;
  }

  write(r: ExperimentRecord): void {
    writeFileAtomic(this.file, `${JSON.stringify({ ...r, updated: new Date().toISOString() }, null, 2)}\n`);
  }
}

/** What must not change between runs of one experiment directory: the trials and their settings. */
const identity = (t: TrialSpec) =>
  JSON.stringify([
    t.id,
    t.kind,
    t.preset,
    t.config,
    t.after,
    t.genotype?.source,
    t.genotype?.label,
    t.genotype?.source === 'derived' ? undefined : t.genotype?.json,
  ]);

/** Whether a directory's trials are the ones the file expands to now (then the run continues them). */
export const sameTrials = (a: readonly TrialSpec[], b: readonly TrialSpec[]): boolean =>
  a.length === b.length && a.every((t, k) => identity(t) === identity(b[k]));
