// `ednas experiment run|status|report`: many trials from one experiment file, on a local pool of trial
// processes or through a Redis queue to `ednas worker`s on other machines; their state; their report.
import { resolve } from 'node:path';
import { writeFileAtomic } from '../io/atomic.ts';
import { ExperimentDir, type ExperimentRecord, type TrialState } from '../experiment/experiment-dir.ts';
import { displayUrl } from '../experiment/redis.ts';
import { runExperimentFile } from '../experiment/run.ts';
import { experimentRows, queueRows, statusSummary, statusTable, type StatusRow } from '../experiment/status.ts';
import { experimentReport, groups, groupTable, trialValues } from '../experiment/report.ts';
import { TASKS } from '../tasks/tasks.ts';
import { textTable } from '../viz/text-table.ts';
import { numberOption, parseOptions, UsageError } from './args.ts';

export const EXPERIMENT_HELP =
  `Usage: ednas experiment run FILE [--out DIR] [--concurrency N] [--data DIR] ` +
  `[--queue redis://HOST:PORT] [--attempts N]
       ednas experiment status DIR | --queue redis://HOST:PORT [--watch]
       ednas experiment report DIR [--out FILE]

run      expands the experiment file (JSON or YAML: a grid of tasks, presets, --set values, seeds and
         genotypes; see notebooks/experiments/) into trials, each an ednas search or evaluate run in
         DIR/trials/<trial>/, and runs them; DIR/experiment.json holds every trial and its state, and
         DIR/report.html is written at the end. Run again with the same --out to continue: finished
         trials stay, the others resume from their checkpoints.
           --out DIR          the experiment directory (default runs/experiment-<name>-<time>)
           --concurrency N    trials at once on this machine (default: one per core); each trial's
                              training gets cores / N threads (EDNAS_WORKERS)
           --data DIR         the data folder of every trial, instead of the file's "data"
           --queue URL        enqueue the trials on Redis for \`ednas worker\`s (any number of machines);
                              results come back into DIR
           --attempts N       queue: runs of a failing trial before it counts as failed (default 2)
         Ctrl-C stops the trials at their next step (local) or takes the trials no worker has begun off
         the queue (queue; running ones finish and are collected when the experiment is run again).
status   a table of the trials: state, progress, worker, wall time, result; --watch keeps it live.
         With --queue URL, the trials the queue holds now, of every experiment.
report   DIR/report.html (or --out FILE): per group of seeds the mean, standard deviation and every
         seed's value, a figure of them, and derived cells against random cells paired by seed.`;

const FINAL: readonly TrialState[] = ['finished', 'failed', 'skipped', 'cancelled'];
/** The columns of the group table printed after a run. */
const GROUP_COLUMNS = ['group', 'metric', 'n', 'mean', 'sd', 'min', 'max'];

export async function experimentCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '-h' || sub === '--help') {
    console.log(EXPERIMENT_HELP);
    return 0;
  }
  if (sub === 'run') return run(rest);
  if (sub === 'status') return status(rest);
  if (sub === 'report') return report(rest);
  throw new UsageError(
    `unknown subcommand 'experiment ${sub}'; it is run, status or report. Run 'ednas experiment --help'.`,
  );
}

