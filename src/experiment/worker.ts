// A BullMQ worker that runs trials: each job is a trial process in a run directory under the run root,
// its progress reported through the job, its result files returned as the job's value. With a shared run
// root (`--runs DIR` on every worker) a trial whose worker died resumes from its last checkpoint on
// another worker; with a private one (a temporary folder) it starts again. Stopping the worker (Ctrl-C,
// SIGTERM) stops its trials at their next step and puts them back in the queue, not counted as attempts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DelayedError, Worker, type Job } from 'bullmq';
import { RunDir } from '../rundir/run-dir.ts';
import { projectPath } from './expand.ts';
import { checkTrialJob } from './job-check.ts';
import type { JobProgress, TrialJob, TrialJobResult } from './jobs.ts';
import { inside } from './names.ts';
import { poolSize } from './local-pool.ts';
import { checkRedis, displayUrl, QUEUE_NAME, QUEUE_SETTINGS, workerConnection } from './redis.ts';
import { runTrialProcess } from './trial-process.ts';

export interface WorkerOptions {
  url: string;
  /** Trials at once. */
  concurrency: number;
  /** A run root shared by all workers; undefined: a private temporary one. */
  runs?: string;
  /** The data folder on this machine, instead of the experiment's. */
  data?: string;
  stalledAfterS?: number;
  maxStalledCount?: number;
  /** One line per event (a trial taken, finished, failed; Redis lost and back). */
  log: (line: string) => void;
}

/** What became of the trials a worker was running when it stopped. */
export interface StopReport {
  /** Back in the queue, for the next worker. */
  requeued: string[];
  /** Trials that could not go back, and why (their job gone from Redis, or Redis not answering). */
  lost: { trial: string; why: string }[];
}

export interface TrialWorker {
  name: string;
  /** Stops the trials at their next step, returns them to the queue (where it can) and closes the worker. */
  stop(): Promise<StopReport>;
}

const LOG_TAIL = 256 * 1024;
const PROGRESS_EVERY_MS = 1000;
/** How long a stopping worker waits for Redis to take a trial back. */
const REQUEUE_TIMEOUT_MS = 5000;

/** Why a job could not be handed back, in words. */
const gone = (e: Error): string =>
  /Missing key|Missing lock|could not renew|not exist/i.test(e.message)
    ? `its job is no longer in Redis (${e.message}; did Redis restart without its data?): ` +
      'run its experiment again to queue it'
    : e.message;

