// The submitting side of the queue: each trial becomes a BullMQ job (its id names the experiment and the
// trial, so running the experiment again finds its jobs instead of adding new ones), its state and
// progress are polled, and a finished trial's result files are written into the experiment directory.
// Redis away for longer than `lostAfterMs` stops the experiment with a clear error; experiment.json and
// the trial directories are only ever replaced whole, so what is on disk stays consistent.
import { setTimeout as sleep } from 'node:timers/promises';
import { Job, Queue } from 'bullmq';
import { VERSION } from '../version.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { RunDir } from '../rundir/run-dir.ts';
import type { ExperimentDir, ExperimentRecord, TrialRecord } from './experiment-dir.ts';
import { jobId, type JobProgress, type TrialJob, type TrialJobResult } from './jobs.ts';
import { checkRedis, displayUrl, producerConnection, QUEUE_NAME, QUEUE_SETTINGS } from './redis.ts';
import type { TrialExecutor, TrialHooks, TrialOutcome } from './scheduler.ts';

/** Redis went away in the middle of an experiment: the experiment stops (`fatal`), its trials are not failed. */
export class RedisLostError extends Error {
  readonly fatal = true;
  constructor(message: string) {
    super(message);
    this.name = 'RedisLostError';
  }
}

export interface QueueExecutor extends TrialExecutor {
  close(): Promise<void>;
}

const WAITING = ['waiting', 'delayed', 'prioritized', 'paused', 'waiting-children'];
/** After Ctrl-C, how long the trials may take to leave the queue before the experiment stops without them. */
const WITHDRAW_MS = 3000;

/** Resolves when `signal` aborts (at once if it has). */
const aborted = (signal: AbortSignal): Promise<void> =>
  new Promise((done) => (signal.aborted ? done() : signal.addEventListener('abort', () => done(), { once: true })));

