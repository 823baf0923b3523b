// A Redis that stops answering (SIGSTOP: its TCP connections stay open, nothing comes back) and Redis
// URLs that cannot work, against a real redis-server with a password. The producer neither hangs nor
// stays deaf to SIGTERM, its experiment stays resumable, and no message shows the password.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkRedis } from '../../src/experiment/redis.ts';
import { type EdnasProcess, exitWithin, sleep, startEdnas, until } from '../helpers/ednas-process.ts';
import { tempDir } from '../helpers/fixtures.ts';
import { hasRedisServer, startRedis, whileRedisPaused, type RedisServer } from '../helpers/redis.ts';

const bin = new URL('../../bin/ednas.js', import.meta.url).pathname;
const skip = !hasRedisServer() && !process.env.CI && 'redis-server is not installed (apt-get install redis-server)';
const PASSWORD = 'pw-s3cret-77';
const ednas = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000 });
const record = (dir: string) => JSON.parse(readFileSync(join(dir, 'experiment.json'), 'utf8'));

/** An experiment whose one trial stays queued: no worker runs here. */
function experiment(root: string, name: string): string {
  const file = join(root, `${name}.json`);
  const block = { name, task: 'search', preset: 'quick', set: { epochs: 1 }, seeds: [0] };
  writeFileSync(file, JSON.stringify({ trials: [block] }));
  return file;
}

async function queued(out: string): Promise<void> {
  const ready = () => existsSync(join(out, 'experiment.json')) && record(out).trials[0].status.state === 'queued';
  await until('the trial to be queued', ready, 60_000);
  await sleep(1500); // a poll or two with Redis answering
}

/** `ednas experiment run` of the experiment in `file` on the queue, into `out`, once its trial is queued. */
async function producer(file: string, out: string): Promise<EdnasProcess> {
  const p = startEdnas(['experiment', 'run', file, '--out', out, '--queue', url]);
  await queued(out);
  return p;
}

let redis: RedisServer;
let root: string;
let url: string;
if (!skip) {
  root = tempDir();
  redis = await startRedis(root, ['--requirepass', PASSWORD]);
  url = `redis://:${PASSWORD}@127.0.0.1:${redis.port}`;
}

test('Redis paused: SIGTERM ends the producer within seconds, and the experiment continues when Redis is back', {
  skip,
  timeout: 120_000,
}, async () => {
  const file = experiment(root, 'paused');
  const out = join(root, 'paused');
  const p = await producer(file, out);
  await whileRedisPaused(redis, async () => {
    await sleep(1000);
    const t0 = Date.now();
    p.child.kill('SIGTERM');
    const code = await exitWithin(p, 15_000);
    const took = Date.now() - t0;
    if (code === 'still running') p.child.kill('SIGKILL');
    assert.equal(code, 130, p.output());
    assert.ok(took < 10_000, `ended ${took} ms after SIGTERM`);
    assert.match(p.output(), /cancelled while Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ did not answer/);
    assert.ok(!p.output().includes(PASSWORD), p.output());
    const r = record(out);
    assert.equal(r.state, 'cancelled');
    assert.equal(r.trials[0].status.state, 'cancelled');
  });
  // Redis answers again: the same command continues the experiment; its job is found and withdrawn.
  const again = await producer(file, out);
  again.child.kill('SIGTERM');
  assert.equal(await again.exit, 130, again.output());
  assert.match(again.output(), /cancelled before a worker took it/);
});

test('Redis paused: the producer stops with an error naming the URL, its password masked', {
  skip,
  timeout: 120_000,
}, async () => {
  const out = join(root, 'lost');
  const p = await producer(experiment(root, 'lost'), out);
  await whileRedisPaused(redis, async () => {
    const t0 = Date.now();
    const code = await exitWithin(p, 40_000);
    if (code === 'still running') p.child.kill('SIGKILL');
    assert.equal(code, 1, p.output());
    assert.ok(Date.now() - t0 < 30_000, `noticed in ${Date.now() - t0} ms`);
    const lost = /ednas experiment: lost the connection to Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ \(.*timed/i;
    assert.match(p.output(), lost);
    assert.match(p.output(), /continue with: ednas experiment run .* --queue redis:\/\/:\*\*\*@127/);
    assert.ok(!p.output().includes(PASSWORD), p.output());
    assert.equal(record(out).state, 'interrupted');
  });
});

test('queue URLs that cannot work are refused naming the cause; status masks the password', {
  skip,
  timeout: 120_000,
}, async () => {
  const port = redis.port;
  const cases: [string, RegExp][] = [
    [`redis://127.0.0.1:${port}`, /^Redis at redis:\/\/127\.0\.0\.1:\d+ requires a password; give it in the URL/],
    [`redis://:wrong@127.0.0.1:${port}`, /^Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ refused the user name/],
    [`${url}/99`, /^Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/99 has no database 99/],
    [`${url}/x`, /^--queue redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/x: the path must be a database number/],
    ['', /^--queue is empty; give the Redis URL/],
  ];
  for (const [queue, expected] of cases) {
    const e = await checkRedis(queue).then(
      () => undefined,
      (e: Error) => e,
    );
    assert.match(e?.message ?? 'accepted', expected, queue);
    assert.ok(!e!.message.includes(PASSWORD));
  }
  await checkRedis(`${url}/3`);
  // The commands: an empty --queue is refused, not run on the local pool; status shows no password.
  const file = experiment(root, 'urls');
  const out = join(root, 'never');
  const run = ednas(['experiment', 'run', file, '--out', out, '--queue', '']);
  assert.equal(run.status, 1, run.stdout);
  assert.match(run.stderr, /ednas experiment: --queue is empty/);
  assert.ok(!existsSync(out), 'nothing ran, no experiment directory');
  const status = ednas(['experiment', 'status', '--queue', `${url}/3`]);
  assert.equal(status.status, 0, status.stderr);
  assert.match(status.stdout, /^queue on redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/3: no trials/);
  assert.ok(!status.stdout.includes(PASSWORD), status.stdout);
});
