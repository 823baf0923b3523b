// One process per experiment directory and per run directory: a second `ednas experiment run` on one
// folder, or a second `ednas search --out DIR` on one DIR, is refused naming the holder's PID (before,
// both trained every trial into the same run directories); a lock whose process died (kill -9) is taken
// over, and the experiment continues. Real processes, signals and files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEdnas as start, until } from '../helpers/ednas-process.ts';
import { tempDir } from '../helpers/fixtures.ts';

const bin = new URL('../../bin/ednas.js', import.meta.url).pathname;
const ednas = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });
const record = (dir: string) => JSON.parse(readFileSync(join(dir, 'experiment.json'), 'utf8'));
const SMALL = { limit: 200, weightSteps: 8, policySteps: 2, policyBatchSize: 20, C: 2, layers: 3 };
const sets = (o: object) => Object.entries(o).flatMap(([k, v]) => ['--set', `${k}=${v}`]);

const holder = (dir: string) =>
  existsSync(join(dir, 'lock.json')) && (JSON.parse(readFileSync(join(dir, 'lock.json'), 'utf8')).pid as number);
const inUse = (what: string, pid: number | undefined) =>
  new RegExp(`${what} is in use by process ${pid} on \\S+ since .*; wait for it to end`);

test('a second search --out DIR on a run directory in use is refused naming the PID, --resume too', {
  timeout: 180_000,
}, async () => {
  const out = join(tempDir(), 'run');
  const args = ['search', '--preset', 'quick', ...sets({ ...SMALL, epochs: 50 }), '--out', out];
  const first = start(args);
  assert.equal(await until('the lock', () => holder(out)), first.child.pid);
  for (const again of [args, [...args, '--resume']]) {
    const second = ednas(again);
    assert.equal(second.status, 1, second.stdout);
    assert.match(second.stderr, inUse(`the run directory ${out}`, first.child.pid));
  }
  first.child.kill('SIGINT');
  await first.exit;
  assert.ok(!existsSync(join(out, 'lock.json')), 'the lock goes with its process');
});

test('a second experiment run on one folder is refused naming the PID; after kill -9 the next run takes the locks ' +
  'over', {
  timeout: 300_000,
}, async () => {
  const root = tempDir();
  const file = join(root, 'x.json');
  const block = { name: 's', task: 'search', preset: 'quick', set: { ...SMALL, epochs: 50 }, seeds: [0] };
  writeFileSync(file, JSON.stringify({ trials: [block] }));
  const out = join(root, 'x');
  const first = start(['experiment', 'run', file, '--out', out, '--concurrency', '1']);
  assert.equal(await until('the lock', () => holder(out)), first.child.pid);
  const trial = join(out, 'trials', 's-seed0');
  const trialPid = await until("the trial's lock", () => holder(trial));
  const before = readFileSync(join(out, 'experiment.json'), 'utf8');
  const second = ednas(['experiment', 'run', file, '--out', out, '--concurrency', '1']);
  assert.equal(second.status, 1, second.stdout);
  assert.match(second.stderr, inUse(`the experiment directory ${out}`, first.child.pid));
  assert.equal(record(out).trials[0].status.state, 'running');
  assert.ok(JSON.parse(before).trials[0].status.attempts <= 1);
  // Everything dies at once (a machine's power, say): both locks stay behind, their processes gone.
  first.child.kill('SIGKILL');
  process.kill(trialPid, 'SIGKILL');
  await first.exit;
  const gone = () => {
    try {
      process.kill(trialPid, 0);
      return false;
    } catch {
      return true;
    }
  };
  await until('the trial process to end', gone, 10_000);
  assert.equal(holder(out), first.child.pid);
  assert.equal(holder(trial), trialPid);
  // The next run takes both locks over and continues the trial; stopped with Ctrl-C, it lets both go.
  const third = start(['experiment', 'run', file, '--out', out, '--concurrency', '1']);
  await until('the lock taken over', () => holder(out) === third.child.pid);
  const resumed = await until("the trial's lock taken over", () => holder(trial) !== trialPid && holder(trial));
  assert.notEqual(resumed, trialPid);
  third.child.kill('SIGINT');
  assert.equal(await third.exit, 130, third.output());
  const t = record(out).trials[0];
  assert.equal(t.status.state, 'cancelled');
  assert.equal(t.status.attempts, 2, 'run once by the killed experiment, once by this one: never twice at once');
  assert.ok(!existsSync(join(out, 'lock.json')) && !existsSync(join(trial, 'lock.json')), 'both locks released');
});