const metricLine = (r: ExperimentRecord, id: string) => {
  const t = r.trials.find((u) => u.id === id)!;
  const name = TASKS[t.task].metrics[t.kind].name;
  const v = t.status.result?.[name];
  return typeof v === 'number' ? `: ${name} ${v.toFixed(4)}` : '';
};

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions('experiment', argv, {
    out: { type: 'string' },
    concurrency: { type: 'string' },
    data: { type: 'string' },
    queue: { type: 'string' },
    attempts: { type: 'string' },
  });
  if (values.help) {
    console.log(EXPERIMENT_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError("give one experiment FILE. Run 'ednas experiment --help'.");
  const file = positionals[0];
  const concurrency = numberOption('concurrency', values.concurrency, { min: 1, integer: true });
  const queued = values.queue !== undefined;
  if (concurrency !== undefined && queued)
    throw new UsageError(
      '--concurrency is for the local pool; with --queue each worker has its own (ednas worker --concurrency N)',
    );
  const controller = new AbortController();
  const abort = () => {
    if (!controller.signal.aborted)
      console.error(
        queued
          ? 'stopping: taking the trials no worker has begun off the queue ...'
          : 'stopping the trials at their next step ...',
      );
    controller.abort();
  };
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  const seen = new Map<string, string>();
  let dir = values.out ?? '<DIR>';
  const onOpen = (x: ExperimentDir, r: ExperimentRecord) => {
    dir = x.dir;
    const pool =
      r.pool.kind === 'local'
        ? `local pool, ${r.pool.concurrency} trial(s) at once, ${r.pool.threads} thread(s) each`
        : `queue ${r.pool.queue} on ${r.pool.url}`;
    const before = r.trials.filter((t) => t.status.state === 'finished').length;
    console.log(
      `experiment ${r.name}: ${r.trials.length} trials${before ? ` (${before} finished before)` : ''} ` +
        `in ${resolve(x.dir)}; ${pool}`,
    );
    for (const t of r.trials) {
      if (t.status.state === 'pending' && t.status.error) console.log(`${t.id}: ${t.status.error}`);
    }
  };
  const onChange = (r: ExperimentRecord) => {
    const total = r.trials.length;
    const finished = r.trials.filter((t) => t.status.state === 'finished').length;
    for (const t of r.trials) {
      const before = seen.get(t.id);
      const now = `${t.status.state} ${t.status.worker === 'local' ? '' : (t.status.worker ?? '')}`;
      seen.set(t.id, now);
      if (before === undefined || before === now || t.status.state === 'pending') continue;
      const where = t.status.worker && t.status.worker !== 'local' ? ` on ${t.status.worker}` : '';
      const detail =
        t.status.state === 'finished'
          ? ` in ${t.status.wall_s} s${metricLine(r, t.id)}`
          : t.status.error
            ? `: ${t.status.error}`
            : '';
      console.log(
        `[${finished}/${total}] ${t.id} ${t.status.state}${t.status.state === 'running' ? where : ''}${detail}`,
      );
    }
  };
  try {
    const { x, record } = await runExperimentFile({
      file,
      out: values.out,
      data: values.data === undefined ? undefined : resolve(values.data),
      concurrency,
      queue: values.queue,
      attempts: numberOption('attempts', values.attempts, { min: 1, integer: true }),
      signal: controller.signal,
      onOpen,
      onChange,
    });
    const again = `ednas experiment run ${file} --out ${x.dir}${queued ? ` --queue ${displayUrl(values.queue!)}` : ''}`;
    const values_ = trialValues(x, record);
    if (values_.size) console.log(`\n${textTable(groupTable(groups(record, values_)).select(...GROUP_COLUMNS))}`);
    if (x.report && record.trials.some((t) => t.status.state === 'finished')) console.log(`\nreport: ${x.report}`);
    console.log(`experiment directory: ${x.dir}`);
    if (record.state === 'cancelled') {
      console.error(`cancelled; continue with: ${again}`);
      return 130;
    }
    if (record.state === 'failed') {
      for (const t of record.trials.filter((u) => u.status.state === 'failed' || u.status.state === 'skipped'))
        console.error(`trial ${t.id} ${t.status.state}: ${t.status.error ?? ''}`);
      console.error(`some trials did not finish; run them again with: ${again}`);
      return 1;
    }
    return 0;
  } catch (e) {
    if ((e as Error).name === 'RedisLostError') {
      throw new Error(
        `${(e as Error).message}. The experiment directory is consistent (finished trials are complete, the others ` +
          `untouched); when Redis is back, continue with: ednas experiment run ${file} --out ${dir} ` +
          `--queue ${displayUrl(values.queue!)}`,
      );
    }
    throw e;
  } finally {
    process.off('SIGINT', abort);
    process.off('SIGTERM', abort);
  }
}

async function status(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions('experiment', argv, {
    queue: { type: 'string' },
    watch: { type: 'boolean' },
  });
  if (values.help) {
    console.log(EXPERIMENT_HELP);
    return 0;
  }
  if ((positionals.length === 1) === (values.queue !== undefined))
    throw new UsageError("give an experiment DIR or --queue URL. Run 'ednas experiment --help'.");
  const read = async (): Promise<{ rows: StatusRow[]; done: boolean; head: string }> => {
    if (values.queue !== undefined) {
      const rows = await queueRows(values.queue);
      return { rows, done: false, head: `queue on ${displayUrl(values.queue)}` };
    }
    const x = new ExperimentDir(positionals[0]);
    const r = x.read();
    const rows = experimentRows(r, Date.now(), x);
    return {
      rows,
      done: r.state !== 'running' || r.trials.every((t) => FINAL.includes(t.status.state)),
      head: `experiment ${r.name} (${r.state})`,
    };
  };
  const show = (s: Awaited<ReturnType<typeof read>>) => `${s.head}: ${statusSummary(s.rows)}\n${statusTable(s.rows)}`;
  if (!values.watch) {
    console.log(show(await read()));
    return 0;
  }
  let stop = false;
  const interrupt = () => {
    stop = true;
  };
  process.once('SIGINT', interrupt);
  try {
    let last = '';
    while (!stop) {
      const s = await read();
      const text = show(s);
      // In a log, a table only when a trial's state or progress changed (not for each second of wall time).
      const key = JSON.stringify(s.rows.map((r) => ({ ...r, wall: '' })));
      if (process.stdout.isTTY) process.stdout.write(`\x1b[H\x1b[2J${text}\n(watching; Ctrl-C to stop)\n`);
      else if (key !== last) console.log(`${text}\n`);
      last = key;
      if (s.done) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    return 0;
  } finally {
    process.off('SIGINT', interrupt);
  }
}

async function report(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions('experiment', argv, { out: { type: 'string' } });
  if (values.help) {
    console.log(EXPERIMENT_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError("give one experiment DIR. Run 'ednas experiment --help'.");
  const x = new ExperimentDir(positionals[0]);
  const out = values.out ?? x.report;
  writeFileAtomic(out, experimentReport(x));
  const r = x.read();
  console.log(
    textTable(groupTable(groups(r, trialValues(x, r))).select('group', 'metric', 'n', 'mean', 'sd', 'min', 'max')),
  );
  console.log(`report: ${out}`);
  return 0;
}
