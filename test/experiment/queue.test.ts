// Experiments through the queue, as they run across machines: a real redis-server on 127.0.0.1 and two
// `ednas worker` processes with a shared run root. tiny.json completes through them with every result in
// the experiment directory; a worker killed (kill -9) in the middle of a trial: the trial finishes on
// the other worker, resumed from the checkpoint, exactly as an uninterrupted run; Redis stopped in the
// middle of an experiment: a clear error and a consistent experiment directory; an unreachable Redis:
// a fast, clear failure. Nothing listens anywhere but on 127.0.0.1.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { type EdnasProcess as Proc, startEdnas as start, until as waitUntil } from '../helpers/ednas-process.ts';
import { tempDir } from '../helpers/fixtures.ts';
import { assertSameResults } from '../helpers/same-run.ts';
import { freePort } from '../helpers/ports.ts';
import { hasRedisServer, listeningAddresses, startRedis, type RedisServer } from '../helpers/redis.ts';

const bin = new URL('../../bin/ednas.js', import.meta.url).pathname;
const TINY = new URL('../../notebooks/experiments/tiny.json', import.meta.url).pathname;
// CI installs redis-server (.ci/run): there a missing one fails these tests instead of skipping them.
const skip = !hasRedisServer() && !process.env.CI && 'redis-server is not installed (apt-get install redis-server)';
const ednas = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 300_000, env: { ...process.env, ...env } });
const record = (dir: string) => JSON.parse(readFileSync(join(dir, 'experiment.json'), 'utf8'));

const until = <T>(what: string, f: () => T | undefined | false, timeoutMs = 120_000) => waitUntil(what, f, timeoutMs);

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
/** The ednas processes a process started (not, say, the esbuild service tsx may run). */
const ednasChildren = (pid: number): number[] => {
  const read = (path: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return '';
    }
  };
  return read(`/proc/${pid}/task/${pid}/children`)
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number)
    .filter((c) =>
      read(`/proc/${c}/cmdline`)
        .split('\0')
        .some((a) => a.endsWith('bin/ednas.js')),
    );
};

// A search that takes a few epochs of seconds each: long enough to be killed in the middle.
const LONG = {
  preset: 'quick',
  set: { epochs: 5, limit: 200, weightSteps: 8, policySteps: 2, policyBatchSize: 20, C: 2, layers: 3 },
};
const longArgs = (seed: number, out: string) => [
  'search',
  '--preset',
  'quick',
  '--seed',
  String(seed),
  ...Object.entries(LONG.set).flatMap(([k, v]) => ['--set', `${k}=${v}`]),
  '--out',
  out,
];