export async function startWorker(o: WorkerOptions): Promise<TrialWorker> {
  await checkRedis(o.url);
  const name = `${hostname()}:${process.pid}`;
  const root = o.runs ?? mkdtempSync(join(tmpdir(), 'ednas-worker-'));
  const { threads } = poolSize(o.concurrency);
  const trials = new Map<string, { controller: AbortController; why?: 'stop' | 'lock' }>();
  const report: StopReport = { requeued: [], lost: [] };
  let stopping = false;

  const process_ = async (
    job: Job<TrialJob, TrialJobResult>,
    token?: string,
    signal?: AbortSignal,
  ): Promise<TrialJobResult> => {
    // Checked whole before anything touches the disk: a job is whatever someone wrote to the Redis.
    let checked: TrialJob;
    try {
      checked = checkTrialJob(job.data, job.id);
    } catch (e) {
      o.log(`${name}: ${(e as Error).message}`);
      throw e;
    }
    const { trial, experiment } = checked;
    const dir = inside(root, experiment, trial.id);
    const entry: { controller: AbortController; why?: 'stop' | 'lock' } = { controller: new AbortController() };
    trials.set(job.id!, entry);
    signal?.addEventListener('abort', () => entry.controller.abort(), { once: true });
    let last = 0;
    o.log(
      `${name} takes trial ${trial.id} of experiment ${checked.name} (${experiment}), attempt ${job.attemptsStarted}`,
    );
    try {
      const exit = await runTrialProcess({
        trial,
        dir,
        genotypeFile: `${dir}.genotype.json`,
        log: `${dir}.log`,
        threads,
        data: o.data ?? (checked.data ? projectPath(checked.data) : undefined),
        signal: entry.controller.signal,
        onProgress: (p) => {
          if (Date.now() - last < PROGRESS_EVERY_MS && p.fraction < 1) return;
          last = Date.now();
          const progress: JobProgress = { fraction: p.fraction, epoch: p.epoch, epochs: p.epochs, worker: name };
          job.updateProgress(progress).catch(() => {});
        },
      });
      if (exit.ok) {
        const result: TrialJobResult = {
          files: new RunDir(dir).resultFiles(),
          log: readFileSync(`${dir}.log`).subarray(-LOG_TAIL).toString('utf8'),
          worker: name,
          resumed: exit.resumed,
        };
        o.log(`${name} finished trial ${trial.id}${exit.resumed ? ' (resumed from its checkpoint)' : ''}`);
        // A private run root is only a place to work: the results travel with the job.
        if (!o.runs) rmSync(dir, { recursive: true, force: true });
        return result;
      }
      if (exit.cancelled && entry.why === 'stop' && token) {
        // Back to the queue at once, not counted as a failed attempt; said so only once Redis has taken it.
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<never>((_, fail) => {
          const silent = new Error(`Redis did not answer within ${REQUEUE_TIMEOUT_MS / 1000} s`);
          timer = setTimeout(() => fail(silent), REQUEUE_TIMEOUT_MS);
        });
        const why = await Promise.race([job.moveToDelayed(Date.now(), token), late]).then(
          () => undefined,
          (e: Error) => gone(e),
        );
        clearTimeout(timer);
        if (why === undefined) {
          report.requeued.push(trial.id);
          o.log(`${name} stopped trial ${trial.id}; it is back in the queue`);
          throw new DelayedError();
        }
        report.lost.push({ trial: trial.id, why });
        o.log(`${name} stopped trial ${trial.id}; it could not go back to the queue: ${why}`);
        throw new Error(`stopped; not back in the queue: ${why}`);
      }
      if (exit.cancelled && entry.why === 'lock') {
        throw new Error("stopped: its job is no longer this worker's (another worker took it over, or Redis lost it)");
      }
      throw new Error(exit.message ?? 'failed');
    } catch (e) {
      if (!(e instanceof DelayedError)) o.log(`${name}: trial ${trial.id} failed: ${(e as Error).message}`);
      throw e;
    } finally {
      trials.delete(job.id!);
    }
  };

  const stalledAfterS = o.stalledAfterS ?? QUEUE_SETTINGS.stalledAfterS;
  const worker = new Worker<TrialJob, TrialJobResult>(QUEUE_NAME, process_, {
    connection: workerConnection(o.url),
    name,
    concurrency: o.concurrency,
    lockDuration: stalledAfterS * 1000,
    stalledInterval: Math.max(500, stalledAfterS * 500),
    maxStalledCount: o.maxStalledCount ?? QUEUE_SETTINGS.maxStalledCount,
  });
  let away = false;
  worker.on('error', (e) => {
    if (away || stopping) return;
    away = true;
    o.log(`${name}: Redis at ${displayUrl(o.url)}: ${e.message}; retrying`);
  });
  worker.on('ready', () => {
    if (away) o.log(`${name}: Redis at ${displayUrl(o.url)} is back`);
    away = false;
  });
  // Another worker may have taken the trial over: this copy must stop writing.
  worker.on('lockRenewalFailed', (ids) => {
    for (const id of ids) {
      const t = trials.get(id);
      if (t) {
        t.why = 'lock';
        t.controller.abort();
      }
    }
  });
  await worker.waitUntilReady();
  o.log(
    `worker ${name} on ${displayUrl(o.url)}: ${o.concurrency} trial(s) at once, ${threads} thread(s) each, run ` +
      `root ${root}${o.runs ? ' (shared)' : ' (private)'}`,
  );

  return {
    name,
    stop: async () => {
      stopping = true;
      for (const t of trials.values()) {
        t.why = 'stop';
        t.controller.abort();
      }
      // close() waits for the trials to hand their jobs back; a Redis that is gone or silent cannot take
      // them, so once every trial's process has ended the worker waits a few seconds more, not forever.
      const ended = (async () => {
        while (trials.size > 0) await sleep(200);
        await sleep(REQUEUE_TIMEOUT_MS);
      })();
      await Promise.race([worker.close(), ended, sleep(120_000)]);
      if (!o.runs) rmSync(root, { recursive: true, force: true });
      return report;
    },
  };
}
