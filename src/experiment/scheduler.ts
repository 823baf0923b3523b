// Runs an experiment's trials through an executor (the local pool or the queue): a trial starts when
// its search has finished (its derived genotype then travels with it), as many at once as the executor
// takes; experiment.json follows every change (progress at most every second). Ctrl-C stops starting
// trials and waits for the running ones to stop at their next step.
import { join } from 'node:path';
import { RunDir } from '../rundir/run-dir.ts';
import { derivedGenotype } from './expand.ts';
import type { ExperimentDir, ExperimentRecord, TrialRecord, TrialStatus } from './experiment-dir.ts';
import type { TrialProgress } from './progress.ts';

export interface TrialOutcome {
  ok: boolean;
  cancelled: boolean;
  message?: string;
}

export interface TrialHooks {
  signal: AbortSignal;
  /** The trial has begun on `worker` ("local", host:pid); `attempts` as the executor counts them. */
  onStart(worker: string, attempts?: number): void;
  onProgress(p: TrialProgress): void;
}

/** Where trials run. The trial's run directory is complete in the experiment directory when `run` resolves ok. */
export interface TrialExecutor {
  /** Trials at once. */
  capacity: number;
  run(trial: TrialRecord, hooks: TrialHooks): Promise<TrialOutcome>;
}

const now = () => new Date().toISOString();
const seconds = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 100) / 10;

/** The experiment record with every unfinished trial pending again (a rerun continues them). */
export function resetUnfinished(r: ExperimentRecord): ExperimentRecord {
  return {
    ...r,
    state: 'running',
    message: undefined,
    trials: r.trials.map((t) =>
      t.status.state === 'finished'
        ? t
        : { ...t, status: { state: 'pending', attempts: t.status.attempts, worker: t.status.worker } },
    ),
  };
}

export async function runExperiment(
  x: ExperimentDir,
  record: ExperimentRecord,
  executor: TrialExecutor,
  o: { signal: AbortSignal; onChange?: (r: ExperimentRecord) => void },
): Promise<ExperimentRecord> {
  let r = resetUnfinished(record);
  const byId = new Map(r.trials.map((t) => [t.id, t]));
  let dirty = false;
  const save = () => {
    dirty = false;
    x.write(r);
    o.onChange?.(r);
  };
  const update = (id: string, status: Partial<TrialStatus>, immediately = true) => {
    const t = byId.get(id)!;
    const next = { ...t, status: { ...t.status, ...status } };
    byId.set(id, next);
    r = { ...r, trials: r.trials.map((u) => (u.id === id ? next : u)) };
    if (immediately) save();
    else dirty = true;
  };
  const flush = setInterval(() => dirty && save(), 1000);
  save();

  const running = new Map<string, Promise<void>>();
  let fatal: Error | undefined;
  const start = (t: TrialRecord) => {
    let trial = t;
    if (t.after && t.genotype?.source === 'derived') {
      trial = { ...t, genotype: { ...t.genotype, json: derivedGenotype(t, join(x.trial(t.after), 'genotype.json')) } };
      byId.set(t.id, trial);
      r = { ...r, trials: r.trials.map((u) => (u.id === t.id ? trial : u)) };
    }
    // The wall time counts from when a worker (or the pool) began it, not from when it was queued.
    let started = now();
    update(t.id, {
      state: executor.capacity === Infinity ? 'queued' : 'running',
      started: undefined,
      progress: 0,
      error: undefined,
    });
    const job = executor
      .run(trial, {
        signal: o.signal,
        onStart: (worker, attempts) => {
          const first = byId.get(t.id)!.status.started === undefined;
          if (first) started = now();
          update(t.id, {
            state: 'running',
            worker,
            started: first ? started : byId.get(t.id)!.status.started,
            attempts: attempts ?? byId.get(t.id)!.status.attempts + 1,
          });
        },
        onProgress: (p) =>
          update(
            t.id,
            { progress: p.fraction, epoch: p.epoch, epochs: p.epochs, wall_s: seconds(started, now()) },
            false,
          ),
      })
      .then((out) => {
        const finished = now();
        const wall = byId.get(t.id)!.status.started === undefined ? undefined : seconds(started, finished);
        if (out.ok) {
          const manifest = new RunDir(x.trial(t.id)).manifest();
          update(t.id, { state: 'finished', finished, wall_s: wall, progress: 1, result: manifest.result });
        } else {
          update(t.id, { state: out.cancelled ? 'cancelled' : 'failed', finished, wall_s: wall, error: out.message });
        }
      })
      .catch((e: Error & { fatal?: boolean }) => {
        // The executor itself failed (Redis lost): the trial's state stays what it was, the experiment stops.
        if (e.fatal) fatal ??= e;
        else update(t.id, { state: o.signal.aborted ? 'cancelled' : 'failed', finished: now(), error: e.message });
      })
      .finally(() => running.delete(t.id));
    running.set(t.id, job);
  };

  try {
    for (;;) {
      if (!o.signal.aborted && !fatal) {
        for (const t of r.trials) {
          if (t.status.state !== 'pending' || running.size >= executor.capacity) continue;
          const after = t.after ? byId.get(t.after)!.status.state : 'finished';
          if (after === 'failed' || after === 'skipped')
            update(t.id, { state: 'skipped', error: `its search trial ${t.after} did not finish` });
          else if (after === 'finished') start(t);
        }
      }
      if (running.size === 0) break;
      await Promise.race(running.values());
    }
  } finally {
    clearInterval(flush);
  }
  if (fatal) {
    r = { ...r, state: 'interrupted', message: fatal.message };
    save();
    throw fatal;
  }
  const states = r.trials.map((t) => t.status.state);
  r = { ...r, state: states.every((s) => s === 'finished') ? 'finished' : o.signal.aborted ? 'cancelled' : 'failed' };
  save();
  return r;
}
