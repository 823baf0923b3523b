// A trial as a BullMQ job: what the submitting machine sends (the trial with its genotype, the data
// folder, the version it was made with), the progress a worker reports, and what comes back: the run's
// result files (no checkpoints), so the experiment directory is complete without a shared file system.
import type { RunFile } from '../rundir/run-dir.ts';
import type { TrialSpec } from './expand.ts';

export interface TrialJob {
  /** The ednas version that expanded the trial; a worker of another version refuses it. */
  ednas: string;
  experiment: string;
  /** The experiment's name, for status tables. */
  name: string;
  trial: TrialSpec;
  /** The data folder (relative: to each worker's project root), unless a worker is given --data. */
  data?: string;
}

export interface JobProgress {
  fraction: number;
  epoch: number;
  epochs: number;
  worker: string;
}

export interface TrialJobResult {
  files: RunFile[];
  /** The end of the trial's output on the worker. */
  log: string;
  worker: string;
  resumed: boolean;
}

/** One job per trial and experiment: adding it twice (an experiment run again) adds nothing. */
export const jobId = (experiment: string, trial: string): string => `${experiment}.${trial}`;
