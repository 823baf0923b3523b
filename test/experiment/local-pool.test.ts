// `ednas experiment` on the local pool, as a user runs it: notebooks/experiments/tiny.json (four tiny
// trials on the bundled sample) to the end with every result, the status table and the report; Ctrl-C
// stops cleanly and running it again continues; a bad file fails before anything runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { tempDir } from '../helpers/fixtures.ts';

const bin = new URL('../../bin/ednas.js', import.meta.url).pathname;
const TINY = new URL('../../notebooks/experiments/tiny.json', import.meta.url).pathname;
const ednas = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 300_000 });
const record = (dir: string) => JSON.parse(readFileSync(join(dir, 'experiment.json'), 'utf8'));

test('tiny.json on the local pool: every trial finished with its run directory, a status table and a report', {
  timeout: 300_000,
}, () => {
  const out = join(tempDir(), 'tiny');
  const r = ednas(['experiment', 'run', TINY, '--out', out, '--concurrency', '2']);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /experiment tiny: 4 trials in .*; local pool, 2 trial\(s\) at once/);
  assert.match(r.stdout, /\[4\/4\] .* finished in [\d.]+ s: test_acc 0\.\d+/);
  assert.match(r.stdout, /report: .*report\.html/);

  const x = record(out);
  assert.equal(x.state, 'finished');
  const threads = Math.max(1, Math.floor(availableParallelism() / 2));
  assert.deepEqual(x.pool, { kind: 'local', cores: availableParallelism(), concurrency: 2, threads });
  assert.deepEqual(x.trials.map((t: { id: string }) => t.id).sort(), [
    'baseline-random-1-seed0',
    'baseline-random-2-seed0',
    'derived-search-seed0',
    'derived-search-seed0-eval-seed0',
  ]);
  for (const t of x.trials) {
    assert.equal(t.status.state, 'finished', t.id);
    assert.equal(typeof t.status.result[t.kind === 'search' ? 'mean_reward' : 'test_acc'], 'number', t.id);
    const dir = join(out, 'trials', t.id);
    const files =
      t.kind === 'search'
        ? ['manifest.json', 'epochs.csv', 'steps.csv', 'policy.json', 'genotype.json']
        : ['manifest.json', 'epochs.csv', 'genotype.json', 'model'];
    for (const f of files) assert.ok(existsSync(join(dir, f)), `${t.id}: ${f}`);
    assert.equal(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).status, 'finished');
    // trials x threads never exceed the cores
    assert.match(readFileSync(join(out, 'logs', `${t.id}.log`), 'utf8'), new RegExp(`\\(EDNAS_WORKERS=${threads}\\)`));
  }
  // The evaluation of the derived cell trains the genotype its search derived.
  assert.deepEqual(
    JSON.parse(readFileSync(join(out, 'trials', 'derived-search-seed0-eval-seed0', 'genotype.json'), 'utf8')),
    JSON.parse(readFileSync(join(out, 'trials', 'derived-search-seed0', 'genotype.json'), 'utf8')),
  );

  const report = readFileSync(join(out, 'report.html'), 'utf8');
  for (const s of [
    'Experiment tiny',
    'Groups: mean, standard deviation and every seed',
    'baseline-random-2',
    'Paired differences',
    'mean of random cells',
    'Plotly.newPlot',
  ])
    assert.ok(report.includes(s), s);
  assert.ok(!/<script src=|<link [^>]*href="http/.test(report), 'self-contained');

  const status = ednas(['experiment', 'status', out]);
  assert.equal(status.status, 0, status.stderr);
  assert.match(status.stdout, /experiment tiny \(finished\): 4 trials: 4 finished/);
  assert.match(status.stdout, /derived-search-seed0-eval-seed0 +finished +100% +local +1 +\d+ s +test_acc 0\.\d{4}/);
  const again = ednas(['experiment', 'run', TINY, '--out', out]);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /4 trials \(4 finished before\)/);
  const rebuilt = ednas(['experiment', 'report', out, '--out', join(out, 'again.html')]);
  assert.equal(rebuilt.status, 0, rebuilt.stderr);
  assert.match(rebuilt.stdout, /baseline-random-1 +test_acc +1 +0\.\d{4}/);
});