export async function queueExecutor(
  x: ExperimentDir,
  record: ExperimentRecord,
  url: string,
  o: { attempts: number; pollMs?: number; lostAfterMs?: number },
): Promise<QueueExecutor> {
  const pollMs = o.pollMs ?? 1000;
  const lostAfterMs = o.lostAfterMs ?? 10_000;
  await checkRedis(url);
  const queue = new Queue<TrialJob, TrialJobResult>(QUEUE_NAME, { connection: producerConnection(url) });
  queue.on('error', () => {}); // met in the polls, which decide when Redis is lost
  await queue.waitUntilReady();
  let lastOk = Date.now();

  /** `f`'s value, or undefined when Redis did not answer; a RedisLostError once it has not answered for lostAfterMs. */
  const ask = async <T>(f: () => Promise<T>): Promise<{ value: T } | undefined> => {
    try {
      const value = await f();
      lastOk = Date.now();
      return { value };
    } catch (e) {
      const away = Date.now() - lastOk;
      if (away > lostAfterMs)
        throw new RedisLostError(
          `lost the connection to Redis at ${displayUrl(url)} (${(e as Error).message}; no answer ` +
            `for ${Math.round(away / 1000)} s)`,
        );
      return undefined;
    }
  };
  // The state first, then the job: read the other way round, a job that completes in between reads as
  // completed without its return value.
  const look = (id: string) =>
    ask(async () => {
      const state = await queue.getJobState(id);
      const job = await Job.fromId<TrialJob, TrialJobResult>(queue, id);
      return job ? { job, state } : undefined;
    });

  const collect = (trial: TrialRecord, result: TrialJobResult): TrialOutcome => {
    if (!result?.files?.some((f) => f.name === 'manifest.json'))
      return { ok: false, cancelled: false, message: `the worker returned no run for trial ${trial.id}` };
    new RunDir(x.trial(trial.id)).writeResultFiles(result.files);
    writeFileAtomic(x.log(trial.id), result.log);
    return { ok: true, cancelled: false };
  };

  /** Ctrl-C: a trial no worker has taken leaves the queue; one that runs finishes there and waits to be collected. */
  const withdraw = async (trial: TrialRecord, id: string): Promise<TrialOutcome> => {
    const got = await look(id).catch(() => undefined);
    const v = got?.value;
    if (v?.state === 'completed') return collect(trial, v.job.returnvalue);
    if (v && WAITING.includes(v.state)) {
      await v.job.remove().catch(() => {});
      return { ok: false, cancelled: true, message: 'cancelled before a worker took it' };
    }
    if (v?.state === 'active')
      return {
        ok: false,
        cancelled: true,
        message: `still running on ${v.job.processedBy ?? 'a worker'}; run the experiment again to collect its results`,
      };
    if (!got) return { ok: false, cancelled: true, message: unanswered };
    return { ok: false, cancelled: true, message: 'cancelled' };
  };
  const unanswered =
    `cancelled while Redis at ${displayUrl(url)} did not answer: its job may still be in the queue; ` +
    'run the experiment again to take it off or collect it';
  /** Ctrl-C ends the experiment within seconds, whether Redis answers or not. */
  const withdrawSoon = (trial: TrialRecord, id: string): Promise<TrialOutcome> =>
    Promise.race([
      withdraw(trial, id),
      sleep(WITHDRAW_MS).then((): TrialOutcome => ({ ok: false, cancelled: true, message: unanswered })),
    ]);

  const run = async (trial: TrialRecord, hooks: TrialHooks): Promise<TrialOutcome> => {
    const id = jobId(record.id, trial.id);
    const data: TrialJob = { ednas: VERSION, experiment: record.id, name: record.name, trial, data: record.data };
    let added = false;
    // One listener for the whole trial (one a poll would pile up on the signal).
    const stopped = aborted(hooks.signal).then(() => 'aborted' as const);
    let seen = '';
    for (let first = true; ; first = false) {
      if (hooks.signal.aborted) return withdrawSoon(trial, id);
      // A poll waits for Redis at most COMMAND_TIMEOUT_MS per command, and not at all once Ctrl-C came.
      const asked = look(id);
      asked.catch(() => {});
      const got = await Promise.race([asked, stopped]);
      if (got === 'aborted') return withdrawSoon(trial, id);
      if (got && !got.value) {
        if (added)
          return {
            ok: false,
            cancelled: false,
            message: 'its job left the queue before it finished (removed by hand?)',
          };
        const { attempts } = o;
        const { backoff, removeOnComplete, removeOnFail } = QUEUE_SETTINGS;
        added =
          (await ask(() =>
            queue.add(trial.id, data, { jobId: id, attempts, backoff, removeOnComplete, removeOnFail }),
          )) !== undefined;
      } else if (got?.value) {
        added = true;
        const { job, state } = got.value;
        if (state === 'completed') return collect(trial, job.returnvalue);
        if (state === 'failed') {
          // Failed in an earlier run of this experiment: running it again means trying again.
          if (first && (await ask(() => job.retry('failed')))) continue;
          return {
            ok: false,
            cancelled: false,
            message: `${job.failedReason ?? 'failed'} (after ${job.attemptsMade} attempts)`,
          };
        }
        if (state === 'active') {
          const worker = job.processedBy ?? (job.progress as JobProgress | undefined)?.worker ?? 'a worker';
          if (`${worker}/${job.attemptsStarted}` !== seen) {
            seen = `${worker}/${job.attemptsStarted}`;
            hooks.onStart(worker, job.attemptsStarted);
          }
          const p = job.progress as Partial<JobProgress> | number | undefined;
          if (typeof p === 'object' && typeof p.fraction === 'number')
            hooks.onProgress({
              type: 'ednas-progress',
              stage: '',
              step: 0,
              total: 0,
              epoch: p.epoch ?? 0,
              epochs: p.epochs ?? 0,
              fraction: p.fraction,
            });
        }
      }
      await sleep(pollMs, undefined, { signal: hooks.signal }).catch(() => {});
    }
  };

  return {
    capacity: Infinity,
    run,
    close: async () => {
      const timeout = sleep(2000).then(() => queue.disconnect());
      await Promise.race([queue.close(), timeout]).catch(() => {});
    },
  };
}
