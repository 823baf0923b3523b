// The embedded default: trials as concurrent processes on this machine, nothing to install. As many at
// once as there are cores unless told otherwise, and each trial's training gets cores / trials threads
// (EDNAS_WORKERS), so trials x threads never exceed the cores.
import { availableParallelism } from 'node:os';
import type { ExperimentDir } from './experiment-dir.ts';
import type { TrialExecutor } from './scheduler.ts';
import { runTrialProcess } from './trial-process.ts';

export interface PoolSize {
  cores: number;
  concurrency: number;
  threads: number;
}

/** Trials at once (`requested`, else one per core) and the threads each trial's training may use. */
export function poolSize(requested?: number, cores = availableParallelism()): PoolSize {
  const concurrency = Math.max(1, requested ?? cores);
  return { cores, concurrency, threads: Math.max(1, Math.floor(cores / concurrency)) };
}

/** Runs each trial as a process in its run directory inside the experiment directory. */
export function localPool(x: ExperimentDir, size: PoolSize, data: string | undefined): TrialExecutor {
  return {
    capacity: size.concurrency,
    run: async (trial, hooks) => {
      hooks.onStart('local');
      return runTrialProcess({
        trial,
        dir: x.trial(trial.id),
        genotypeFile: x.input(trial.id),
        data,
        threads: size.threads,
        log: x.log(trial.id),
        signal: hooks.signal,
        onProgress: hooks.onProgress,
      });
    },
  };
}