const spawned: ChildProcess[] = [];
after(() => {
  for (const c of spawned) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

let redis: RedisServer;
let root: string;
let shared: string;
let workers: Proc[] = [];

if (!skip) {
  assert.ok(hasRedisServer(), 'redis-server is not installed: .ci/run installs it (apt-get install redis-server)');
  root = tempDir();
  shared = join(root, 'shared-runs');
  redis = await startRedis(root);
  workers = [0, 1].map(() =>
    start(['worker', '--queue', redis.url, '--concurrency', '1', '--runs', shared, '--stalled-after', '3']),
  );
  await until(
    'the workers',
    () => workers.every((w) => /worker \S+ on redis:\/\/127\.0\.0\.1:\d+: 1 trial\(s\) at once/.test(w.output())),
    60_000,
  );
}

test('an unreachable Redis fails fast with a message that names it and says what to do', { skip }, async () => {
  const port = await freePort();
  const t0 = Date.now();
  const r = ednas(['experiment', 'run', TINY, '--out', join(root, 'never'), '--queue', `redis://127.0.0.1:${port}`]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(
    r.stderr,
    new RegExp(
      `ednas experiment: cannot reach Redis at redis://127\\.0\\.0\\.1:${port} \\(.*ECONNREFUSED.*\\)\\. Start ` +
        `Redis where every machine can reach it`,
    ),
  );
  assert.ok(!existsSync(join(root, 'never')), 'no experiment directory');
  const w = ednas(['worker', '--queue', `redis://127.0.0.1:${port}`]);
  assert.equal(w.status, 1);
  assert.match(w.stderr, /ednas worker: cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+/);
  assert.match(ednas(['worker', '--queue', 'http://x']).stderr, /--queue expects a URL redis:\/\/HOST:PORT/);
  assert.ok(Date.now() - t0 < 60_000, `fast: ${Date.now() - t0} ms for three commands`);
});

test('tiny.json through the queue: two workers run the 4 trials and the results come back into the experiment ' +
  'directory', {
  skip,
  timeout: 300_000,
}, async () => {
  const out = join(root, 'tiny');
  const producer = start(['experiment', 'run', TINY, '--out', out, '--queue', redis.url]);
  await until(
    'a trial to run',
    () =>
      existsSync(join(out, 'experiment.json')) &&
      record(out).trials.some((t: { status: { state: string } }) => t.status.state === 'running'),
  );
  // Redis on 127.0.0.1 only; the workers and the producer listen on nothing.
  assert.deepEqual(listeningAddresses([redis.process.pid!]), [`127.0.0.1:${redis.port}`]);
  assert.deepEqual(listeningAddresses([producer.child.pid!, ...workers.map((w) => w.child.pid!)]), []);
  assert.equal(await producer.exit, 0, producer.output());
  const x = record(out);
  assert.equal(x.state, 'finished');
  assert.equal(x.pool.kind, 'queue');
  for (const t of x.trials) {
    assert.equal(t.status.state, 'finished', t.id);
    assert.match(t.status.worker, /^\S+:\d+$/, 'the worker that ran it');
    const dir = join(out, 'trials', t.id);
    const files = readdirSync(dir);
    for (const f of t.kind === 'search'
      ? ['manifest.json', 'epochs.csv', 'steps.csv', 'policy.json', 'policy.csv', 'genotype.json', 'genotype.txt']
      : ['manifest.json', 'epochs.csv', 'genotype.json', 'model'])
      assert.ok(files.includes(f), `${t.id}: ${f}`);
    assert.ok(!files.includes('checkpoint'), 'checkpoints stay on the workers');
    assert.equal(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).status, 'finished');
    assert.match(readFileSync(join(out, 'logs', `${t.id}.log`), 'utf8'), /ednas (search|evaluate) --preset quick/);
  }
  assert.ok(existsSync(join(out, 'report.html')));
  const status = ednas(['experiment', 'status', '--queue', redis.url]);
  assert.equal(status.status, 0, status.stderr);
  assert.match(status.stdout, /tiny \(\w+\) +derived-search-seed0-eval-seed0 +completed +100% +\S+:\d+ +1 /);
});

test('kill -9 of a worker in the middle of a trial: the other worker resumes it from the shared checkpoint and ends ' +
  'as an uninterrupted run', {
  skip,
  timeout: 300_000,
}, async () => {
  // The uninterrupted run, meanwhile, with the threads the workers give a trial.
  const whole = join(root, 'whole');
  const reference = spawn(process.execPath, [bin, ...longArgs(0, whole)], {
    stdio: 'ignore',
    env: { ...process.env, EDNAS_WORKERS: String(availableParallelism()) },
  });
  spawned.push(reference);
  const referenceExit = new Promise<number | null>((r) => reference.once('exit', r));
  const file = join(root, 'kill.json');
  writeFileSync(file, JSON.stringify({ trials: [{ name: 'long', task: 'search', ...LONG, seeds: [0] }] }));
  const out = join(root, 'kill');
  const producer = start(['experiment', 'run', file, '--out', out, '--queue', redis.url]);
  const x = await until('the experiment', () => existsSync(join(out, 'experiment.json')) && record(out));
  const name = await until('the worker that runs it', () => record(out).trials[0].status.worker as string | undefined);
  const pid = Number(name.split(':').at(-1));
  const victim = workers.find((w) => w.child.pid === pid);
  assert.ok(victim, `${name} is one of the two workers`);
  const trialProcesses = ednasChildren(pid);
  assert.equal(trialProcesses.length, 1, 'the worker runs the trial as a child process');
  // Killed just after the first of its 5 epochs: a checkpoint to resume from, most of the run to go.
  await until('the first checkpoint', () => existsSync(join(shared, x.id, 'long-seed0', 'checkpoint', 'state.json')));
  victim!.child.kill('SIGKILL');
  await victim!.exit;
  await until('the orphaned trial process to end', () => !alive(trialProcesses[0]), 15_000);
  assert.equal(await producer.exit, 0, producer.output());
  const t = record(out).trials[0];
  assert.equal(t.status.state, 'finished');
  assert.notEqual(t.status.worker, name, 'finished by the other worker');
  const survivor = workers.find((w) => w !== victim)!;
  assert.match(survivor.output(), /finished trial long-seed0 \(resumed from its checkpoint\)/);
  assert.equal(await referenceExit, 0);
  const dir = join(out, 'trials', 'long-seed0');
  assertSameResults(dir, whole, 'the trial resumed by the other worker');
  workers = [survivor];
});

test('Redis stopped in the middle of an experiment: a clear error, and the experiment directory stays consistent', {
  skip,
  timeout: 300_000,
}, async () => {
  const file = join(root, 'lost.json');
  writeFileSync(file, JSON.stringify({ trials: [{ name: 'lost', task: 'search', ...LONG, seeds: [1, 2] }] }));
  const out = join(root, 'lost');
  const producer = start(['experiment', 'run', file, '--out', out, '--queue', redis.url]);
  await until(
    'a trial to run',
    () =>
      existsSync(join(out, 'experiment.json')) &&
      record(out).trials.some((t: { status: { state: string } }) => t.status.state === 'running'),
  );
  const stopped = Date.now();
  await redis.stop();
  assert.equal(await producer.exit, 1, producer.output());
  assert.ok(Date.now() - stopped < 60_000, `noticed within a minute: ${Date.now() - stopped} ms`);
  assert.match(
    producer.output(),
    new RegExp(
      `ednas experiment: lost the connection to Redis at redis://127\\.0\\.0\\.1:${redis.port} \\(.*\\)\\. The ` +
        `experiment directory is consistent .*continue with: ednas experiment run .*lost\\.json --out .*lost ` +
        `--queue redis://`,
    ),
  );
  const x = record(out);
  assert.equal(x.state, 'interrupted');
  assert.match(x.message, /lost the connection to Redis/);
  assert.ok(
    x.trials.every((t: { status: { state: string } }) => ['queued', 'running', 'finished'].includes(t.status.state)),
    'no trial marked failed for it',
  );
  // Only whole trial directories: each holds a finished run, nothing half-written.
  const trials = existsSync(join(out, 'trials')) ? readdirSync(join(out, 'trials')) : [];
  for (const id of trials) {
    assert.ok(!id.includes('.tmp-'), id);
    assert.equal(JSON.parse(readFileSync(join(out, 'trials', id, 'manifest.json'), 'utf8')).status, 'finished', id);
  }
  assert.deepEqual(
    readdirSync(out).filter((n) => n.includes('.tmp-')),
    [],
  );
});
