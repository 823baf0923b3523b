// A queue job is untrusted. Unit checks of the job check and the path rule, then the attack as it comes: a
// real redis-server, a real `ednas worker` process, hostile jobs written straight into the queue. Nothing
// outside the worker's run root may be deleted or written, and nothing it did not create is deleted.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { checkTrialJob } from '../../src/experiment/job-check.ts';
import { inside, MAX_NAME_LENGTH, nameProblem } from '../../src/experiment/names.ts';
import { QUEUE_NAME } from '../../src/experiment/redis.ts';
import { VERSION } from '../../src/version.ts';
import { tempDir } from '../helpers/fixtures.ts';
import { hasRedisServer, startRedis } from '../helpers/redis.ts';

const bin = new URL('../../bin/ednas.js', import.meta.url).pathname;
const DARTS_V2 = readFileSync(new URL('../../data/genotypes/darts_v2.json', import.meta.url), 'utf8');

const honest = () => ({
  ednas: VERSION,
  experiment: 'a1b2c3',
  name: 'tiny',
  trial: {
    id: 'derived-seed0',
    group: 'derived',
    block: 'derived',
    kind: 'search',
    task: 'cnn',
    preset: 'quick',
    sets: ['epochs=1'],
    seed: 0,
    config: {},
  },
});
const withTrial = (t: Record<string, unknown>) => ({ ...honest(), trial: { ...honest().trial, ...t } });

test('names: one path component, bounded, never . or ..', () => {
  for (const ok of ['a', 'derived-search-seed0-eval-lr=0.1-seed3', 'x'.repeat(MAX_NAME_LENGTH)])
    assert.equal(nameProblem(ok), undefined, ok);
  for (const bad of [
    '',
    '.',
    '..',
    '../x',
    'a/b',
    '/abs',
    'a\\b',
    '-rf',
    'a\nb',
    'x'.repeat(MAX_NAME_LENGTH + 1),
    7,
    null,
  ]) {
    assert.ok(nameProblem(bad), JSON.stringify(bad));
  }
  assert.equal(inside('/runs', 'e', 't'), '/runs/e/t');
  assert.throws(() => inside('/runs', '..', 'etc'), /leads outside \/runs/);
  assert.throws(() => inside('/runs', '/etc'), /leads outside/);
  assert.throws(() => inside('/runs', '.'), /leads outside/);
});

test('a job is checked whole: names, task, preset, settings, seed, genotype, data', () => {
  assert.equal(checkTrialJob(honest(), '1').trial.id, 'derived-seed0');
  const refused: [unknown, RegExp][] = [
    [null, /not an ednas trial/],
    [{ ...honest(), ednas: '0.0.0' }, /runs ednas .* made by ednas 0\.0\.0/],
    [{ ...honest(), experiment: '../../victim' }, /experiment must be letters/],
    [{ ...honest(), experiment: '/tmp' }, /experiment must be letters/],
    [{ ...honest(), name: 'x'.repeat(500) }, /name must be at most 200/],
    [withTrial({ id: '..' }), /trial\.id must be letters/],
    [withTrial({ id: 'a/../../b' }), /trial\.id must be letters/],
    [withTrial({ kind: 'rm' }), /trial\.kind must be search or evaluate/],
    [withTrial({ task: 'x' }), /trial\.task must be cnn or rnn/],
    [withTrial({ preset: '__proto__' }), /trial\.preset must be one of the cnn search presets/],
    [withTrial({ sets: ['epochs=-1'] }), /trial derived-seed0: .*epochs/],
    [withTrial({ sets: ['nosuch=1'] }), /unknown setting/],
    [withTrial({ sets: 'epochs=1' }), /trial\.sets must be a list/],
    [withTrial({ seed: 1.5 }), /trial\.seed must be a whole number/],
    [
      withTrial({ kind: 'evaluate', genotype: { json: '{"normal": "rm -rf /"}' } }),
      /its genotype is not a cnn genotype/,
    ],
    [withTrial({ kind: 'evaluate' }), /has no genotype to train/],
    [{ ...honest(), data: '--resume' }, /data must be a plain folder path/],
    [{ ...honest(), data: 'a\u0000b' }, /data must be a plain folder path/],
  ];
  for (const [job, message] of refused) {
    assert.throws(
      () => checkTrialJob(job, '7'),
      (e: Error) => e.name === 'UnrecoverableError' && /^job 7 refused: /.test(e.message) && message.test(e.message),
      JSON.stringify(job)?.slice(0, 120),
    );
  }
  const evaluation = checkTrialJob(
    withTrial({ kind: 'evaluate', preset: 'quick', genotype: { source: 'derived', label: 'd', json: DARTS_V2 } }),
    '2',
  );
  assert.equal(evaluation.trial.genotype?.json, DARTS_V2);
});

