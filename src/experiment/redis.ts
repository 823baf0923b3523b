// Redis for the queue: the URL, a check that fails fast (a few seconds, one line saying what to do)
// instead of BullMQ's endless reconnecting, and the settings of the queue and its workers, chosen here
// rather than left at the library's defaults.
import { Redis } from 'ioredis';
import type { RedisOptions } from 'bullmq';

/** The queue every experiment's trials go through; a job's id names its experiment and trial. */
export const QUEUE_NAME = 'ednas-trials';

/** How long a check waits for Redis to answer. */
const CONNECT_TIMEOUT_MS = 3000;
/**
 * How long the submitting side waits for any one command: a Redis that stops answering (SIGSTOP, a
 * frozen machine, a dropped route) keeps its TCP connection open, and without this a command waits forever.
 */
export const COMMAND_TIMEOUT_MS = 5000;

export class RedisUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisUnavailableError';
  }
}

/** Settings of trial jobs and workers. */
export const QUEUE_SETTINGS = {
  /** A failed trial (its process ended in an error) runs again once, 10 s later; failures of settings are caught before
   * anything is queued.
   */
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
  /**
   * A trial whose worker died more often than this fails (a trial that kills its machine must not go round forever).
   */
  maxStalledCount: 2,
} as const;

/** The connection options of a redis:// (or rediss://, TLS) URL; an error naming the URL otherwise. */
export function redisOptions(url: string): RedisOptions {
  if (url.trim() === '') {
    throw new RedisUnavailableError(
      '--queue is empty; give the Redis URL, redis://HOST:PORT ' + "(leave --queue out to run on this machine's pool)",
    );
  }
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new RedisUnavailableError(`--queue expects a URL redis://HOST:PORT, got '${displayUrl(url)}'`);
  }
  const shown = displayUrl(url);
  const refuse = (why: string): never => {
    throw new RedisUnavailableError(why);
  };
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    refuse(`--queue expects a URL redis://HOST:PORT (rediss:// for TLS), got '${shown}'`);
  }
  if (u.search || u.hash) {
    refuse(`--queue ${shown}: options after '?' or '#' are not read; give redis://[USER:PASSWORD@]HOST:PORT[/DB]`);
  }
  const path = u.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d{1,5}$/.test(path)) {
    refuse(`--queue ${shown}: the path must be a database number (redis://HOST:PORT/0), got '/${path}'`);
  }
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: path === '' ? 0 : Number(path),
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
    // Not a URL, but it may still hold a password: whatever lies between "user:" and "@" is hidden.
    return url.replace(/^([^/]*\/\/[^:@/]*:)[^@]*@/, '$1***@');
  }
}

/** A message for a Redis that cannot be reached: the URL, the cause, and how to get one. */
export const unreachable = (url: string, cause: string): string =>
  `cannot reach Redis at ${displayUrl(url)} (${cause}). Start Redis where every machine can reach it (Debian: ` +
  `apt-get install redis-server; or redis-server --port 6379 --bind <address>), or correct --queue.`;

/** Why Redis refused a client, in words: a password missing or wrong, a database it does not have. */
function refusal(message: string, url: string, db: number): string | undefined {
  const shown = displayUrl(url);
  const cause = message.replace(/\.$/, '');
  if (/NOAUTH/.test(message)) {
    return (
      `Redis at ${shown} requires a password; give it in the URL: redis://:PASSWORD@HOST:PORT ` +
      '(or redis://USER:PASSWORD@HOST:PORT for an ACL user)'
    );
  }
  if (/WRONGPASS|invalid password|invalid username-password/i.test(message)) {
    return `Redis at ${shown} refused the user name or password in the URL (${cause}); correct them in --queue`;
  }
  if (/DB index is out of range|invalid DB index/i.test(message)) {
    return (
      `Redis at ${shown} has no database ${db} (${cause}); use one of its databases ` +
      "(0 to 15 by default: redis.conf 'databases')"
    );
  }
  if (/NOPERM/.test(message)) {
    return (
      `the Redis user in ${shown} may not run what the queue needs (${cause}); ` +
      "grant it the queue's commands and keys (ACL)"
    );
  }
  return undefined;
}

/** Resolves when Redis answers a PING and selects the URL's database in seconds; else an error saying what to do. */
export async function checkRedis(url: string): Promise<void> {
  const { db = 0, ...options } = redisOptions(url);
  const client = new Redis({
    ...options,
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // connect() rejects with "Connection is closed"; the cause (ECONNREFUSED, ENOTFOUND, ...) comes as an event.
  let cause: Error | undefined;
  client.on('error', (e: Error) => {
    cause ??= e;
  });
  try {
    await client.connect();
    // The database is selected here, not by the connection: ioredis ignores a SELECT that fails.
    await client.ping();
    await client.select(db);
  } catch (e) {
    const message = (cause ?? (e as Error)).message || String(e);
    const refused = refusal(message, url, db);
    if (refused) throw new RedisUnavailableError(refused);
    const what = /timed out/i.test(message) ? `no answer within ${CONNECT_TIMEOUT_MS / 1000} s` : message;
    const alien = /RESP|Protocol error/i.test(message);
    const why = alien ? `what answers there does not speak Redis' protocol: ${message}` : what;
    throw new RedisUnavailableError(unreachable(url, why));
  } finally {
    client.disconnect();
  }
}

/**
 * Connection options of the submitting side: commands fail at once while Redis is away (no offline
 * queue, one retry) and after COMMAND_TIMEOUT_MS when it is there but silent, so an experiment notices
 * a lost Redis instead of hanging; reconnects every second.
 */
export const producerConnection = (url: string): RedisOptions => ({
  ...redisOptions(url),
  connectTimeout: CONNECT_TIMEOUT_MS,
  commandTimeout: COMMAND_TIMEOUT_MS,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  retryStrategy: () => 1000,
});

/** Connection options of a worker: it waits out a Redis restart (BullMQ's blocking reads need maxRetriesPerRequest
 * null).
 */
export const workerConnection = (url: string): RedisOptions => ({
  ...redisOptions(url),
  connectTimeout: CONNECT_TIMEOUT_MS,
  maxRetriesPerRequest: null,
  retryStrategy: (times: number) => Math.min(1000 * times, 5000),
});
