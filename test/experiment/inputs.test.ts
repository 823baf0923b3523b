// What an experiment file names, checked before anything runs and described without echoing files: a
// grid of a million trials is refused by its count (it filled the heap), a missing data folder is named
// at once (not when each trial fails), a file listed as a genotype by mistake is never quoted, and a
// finished trial whose folder was deleted is shown as gone and runs again.
import { readGenotype, readRnnGenotype } from '../../src/tasks/genotype-file.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkExperiment } from '../../src/experiment/file.ts';
import { expandExperiment, MAX_TRIALS } from '../../src/experiment/expand.ts';
import { runExperimentFile } from '../../src/experiment/run.ts';
import { experimentRows } from '../../src/experiment/status.ts';
import { tempDir } from '../helpers/fixtures.ts';

const bin = new URL('../../bin/ednas.js', import.meta.url).pathname;
const expand = (raw: unknown) => expandExperiment(checkExperiment(raw, 'x.json'));
const signal = new AbortController().signal;

test('a grid of a million trials is refused by its count, at once, naming each block', () => {
  const root = tempDir();
  const file = join(root, 'big.json');
  const values = Array.from({ length: 1000 }, (_, k) => 0.001 * (k + 1));
  const seeds = Array.from({ length: 1000 }, (_, k) => k);
  const block = { name: 'big', task: 'search', preset: 'quick', set: { policyLr: values }, seeds };
  writeFileSync(file, JSON.stringify({ trials: [block] }));
  const t0 = Date.now();
  const args = [bin, 'experiment', 'run', file, '--out', join(root, 'out')];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 2, `${r.signal ?? ''} ${r.stderr.slice(-400)}`); // a usage error
  assert.match(r.stderr, /big\.json: the grid makes 1,000,000 trials \(big: 1,000,000\), more than the 10,000/);
  assert.ok(Date.now() - t0 < 30_000, `${Date.now() - t0} ms`);
  assert.ok(!existsSync(join(root, 'out')));
  // The count is that of the expansion, for every kind of block, and the limit itself passes.
  const blocks = [
    { name: 's', task: 'search', preset: ['quick', 'cpu-proxy'], set: { C: [2, 4] }, seeds: [0, 1, 2] },
    { name: 'e', task: 'evaluate', preset: 'quick', genotypes: ['random:3'], seeds: [0, 1] },
    {
      name: 'd',
      task: 'search-then-evaluate',
      search: { preset: 'quick', seeds: [0, 1] },
      evaluate: { preset: 'quick', set: { C: [2, 4] }, seeds: [0, 1] },
    },
  ];
  assert.equal(expand({ trials: blocks }).length, 12 + 6 + 2 * (1 + 4));
  assert.equal(MAX_TRIALS, 10_000);
  const grid = (n: number) => ({
    trials: [{ name: 'l', task: 'search', preset: 'quick', seeds: Array.from({ length: n }, (_, k) => k) }],
  });
  assert.equal(expand(grid(MAX_TRIALS)).length, MAX_TRIALS);
  assert.throws(() => expand(grid(MAX_TRIALS + 1)), /the grid makes 10,001 trials/);
});

test('a missing data folder is named before any trial runs', async () => {
  const root = tempDir();
  const file = join(root, 'x.json');
  const trials = [{ name: 's', task: 'search', preset: 'quick', seeds: [0] }];
  writeFileSync(file, JSON.stringify({ data: join(root, 'no-such-data'), trials }));
  const out = join(root, 'out');
  const missing = new RegExp(`x\\.json: data: no data folder ${root}/no-such-data; download`);
  await assert.rejects(runExperimentFile({ file, out, signal }), missing);
  assert.ok(!existsSync(out), 'no experiment directory');
  writeFileSync(join(root, 'a-file'), '');
  const notFolder = /--data: .*a-file is a file, not a data folder/;
  await assert.rejects(runExperimentFile({ file, out, data: join(root, 'a-file'), signal }), notFolder);
  assert.ok(!existsSync(out));
});

test('a file given as a genotype by mistake is never quoted in the error', () => {
  const root = tempDir();
  const secrets = {
    'key.txt': 'SECRET-TOKEN hunter2 do not print\n',
    'broken.json': '{"password": "hunter2" "user": "root"}',
    'words.json': '{"a": hunter2}',
    'shaped.json': JSON.stringify({
      normal: Array(8).fill(['hunter2-s3cret!', 0]),
      reduce: [],
      recurrent: Array(8).fill(['hunter2-s3cret!', 0]),
    }),
    'pairs.json': JSON.stringify({
      normal: Array(8).fill(['hunter2 s3cret', 0, 'x']),
      reduce: [],
      recurrent: Array(8).fill(['tanh hunter2', 0, 1]),
    }),
  };
  for (const [name, text] of Object.entries(secrets)) {
    const path = join(root, name);
    writeFileSync(path, text);
    for (const read of [readGenotype, readRnnGenotype]) {
      const e = (() => {
        try {
          read(path);
        } catch (e) {
          return e as Error;
        }
      })();
      assert.ok(e, `${name} is refused`);
      assert.ok(e.message.includes(path), e.message);
      assert.doesNotMatch(e.message, /hunter2|SECRET|s3cret|root/, e.message);
    }
    const block = { name: 'e', task: 'evaluate', preset: 'quick', genotypes: [path], seeds: [0] };
    const quiet = (e: Error) => e.message.includes(name) && !/hunter2|SECRET|s3cret/.test(e.message);
    assert.throws(() => expand({ trials: [block] }), quiet);
  }
  // Where a JSON file breaks is still said.
  assert.throws(() => readGenotype(join(root, 'broken.json')), /broken\.json: not valid JSON \(line 1, column 24\)/);
});

test('a finished trial whose folder was deleted shows as gone and runs again', { timeout: 240_000 }, async () => {
  const root = tempDir();
  const file = join(root, 'x.json');
  const set = { epochs: 1, limit: 100, weightSteps: 1, policySteps: 1, policyBatchSize: 16, C: 2, layers: 2 };
  writeFileSync(file, JSON.stringify({ trials: [{ name: 's', task: 'search', preset: 'quick', set, seeds: [0] }] }));
  const out = join(root, 'out');
  const first = await runExperimentFile({ file, out, concurrency: 1, signal });
  assert.equal(first.record.state, 'finished');
  rmSync(first.x.trial('s-seed0'), { recursive: true });
  const [row] = experimentRows(first.x.read(), Date.now(), first.x);
  assert.equal(row.state, 'gone');
  assert.match(row.result, /its run directory is gone; ednas experiment run FILE --out DIR runs it again/);
  let opened = '';
  const onOpen = (_: unknown, r: { trials: { status: { error?: string } }[] }) => {
    opened = r.trials[0].status.error ?? '';
  };
  const again = await runExperimentFile({ file, out, concurrency: 1, signal, onOpen });
  assert.match(opened, /finished before, but its run directory .*s-seed0 is gone: it runs again/);
  assert.equal(again.record.trials[0].status.state, 'finished');
  assert.equal(again.record.trials[0].status.attempts, 2);
  assert.ok(again.x.hasRun('s-seed0'));
  assert.equal(experimentRows(again.x.read(), Date.now(), again.x)[0].state, 'finished');
});