// CI installs redis-server (.ci/run): there a missing one fails this test instead of skipping it.
const skip = !hasRedisServer() && !process.env.CI && 'redis-server is not installed (apt-get install redis-server)';

test('hostile jobs in the queue: the worker refuses them and touches nothing outside its run root, nor what it did ' +
  'not make', {
  skip,
  timeout: 120_000,
}, async () => {
  const root = tempDir();
  const redis = await startRedis(root);
  const runs = join(root, 'runs');
  // What an attacker would like gone or overwritten: a folder beside the run root, and a folder inside it
  // that holds someone's files but no run.
  const victim = join(root, 'victim');
  mkdirSync(victim);
  writeFileSync(join(victim, 'precious.txt'), 'keep me');
  const foreign = join(runs, 'exp1', 'foreign');
  mkdirSync(foreign, { recursive: true });
  writeFileSync(join(foreign, 'notes.txt'), 'mine');

  const before = readdirSync(root).sort();
  const worker: ChildProcess = spawn(
    process.execPath,
    [bin, 'worker', '--queue', redis.url, '--runs', runs, '--concurrency', '1'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  after(() => worker.kill('SIGKILL'));
  let log = '';
  worker.stdout!.on('data', (d) => {
    log += d;
  });
  worker.stderr!.on('data', (d) => {
    log += d;
  });
  const queue = new Queue(QUEUE_NAME, {
    connection: { host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: null },
  });
  after(() => queue.close());

  const jobs: [string, unknown][] = [
    ['up', { ...honest(), experiment: '..', trial: { ...honest().trial, id: 'victim' } }],
    ['climb', withTrial({ id: '../../victim' })],
    ['absolute', { ...honest(), experiment: victim }],
    ['genotype', { ...withTrial({ kind: 'evaluate', id: '../victim' }), genotype: { json: 'overwritten' } }],
    ['foreign', { ...honest(), experiment: 'exp1', trial: { ...honest().trial, id: 'foreign' } }],
  ];
  for (const [id, data] of jobs) await queue.add(id, data as never, { jobId: id, attempts: 1 });
  const deadline = Date.now() + 90_000;
  const states = async () => Promise.all(jobs.map(async ([id]) => (await queue.getJob(id))?.getState()));
  while ((await states()).some((s) => s !== 'failed')) {
    assert.ok(Date.now() < deadline, `every hostile job fails: ${(await states()).join(', ')}\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  for (const [id] of jobs.slice(0, 4))
    assert.match((await queue.getJob(id))!.failedReason, /refused: (experiment|trial\.id) must be letters/, id);
  assert.match((await queue.getJob('foreign'))!.failedReason, /already holds files/);

  assert.equal(readFileSync(join(victim, 'precious.txt'), 'utf8'), 'keep me');
  assert.deepEqual(readdirSync(victim), ['precious.txt']);
  assert.deepEqual(readdirSync(root).sort(), before, 'nothing new beside the run root');
  assert.ok(
    !existsSync(`${victim}.genotype.json`) && !existsSync(`${victim}.log`),
    'nothing written beside the victim',
  );
  assert.equal(
    readFileSync(join(foreign, 'notes.txt'), 'utf8'),
    'mine',
    'a folder the worker did not make is not removed',
  );
  assert.match(log, /refused: experiment must be letters/);
});
