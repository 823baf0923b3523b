// A worker stopped (Ctrl-C) after Redis restarted empty: its trial's job is gone, so the trial cannot go
// back to the queue, and the worker says so instead of "went back to the queue". A real redis-server,
// restarted on the same port without its data, a real worker and trial process, and SIGINT.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/fixtures.ts';
import { hasRedisServer, startRedis } from '../helpers/redis.ts';

const bin = new URL('../../bin/ednas.js', import.meta.url).pathname;
const skip = !hasRedisServer() && !process.env.CI && 'redis-server is not installed (apt-get install redis-server)';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const spawned: ChildProcess[] = [];
after(() => {
  for (const c of spawned) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function start(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  spawned.push(child);
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, exit, output: () => out };
}

async function until(what: string, f: () => boolean, timeoutMs = 120_000): Promise<void> {
  const t0 = Date.now();
  while (!f()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

test('Ctrl-C after Redis restarted empty: the worker says its trial did not go back to the queue', { skip, timeout: 300_000 }, async () => {
  const root = tempDir();
  const redis = await startRedis(root);
  const set = { epochs: 50, limit: 200, weightSteps: 8, policySteps: 2, policyBatchSize: 20, C: 2, layers: 3 };
  const file = join(root, 'x.json');
  writeFileSync(file, JSON.stringify({ trials: [{ name: 'long', task: 'search', preset: 'quick', set, seeds: [0] }] }));
  // A long lock: no renewal falls in the test, so the worker still holds the trial when Ctrl-C comes.
  const worker = start(['worker', '--queue', redis.url, '--concurrency', '1', '--stalled-after', '300']);
  const out = join(root, 'out');
  const producer = start(['experiment', 'run', file, '--out', out, '--queue', redis.url]);
  await until('the worker to take the trial', () => /takes trial long-seed0/.test(worker.output()));
  await until('its first epoch', () => existsSync(join(out, 'experiment.json'))
    && JSON.parse(readFileSync(join(out, 'experiment.json'), 'utf8')).trials[0].status.epoch >= 1);
  producer.child.kill('SIGKILL');
  await producer.exit;
  // Redis restarts without its data (no save, no append-only file), on the same port.
  await redis.stop();
  await startRedis(root, ['--port', String(redis.port)]);
  const clients = () => spawnSync('redis-cli', ['-p', String(redis.port), 'client', 'list'], { encoding: 'utf8' }).stdout ?? '';
  await until('the worker to reconnect', () => /name=bull/.test(clients()), 60_000).catch((e) => {
    throw new Error(`${e.message}: ${clients()}\n${worker.output()}`);
  });
  worker.child.kill('SIGINT');
  assert.equal(await worker.exit, 0, worker.output());
  const said = worker.output().slice(worker.output().indexOf('stopping ...'));
  assert.doesNotMatch(said, /went back to the queue/);
  assert.match(said, /trial long-seed0 did not go back to the queue: its job is no longer in Redis .*run its experiment again/);
});

test('SIGTERM with Redis paused: the worker ends within seconds and says the trial did not go back', { skip, timeout: 300_000 }, async () => {
  const root = tempDir();
  const redis = await startRedis(root);
  const set = { epochs: 50, limit: 200, weightSteps: 8, policySteps: 2, policyBatchSize: 20, C: 2, layers: 3 };
  const file = join(root, 'x.json');
  writeFileSync(file, JSON.stringify({ trials: [{ name: 'held', task: 'search', preset: 'quick', set, seeds: [0] }] }));
  const worker = start(['worker', '--queue', redis.url, '--concurrency', '1', '--stalled-after', '300']);
  const out = join(root, 'out');
  const producer = start(['experiment', 'run', file, '--out', out, '--queue', redis.url]);
  await until('the worker to take the trial', () => /takes trial held-seed0/.test(worker.output()));
  producer.child.kill('SIGKILL');
  await producer.exit;
  redis.process.kill('SIGSTOP');
  try {
    await sleep(500);
    const t0 = Date.now();
    worker.child.kill('SIGTERM');
    const code = await Promise.race([worker.exit, sleep(60_000).then(() => 'still running')]);
    assert.equal(code, 0, worker.output());
    assert.ok(Date.now() - t0 < 30_000, `ended ${Date.now() - t0} ms after SIGTERM`);
    assert.match(worker.output(), /trial held-seed0 did not go back to the queue: Redis did not answer within 5 s/);
  } finally {
    redis.process.kill('SIGCONT');
  }
});
