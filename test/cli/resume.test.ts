// Resume continues the run that was started, whatever the preset says: Ctrl-C, then the command the tool
// printed, runs to the epochs the run was started with; a setting given again that differs, or other
// data, is refused; an epochs extension and another W are recorded in the manifest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, writeCifarFixture } from '../helpers/fixtures.ts';
import { TINY_SEARCH_SETS } from '../helpers/tiny-cli.ts';

const bin = new URL('../../bin/ednas.js', import.meta.url).pathname;
const genotype = new URL('../fixtures/genotype_darts_v2.json', import.meta.url).pathname;
const ednas = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 300_000 });
const TINY_SEARCH = TINY_SEARCH_SETS;
const TINY_EVAL = [
  '--set',
  'C=2',
  '--set',
  'layers=3',
  '--set',
  'trainLimit=64',
  '--set',
  'testLimit=32',
  '--set',
  'batchSize=32',
];
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
const epochRows = (dir: string) => readFileSync(join(dir, 'epochs.csv'), 'utf8').trim().split('\n').length - 1;

/** Runs `ednas args`, sends SIGINT once the first epoch's line is out; returns the command it prints to continue. */
async function interruptAfterFirstEpoch(args: string[]): Promise<string[]> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '',
    stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
    if (/^epoch 1:/m.test(stdout)) child.kill('SIGINT');
  });
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise((done) => child.once('exit', done));
  assert.equal(code, 130, `interrupted after its first epoch: ${stderr}`);
  const hint = /continue with: ednas (.*)$/m.exec(stderr);
  assert.ok(hint, stderr);
  return hint[1].trim().split(/\s+/);
}

test("search --epochs 3, Ctrl-C, the printed --resume: 3 epochs, not the preset's 10; changes refused", async () => {
  const root = tempDir();
  const out = join(root, 'search');
  writeCifarFixture(join(root, 'other'), 2, 150, 5);
  const resume = await interruptAfterFirstEpoch([
    'search',
    '--preset',
    'quick',
    '--epochs',
    '3',
    '--seed',
    '1',
    '--workers',
    '2',
    ...TINY_SEARCH,
    '--out',
    out,
  ]);
  assert.equal(manifest(out).status, 'cancelled');
  for (const [extra, message] of [
    [['--set', 'lr=0.1'], /was made with lr=0\.05, not lr=0\.1: a resumed run keeps every setting/],
    [['--seed', '2'], /was made with seed=1, not seed=2/],
    [['--preset', 'cpu-proxy'], /is a run of preset quick, not cpu-proxy: a resumed run keeps its preset/],
    [['--epochs', '2'], /was made for 3 epochs: a resumed run may extend them, not cut them to 2/],
    [
      ['--data', join(root, 'other')],
      /was made with other data than .*other.* holds \(their checksums differ\): resume it with its own data/,
    ],
  ] as const) {
    const r = ednas([...resume, ...extra]);
    assert.equal(r.status, extra[0] === '--data' ? 1 : 2, `${extra.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(manifest(out).status, 'cancelled', 'the run is left as it was');
  }
  const r = ednas(resume);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /epoch 3\/3 /, "the progress shows the run's own epochs");
  assert.doesNotMatch(r.stderr, /epoch \d+\/10 /);
  const m = manifest(out);
  assert.equal(m.status, 'finished');
  assert.equal(m.config.epochs, 3);
  assert.equal(m.result.epochs, 3);
  assert.equal(epochRows(out), 3);
  assert.deepEqual(
    m.resumes.map((x: { changes: object }) => x.changes),
    [{}],
  );
  // Its own settings given again are fine; a larger --epochs extends the run, another W is recorded.
  const more = ednas([...resume, '--epochs', '4', '--seed', '1', ...TINY_SEARCH, '--workers', '1']);
  assert.equal(more.status, 0, more.stderr);
  const extended = manifest(out);
  assert.equal(extended.result.epochs, 4);
  assert.deepEqual(extended.resumes.at(-1).changes, { epochs: { from: 3, to: 4 }, workers: { from: 2, to: 1 } });
});

test("evaluate --epochs 4, Ctrl-C, the printed --resume: 4 epochs, not the preset's 2", async () => {
  const out = join(tempDir(), 'eval');
  const resume = await interruptAfterFirstEpoch([
    'evaluate',
    '--genotype',
    genotype,
    '--preset',
    'quick',
    '--epochs',
    '4',
    ...TINY_EVAL,
    '--out',
    out,
  ]);
  const r = ednas(resume);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(manifest(out).status, 'finished');
  assert.equal(manifest(out).result.epochs, 4);
  assert.equal(epochRows(out), 4);
});

test("a damaged manifest.json on --resume is named; --preset '' is refused", () => {
  const out = join(tempDir(), 'damaged');
  assert.equal(ednas(['search', '--preset', 'quick', '--epochs', '1', ...TINY_SEARCH, '--out', out]).status, 0);
  writeFileSync(join(out, 'manifest.json'), '{"kind": "sea');
  const r = ednas(['search', '--out', out, '--resume']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`the run's manifest \\(${join(out, 'manifest.json')}\\) is not valid JSON`));
  const empty = ednas(['search', '--preset', '', '--out', join(out, 'x')]);
  assert.equal(empty.status, 2);
  assert.match(empty.stderr, /--preset needs a name/);
});
