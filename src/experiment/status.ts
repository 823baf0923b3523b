// Where an experiment stands, as a table of trials (state, progress, worker, wall time, result): read
// from an experiment directory's experiment.json, or from the jobs a queue holds now.
import { from } from 'arquero';
import { Queue, type JobType } from 'bullmq';
import { textTable } from '../viz/text-table.ts';
import type { ExperimentDir, ExperimentRecord } from './experiment-dir.ts';
import type { JobProgress, TrialJob, TrialJobResult } from './jobs.ts';
import { checkRedis, producerConnection, QUEUE_NAME } from './redis.ts';
import { TASKS } from '../tasks/tasks.ts';

export interface StatusRow {
  experiment?: string;
  trial: string;
  state: string;
  progress: string;
  worker: string;
  attempts: number;
  wall: string;
  result: string;
}

const percent = (f: number | undefined, epoch?: number, epochs?: number) =>
  f === undefined ? '' : `${Math.round(f * 100)}%${epochs ? ` (epoch ${Math.min(epoch ?? 0, epochs)}/${epochs})` : ''}`;
const duration = (s: number | undefined) =>
  s === undefined
    ? ''
    : s < 120
      ? `${Math.round(s)} s`
      : s < 7200
        ? `${Math.round(s / 60)} min`
        : `${(s / 3600).toFixed(1)} h`;

/** `x`: the directory, where a finished trial's run is looked for (one deleted since shows as 'gone'). */
export function experimentRows(r: ExperimentRecord, now = Date.now(), x?: ExperimentDir): StatusRow[] {
  return r.trials.map((t) => {
    const s = t.status;
    if (s.state === 'finished' && x && !x.hasRun(t.id)) {
      const result = 'its run directory is gone; ednas experiment run FILE --out DIR runs it again';
      return {
        trial: t.id,
        state: 'gone',
        progress: '',
        worker: s.worker ?? '',
        attempts: s.attempts,
        wall: '',
        result,
      };
    }
    const live =
      (s.state === 'running' || s.state === 'queued') && s.started ? (now - Date.parse(s.started)) / 1000 : s.wall_s;
    const metric = TASKS[t.task].metrics[t.kind].name;
    const value = s.result?.[metric];
    return {
      trial: t.id,
      state: s.state,
      progress:
        s.state === 'finished'
          ? '100%'
          : s.state === 'running' || s.progress
            ? percent(s.progress, s.epoch, s.epochs)
            : '',
      worker: s.worker ?? '',
      attempts: s.attempts,
      wall: duration(live),
      result:
        typeof value === 'number'
          ? `${metric} ${value.toFixed(4)}`
          : s.state === 'failed' || s.state === 'skipped'
            ? (s.error ?? '').slice(0, 80)
            : '',
    };
  });
}

export const statusTable = (rows: StatusRow[]): string => (rows.length ? textTable(from(rows)) : '');

/** "8 trials: 5 finished, 2 running, 1 pending". */
export function statusSummary(rows: StatusRow[]): string {
  const counts: Record<string, number> = {};
  for (const r of rows) counts[r.state] = (counts[r.state] ?? 0) + 1;
  return rows.length
    ? `${rows.length} trials: ${Object.entries(counts)
        .map(([s, n]) => `${n} ${s}`)
        .join(', ')}`
    : 'no trials';
}

const STATES: JobType[] = ['active', 'waiting', 'prioritized', 'delayed', 'failed', 'completed'];

/** The trials a queue holds now, of every experiment (the latest 200 of each state). */
export async function queueRows(url: string): Promise<StatusRow[]> {
  await checkRedis(url);
  const queue = new Queue<TrialJob, TrialJobResult>(QUEUE_NAME, { connection: producerConnection(url) });
  queue.on('error', () => {});
  try {
    const rows: StatusRow[] = [];
    const now = Date.now();
    for (const state of STATES) {
      for (const job of await queue.getJobs([state], 0, 199)) {
        if (!job?.data?.trial) continue;
        const p = job.progress as Partial<JobProgress> | undefined;
        const wall = job.processedOn ? ((job.finishedOn ?? now) - job.processedOn) / 1000 : undefined;
        rows.push({
          experiment: `${job.data.name} (${job.data.experiment})`,
          trial: job.data.trial.id,
          state,
          progress:
            state === 'completed' ? '100%' : typeof p === 'object' ? percent(p.fraction, p.epoch, p.epochs) : '',
          worker: job.processedBy ?? p?.worker ?? '',
          attempts: job.attemptsStarted,
          wall: duration(wall),
          result: state === 'failed' ? (job.failedReason ?? '').slice(0, 80) : '',
        });
      }
    }
    return rows;
  } finally {
    await queue.close().catch(() => {});
  }
}
