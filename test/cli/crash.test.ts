// Crash safety as a user meets it: a search killed (SIGKILL) at every rename it makes (checkpoint swaps,
// tables, manifest, genotype; with Debian's strace) and at random moments, then resumed with --resume,
// ends exactly as an uninterrupted run, with no temporary left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/fixtures.ts';
import { TINY_SEARCH_SETS } from '../helpers/tiny-cli.ts';
import { assertSameResults } from '../helpers/same-run.ts';

const bin = new URL('../../bin/ednas.js', import.meta.url).pathname;
// One worker thread: what is killed is the run's file handling, which W does not change (cli/search.test.ts kills
// and resumes a W=2 search), and a run with threads would start them in each of the ~35 processes.
const ARGS = ['search', '--preset', 'quick', '--epochs', '2', '--seed', '3', '--workers', '1', ...TINY_SEARCH_SETS];
const hasStrace = spawnSync('strace', ['-V'], { stdio: 'ignore' }).status === 0;
const skip = !hasStrace && !process.env.CI && 'strace is not installed (apt-get install strace)';

const run = (cmd: string, args: string[]) =>
  new Promise<number | null>((resolve) => {
    const child = spawn(cmd, args, { stdio: 'ignore' });
    child.on('exit', (code, signal) => resolve(signal ? null : code));
  });

/** The search into `out` under strace, its renames traced into `log`, with `extra` options (a fault to inject). */
const traced = (log: string, out: string, ...extra: string[]) =>
  run('strace', ['-f', '-qq', '-e', 'trace=rename', ...extra, '-o', log, process.execPath, bin, ...ARGS, '--out', out]);

function assertSameRun(dir: string, whole: string, what: string) {
  assertSameResults(dir, whole, what);
  assert.equal(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).status, 'finished', what);
  assert.deepEqual(readdirSync(dir).sort(), readdirSync(whole).sort(), `${what}: no temporary files left`);
}

test('killed at every rename and at random moments, --resume ends as the uninterrupted run', {
  skip,
  timeout: 900_000,
}, async () => {
  const root = tempDir();
  const whole = join(root, 'whole');
  const trace = join(root, 'renames.log');
  assert.equal(await traced(trace, whole), 0);
  const renames = readFileSync(trace, 'utf8')
    .split('\n')
    .filter((l) => l.includes('rename('));
  assert.ok(renames.length >= 10, `a run makes its renames: ${renames.length}`);
  // The rename that puts the first checkpoint in place: any crash after it resumes from a checkpoint.
  const firstCheckpoint = renames.findIndex((l) => /"[^"]*\/checkpoint"\)/.test(l)) + 1;
  assert.ok(
    firstCheckpoint > 0 && renames.filter((l) => /\/checkpoint(\.old)?"\)/.test(l)).length >= 3,
    'the checkpoint is swapped in at every epoch',
  );

  // strace delivers the signal as the N-th rename begins: the process dies with everything before it done
  const cases = renames.map((l, k) => ({
    name: `killed at rename ${k + 1} (${l.replace(/^\d+\s+/, '').replace(root, '')})`,
    inject: `inject=rename:signal=SIGKILL:when=${k + 1}`,
  }));
  const resume = async (dir: string, what: string, fromCheckpoint = false) => {
    const r = spawnSync(
      process.execPath,
      [bin, 'search', '--out', dir, '--resume', '--epochs', '2', '--workers', '1'],
      {
        encoding: 'utf8',
        timeout: 300_000,
      },
    );
    if (r.status !== 0 && /no checkpoint in .*start a new run instead of --resume/.test(r.stderr)) {
      // Killed before its manifest existed: nothing to resume, and a new run into the same folder works.
      const again = spawnSync(process.execPath, [bin, ...ARGS, '--out', dir], { encoding: 'utf8', timeout: 300_000 });
      assert.equal(again.status, 0, `${what}, run again: ${again.stderr}`);
    } else {
      assert.equal(r.status, 0, `${what}: ${r.stderr}`);
      if (fromCheckpoint)
        assert.doesNotMatch(
          r.stdout,
          /^epoch 1:/m,
          `${what}: resumed from the newest whole checkpoint, not from the start`,
        );
    }
    assertSameRun(dir, whole, what);
  };
  const one = async (c: { name: string; inject: string }, k: number) => {
    const dir = join(root, `case-${k}`);
    assert.equal(await traced('/dev/null', dir, '-e', c.inject), null, `${c.name}: killed`);
    await resume(dir, c.name, k + 1 > firstCheckpoint);
  };
  // two at a time: each case is two short processes
  for (let k = 0; k < cases.length; k += 2) await Promise.all(cases.slice(k, k + 2).map((c, j) => one(c, k + j)));

  for (const delay of [1500, 3000, 4500]) {
    const dir = join(root, `random-${delay}`);
    const child = spawn(process.execPath, [bin, ...ARGS, '--out', dir], { stdio: 'ignore' });
    const exited = new Promise((r) => child.on('exit', r));
    await new Promise((r) => setTimeout(r, delay + Math.random() * 1000));
    child.kill('SIGKILL');
    await exited;
    if (!existsSync(join(dir, 'manifest.json'))) continue; // killed before it began: nothing to resume
    await resume(dir, `killed after ${delay} ms`);
  }
});
