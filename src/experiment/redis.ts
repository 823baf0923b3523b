// Redis for the queue: the URL, a check that fails fast (a few seconds, one line saying what to do)
// instead of BullMQ's endless reconnecting, and the settings of the queue and its workers, chosen here
// rather than left at the library's defaults.
import { Redis } from 'ioredis';
import type { RedisOptions } from 'bullmq';

/** The queue every experiment's trials go through; a job's id names its experiment and trial. */
export const QUEUE_NAME = 'ednas-trials';

/** How long a check waits for Redis to answer. */
const CONNECT_TIMEOUT_MS = 3000;

export class RedisUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisUnavailableError';
  }
}

/** Settings of trial jobs and workers. */
export const QUEUE_SETTINGS = {
  /** A failed trial (its process ended in an error) runs again once, 10 s later; failures of settings are caught before anything is queued. */
  attempts: 2,
  backoff: { type: 'exponential', delay: 10_000 },
  /** Finished jobs keep their results a week (an interrupted `experiment run` collects them when run again). */
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: { age: 30 * 24 * 3600 },
  /**
   * A worker holds a trial under a lock it renews every half of this; a worker that died (kill -9, a lost
   * machine) lets it lapse and the trial goes to another worker within about twice this time. The worker
   * process only waits for its trial's process, so renewals are never late because training is busy.
   */
  stalledAfterS: 60,
  /** A trial whose worker died more often than this fails (a trial that kills its machine must not go round forever). */
  maxStalledCount: 2,
} as const;

/** The connection options of a redis:// (or rediss://, TLS) URL; an error naming the URL otherwise. */
export function redisOptions(url: string): RedisOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new RedisUnavailableError(`--queue expects a URL redis://HOST:PORT, got '${url}'`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new RedisUnavailableError(`--queue expects a URL redis://HOST:PORT (rediss:// for TLS), got '${url}'`);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new RedisUnavailableError(`--queue ${url}: the path must be a database number (redis://HOST:PORT/0)`);
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db,
    tls: u.protocol === 'rediss:' ? {} : undefined,
  };
}

/** The URL without its password, for records and messages. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

/** A message for a Redis that cannot be reached: the URL, the cause, and how to get one. */
export const unreachable = (url: string, cause: string): string =>
  `cannot reach Redis at ${displayUrl(url)} (${cause}). Start Redis where every machine can reach it (Debian: apt-get install redis-server; ` +
  `or redis-server --port 6379 --bind <address>), or correct --queue.`;

/** Resolves when Redis answers a PING within a few seconds; else a RedisUnavailableError that says what to do. */
export async function checkRedis(url: string): Promise<void> {
  const client = new Redis({
    ...redisOptions(url), lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null,
  });
  // connect() rejects with "Connection is closed"; the cause (ECONNREFUSED, ENOTFOUND, ...) comes as an event.
  let cause: Error | undefined;
  client.on('error', (e: Error) => { cause ??= e; });
  try {
    await client.connect();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, fail) => { timer = setTimeout(() => fail(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS); });
    await Promise.race([client.ping(), timeout]).finally(() => clearTimeout(timer));
  } catch (e) {
    const message = (cause ?? (e as Error)).message || String(e);
    throw new RedisUnavailableError(unreachable(url, /RESP|Protocol error/i.test(message) ? `what answers there does not speak Redis' protocol: ${message}` : message));
  } finally {
    client.disconnect();
  }
}

/**
 * Connection options of the submitting side: commands fail at once while Redis is away (no offline
 * queue, one retry), so an experiment notices a lost Redis instead of hanging; reconnects every second.
 */
export const producerConnection = (url: string): RedisOptions => ({
  ...redisOptions(url), connectTimeout: CONNECT_TIMEOUT_MS, enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => 1000,
});

/** Connection options of a worker: it waits out a Redis restart (BullMQ's blocking reads need maxRetriesPerRequest null). */
export const workerConnection = (url: string): RedisOptions => ({
  ...redisOptions(url), connectTimeout: CONNECT_TIMEOUT_MS, maxRetriesPerRequest: null, retryStrategy: (times: number) => Math.min(1000 * times, 5000),
});