test('Ctrl-C stops the trials at their next step; running the experiment again resumes them from their checkpoints', {
  timeout: 300_000,
}, async () => {
  const root = tempDir();
  const file = join(root, 'long.json');
  writeFileSync(
    file,
    JSON.stringify({
      trials: [
        {
          name: 'long',
          task: 'search',
          preset: 'quick',
          set: { epochs: 6, limit: 200, weightSteps: 8, policySteps: 2, policyBatchSize: 20, C: 2, layers: 3 },
          seeds: [0],
        },
      ],
    }),
  );
  const out = join(root, 'out');
  const child = spawn(process.execPath, [bin, 'experiment', 'run', file, '--out', out], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const state = join(out, 'trials', 'long-seed0', 'checkpoint', 'state.json');
  while (!existsSync(state)) await new Promise((r) => setTimeout(r, 50));
  // The trial's process reports its progress; experiment.json follows it.
  while (!(record(out).trials[0].status.progress > 0)) await new Promise((r) => setTimeout(r, 50));
  assert.ok(record(out).trials[0].status.epochs === 6);
  child.kill('SIGINT');
  assert.equal(await exited, 130, stderr);
  assert.match(stderr, /cancelled; continue with: ednas experiment run .*long\.json --out .*out/);
  const stopped = record(out);
  assert.equal(stopped.state, 'cancelled');
  assert.equal(stopped.trials[0].status.state, 'cancelled');
  assert.equal(
    JSON.parse(readFileSync(join(out, 'trials', 'long-seed0', 'manifest.json'), 'utf8')).status,
    'cancelled',
  );
  assert.deepEqual(
    readdirSync(join(out, 'trials', 'long-seed0')).filter((n) => n.includes('.tmp-')),
    [],
    'no half-written files',
  );

  const again = ednas(['experiment', 'run', file, '--out', out]);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(record(out).trials[0].status.state, 'finished');
  assert.equal(record(out).trials[0].status.attempts, 2);
  assert.match(readFileSync(join(out, 'logs', 'long-seed0.log'), 'utf8'), /ednas search .* --resume \(EDNAS_WORKERS=/);
});

test('experiment run: a bad trial setting fails before anything runs; another experiment directory is refused', () => {
  const root = tempDir();
  const bad = join(root, 'bad.yaml');
  writeFileSync(bad, 'trials:\n  - name: sweep\n    task: search\n    preset: quick\n    set: { C: [2, 3] }\n');
  const r = ednas(['experiment', 'run', bad, '--out', join(root, 'x')]);
  assert.equal(r.status, 2);
  assert.match(
    r.stderr,
    /bad\.yaml: trial sweep-C=3-seed0: .*--set C \(channels of the first cells\) must be an even integer >= 2, got '3'/,
  );
  assert.ok(!existsSync(join(root, 'x')), 'nothing written');
  const other = join(root, 'other.json');
  writeFileSync(other, JSON.stringify({ trials: [{ task: 'search', preset: 'quick' }] }));
  writeFileSync(join(root, 'note.txt'), 'mine');
  assert.match(
    ednas(['experiment', 'run', other, '--out', root]).stderr,
    /already holds files and no experiment\.json; choose another --out/,
  );
  assert.match(
    ednas(['experiment', 'status', join(root, 'none')]).stderr,
    /is not an experiment directory \(no experiment\.json\)/,
  );
  assert.match(ednas(['experiment', 'fly']).stderr, /unknown subcommand 'experiment fly'; it is run, status or report/);
  assert.match(
    ednas(['experiment', 'run', other, '--queue', 'redis://127.0.0.1:1', '--concurrency', '2']).stderr,
    /--concurrency is for the local pool/,
  );
});
