// Where an experiment stands, as a table of trials (state, progress, worker, wall time, result): read
// from an experiment directory's experiment.json.
import { from } from 'arquero';
import { textTable } from '../viz/text-table.ts';
import type { ExperimentRecord } from './experiment-dir.ts';
import { EXPERIMENT_TASKS } from './tasks.ts';

export interface StatusRow {
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
const duration = (s: number | undefined) => (s === undefined ? '' : s < 120 ? `${Math.round(s)} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`);

export function experimentRows(r: ExperimentRecord, now = Date.now()): StatusRow[] {
  return r.trials.map((t) => {
    const s = t.status;
    const live = (s.state === 'running' || s.state === 'queued') && s.started ? (now - Date.parse(s.started)) / 1000 : s.wall_s;
    const metric = EXPERIMENT_TASKS[t.task].metrics[t.kind].name;
    const value = s.result?.[metric];
    return {
      trial: t.id, state: s.state, progress: s.state === 'finished' ? '100%' : s.state === 'running' || s.progress ? percent(s.progress, s.epoch, s.epochs) : '', worker: s.worker ?? '',
      attempts: s.attempts, wall: duration(live), result: typeof value === 'number' ? `${metric} ${value.toFixed(4)}` : s.state === 'failed' || s.state === 'skipped' ? (s.error ?? '').slice(0, 80) : '',
    };
  });
}

export const statusTable = (rows: StatusRow[]): string => (rows.length ? textTable(from(rows)) : '');

/** "8 trials: 5 finished, 2 running, 1 pending". */
export function statusSummary(rows: StatusRow[]): string {
  const counts = rows.reduce<Record<string, number>>((a, r) => ({ ...a, [r.state]: (a[r.state] ?? 0) + 1 }), {});
  return rows.length ? `${rows.length} trials: ${Object.entries(counts).map(([s, n]) => `${n} ${s}`).join(', ')}` : 'no trials';
}
