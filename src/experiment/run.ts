// `ednas experiment run` as a function: the file read and expanded (every trial's settings checked before
// anything runs), the experiment directory made or continued (the same file's trials, run again: what
// finished stays, the rest runs or resumes), the trials run on the local pool or through the queue, and
// the report written.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { VERSION } from '../version.ts';
import { PACKAGE_ROOT } from '../data/locate.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { LOCK_FILE, lockFolder } from '../io/lock.ts';
import { readExperimentFile, ExperimentFileError, type ExperimentFile } from './file.ts';
import { expandExperiment, projectPath, type TrialSpec } from './expand.ts';
import { ExperimentDir, sameTrials, type ExperimentRecord, type Pool } from './experiment-dir.ts';
import { localPool, poolSize } from './local-pool.ts';
import { queueExecutor, type QueueExecutor } from './producer.ts';
import { checkRedis, displayUrl, QUEUE_NAME, QUEUE_SETTINGS } from './redis.ts';
import { runExperiment, type TrialExecutor } from './scheduler.ts';
import { experimentReport } from './report.ts';

export interface ExperimentRunOptions {
  file: string;
  out?: string;
  /** The data folder for every trial (absolute), instead of the file's. */
  data?: string;
  concurrency?: number;
  /** A Redis URL: the trials go to workers through the queue. */
  queue?: string;
  attempts?: number;
  signal: AbortSignal;
  /** The experiment directory, once it is made or found, before any trial runs. */
  onOpen?: (x: ExperimentDir, r: ExperimentRecord) => void;
  /** Each change of the record (a trial started, progressed, finished). */
  onChange?: (r: ExperimentRecord) => void;
  /** Queue: how often jobs are polled, and how long Redis may be away before the experiment stops. */
  pollMs?: number;
  lostAfterMs?: number;
}

/**
 * The experiment directory, new or (same trials) continued, held by this process until `release`: a
 * second run on it is refused naming the first; a folder holding anything else is refused.
 */
export function openExperiment(
  o: Pick<ExperimentRunOptions, 'file' | 'out' | 'data'>,
  pool: Pool,
  file = readExperimentFile(o.file),
  trials = expandExperiment(file),
): { x: ExperimentDir; record: ExperimentRecord; release: () => void } {
  const out =
    o.out ?? join(PACKAGE_ROOT, 'runs', `experiment-${file.name}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  const x = new ExperimentDir(out);
  const release = lockFolder(out, `the experiment directory ${out}`);
  try {
    return { ...openLocked(o, x, pool, file, trials), release };
  } catch (e) {
    release();
    throw e;
  }
}

function openLocked(
  o: Pick<ExperimentRunOptions, 'file' | 'data'>,
  x: ExperimentDir,
  pool: Pool,
  file: ExperimentFile,
  trials: TrialSpec[],
): { x: ExperimentDir; record: ExperimentRecord } {
  const out = x.dir;
  const data = o.data ?? file.data;
  if (x.exists()) {
    const old = x.read();
    if (!sameTrials(old.trials, trials))
      throw new ExperimentFileError(
        `${out} holds another experiment (its trials differ from those of ${o.file}); choose another --out, or run ` +
          `the file it was made from.`,
      );
    if (old.data !== data)
      throw new ExperimentFileError(
        `${out} was run with the data ${old.data ?? "of each task's default"}, ` +
          `not ${data ?? "each task's default"}: one experiment, one data set. Choose another --out.`,
      );
    // A finished trial whose run directory was deleted since runs again (the messages say so).
    const trials_ = old.trials.map((t) => {
      if (t.status.state !== 'finished' || x.hasRun(t.id)) return t;
      const error = `finished before, but its run directory ${x.trial(t.id)} is gone: it runs again`;
      return { ...t, status: { state: 'pending' as const, attempts: t.status.attempts, error } };
    });
    return { x, record: { ...old, pool, ednas: VERSION, trials: trials_ } };
  }
  if (existsSync(out) && readdirSync(out).some((n) => n !== LOCK_FILE))
    throw new ExperimentFileError(`${out} already holds files and no experiment.json; choose another --out.`);
  const now = new Date().toISOString();
  const record: ExperimentRecord = {
    schema: 1,
    id: randomBytes(6).toString('hex'),
    name: file.name,
    description: file.description,
    file: resolve(o.file),
    data,
    ednas: VERSION,
    created: now,
    updated: now,
    pool,
    state: 'running',
    trials: trials.map((t) => ({ ...t, status: { state: 'pending', attempts: 0 } })),
  };
  x.write(record);
  return { x, record };
}

/**
 * The data folder of a local run exists, checked before any trial starts (each would fail on its own).
 * Through the queue each worker checks its own: its project root or --data may differ from this one's.
 */
function checkDataFolder(data: string | undefined, where: string): void {
  if (data === undefined) return;
  const path = projectPath(data);
  const root = isAbsolute(data) ? '' : ` (relative paths start at the project root, ${PACKAGE_ROOT})`;
  if (!existsSync(path)) {
    throw new ExperimentFileError(
      `${where}: no data folder ${path}${root}; download the data (ednas data) or correct the path.`,
    );
  }
  if (!statSync(path).isDirectory()) {
    throw new ExperimentFileError(
      `${where}: ${path} is a file, not a data folder; give the folder that holds the data set.`,
    );
  }
}

export async function runExperimentFile(
  o: ExperimentRunOptions,
): Promise<{ x: ExperimentDir; record: ExperimentRecord }> {
  const size = poolSize(o.concurrency);
  const attempts = o.attempts ?? QUEUE_SETTINGS.attempts;
  const pool: Pool =
    o.queue !== undefined
      ? { kind: 'queue', url: displayUrl(o.queue), queue: QUEUE_NAME, attempts }
      : { kind: 'local', ...size };
  // Every trial's settings are checked, and Redis reached, before the experiment directory is made.
  const file = readExperimentFile(o.file);
  const trials = expandExperiment(file);
  if (o.queue !== undefined) await checkRedis(o.queue);
  else checkDataFolder(o.data ?? file.data, o.data === undefined ? `${file.path}: data` : '--data');
  const { x, record, release } = openExperiment(o, pool, file, trials);
  let executor: TrialExecutor | QueueExecutor | undefined;
  try {
    o.onOpen?.(x, record);
    executor =
      o.queue !== undefined
        ? await queueExecutor(x, record, o.queue, { attempts, pollMs: o.pollMs, lostAfterMs: o.lostAfterMs })
        : localPool(x, size, record.data ? projectPath(record.data) : undefined);
    const done = await runExperiment(x, record, executor, { signal: o.signal, onChange: o.onChange });
    if (done.trials.some((t) => t.status.state === 'finished')) writeFileAtomic(x.report, experimentReport(x));
    return { x, record: done };
  } finally {
    if (executor && 'close' in executor) await executor.close();
    release();
  }
}
