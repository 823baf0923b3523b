// A worker stopped (Ctrl-C) after Redis restarted empty: its trial's job is gone, so the trial cannot go
// back to the queue, and the worker says so instead of "went back to the queue". A worker stopped
// (SIGTERM) while Redis is paused ends within seconds. A real redis-server, restarted on the same port
// without its data or paused with SIGSTOP, a real worker and trial process, and signals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exitWithin, sleep, startEdnas as start, until } from '../helpers/ednas-process.ts';
import { tempDir } from '../helpers/fixtures.ts';
import { hasRedisServer, startRedis, whileRedisPaused } from '../helpers/redis.ts';

const skip = !hasRedisServer() && !process.env.CI && 'redis-server is not installed (apt-get install redis-server)';

/** A worker running the one long search trial of an experiment whose producer was then killed (kill -9). */
async function workerWithTrial(name: string) {
  const root = tempDir();
  const redis = await startRedis(root);
  const set = { epochs: 50, limit: 200, weightSteps: 8, policySteps: 2, policyBatchSize: 20, C: 2, layers: 3 };
  const file = join(root, 'x.json');
  writeFileSync(file, JSON.stringify({ trials: [{ name, task: 'search', preset: 'quick', set, seeds: [0] }] }));
  // A long lock: no renewal falls in the test, so the worker still holds the trial when the signal comes.
  const worker = start(['worker', '--queue', redis.url, '--concurrency', '1', '--stalled-after', '300']);
  const out = join(root, 'out');
  const producer = start(['experiment', 'run', file, '--out', out, '--queue', redis.url]);
  await until('the worker to take the trial', () => worker.output().includes(`takes trial ${name}-seed0`), 120_000);
  await until(
    'its first epoch',
    () =>
      existsSync(join(out, 'experiment.json')) &&
      JSON.parse(readFileSync(join(out, 'experiment.json'), 'utf8')).trials[0].status.epoch >= 1,
    120_000,
  );
  producer.child.kill('SIGKILL');
  await producer.exit;
  return { root, redis, worker };
}

test('Ctrl-C after Redis restarted empty: the worker says its trial did not go back to the queue', {
  skip,
  timeout: 300_000,
}, async () => {
  const { root, redis, worker } = await workerWithTrial('long');
  // Redis restarts without its data (no save, no append-only file), on the same port.
  await redis.stop();
  await startRedis(root, ['--port', String(redis.port)]);
  const clients = () =>
    spawnSync('redis-cli', ['-p', String(redis.port), 'client', 'list'], { encoding: 'utf8' }).stdout ?? '';
  await until('the worker to reconnect', () => /name=bull/.test(clients()), 60_000).catch((e) => {
    throw new Error(`${e.message}: ${clients()}\n${worker.output()}`);
  });
  worker.child.kill('SIGINT');
  assert.equal(await worker.exit, 0, worker.output());
  const said = worker.output().slice(worker.output().indexOf('stopping ...'));
  assert.doesNotMatch(said, /went back to the queue/);
  assert.match(said, /trial long-seed0 did not go back to the queue: its job is no longer in Redis .*run its/);
});

test('SIGTERM with Redis paused: the worker ends within seconds and says the trial did not go back', {
  skip,
  timeout: 300_000,
}, async () => {
  const { redis, worker } = await workerWithTrial('held');
  await whileRedisPaused(redis, async () => {
    await sleep(500);
    const t0 = Date.now();
    worker.child.kill('SIGTERM');
    const code = await exitWithin(worker, 60_000);
    assert.equal(code, 0, worker.output());
    assert.ok(Date.now() - t0 < 30_000, `ended ${Date.now() - t0} ms after SIGTERM`);
    assert.match(worker.output(), /trial held-seed0 did not go back to the queue: Redis did not answer within 5 s/);
  });
});
