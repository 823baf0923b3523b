// `ednas search` as a user runs it: the quick preset end to end on two worker threads, run twice, killed
// mid-run and resumed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/fixtures.ts';
import { RESULT_FILES } from '../../src/rundir/run-dir.ts';

const bin = new URL('../../bin/ednas.js', import.meta.url).pathname;
// The quick preset on the bundled sample, cut down so the test takes seconds, on two worker threads.
const ARGS = [
  'search',
  '--preset',
  'quick',
  '--workers',
  '2',
  '--epochs',
  '2',
  '--seed',
  '3',
  '--set',
  'limit=400',
  '--set',
  'weightSteps=6',
  '--set',
  'policySteps=3',
];
const ednas = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 300_000 });

test(
  'quick search with W=2: a second run repeats the first; killed after its first checkpoint and resumed, it ends ' +
    'exactly as an uninterrupted run',
  async () => {
    const root = tempDir();
    const whole = join(root, 'whole');
    const r = ednas([...ARGS, '--out', whole]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /epoch 2: loss .* mean reward .* entropy/);
    assert.match(r.stdout, /genotype \(argmax\): Genotype\(normal=\[/);
    for (const f of [...RESULT_FILES, 'checkpoint']) assert.ok(existsSync(join(whole, f)), f);
    const policyCsv = readFileSync(join(whole, 'policy.csv'), 'utf8').trim().split('\n');
    assert.equal(policyCsv[0], 'epoch,cell,vector,node,input,op,probability');
    assert.equal(
      policyCsv.length - 1,
      3 * 2 * (14 + 14 * 7),
      'epochs 0-2, both cells, 14 structure and 98 operation entries',
    );
    const manifest = JSON.parse(readFileSync(join(whole, 'manifest.json'), 'utf8'));
    assert.equal(manifest.status, 'finished');
    assert.equal(manifest.seed, 3);
    assert.match(manifest.data.files[0].sha256, /^[0-9a-f]{64}$/);
    assert.equal(manifest.workers, 2);

    const again = join(root, 'again');
    assert.equal(ednas([...ARGS, '--out', again]).status, 0);
    for (const f of ['genotype.json', 'steps.csv', 'policy.json', 'policy.csv'])
      assert.equal(readFileSync(join(again, f), 'utf8'), readFileSync(join(whole, f), 'utf8'), `second run: ${f}`);

    const broken = join(root, 'broken');
    const child = spawn(process.execPath, [bin, ...ARGS, '--out', broken], { stdio: 'ignore' });
    const exited = new Promise((res) => child.on('exit', res));
    while (!existsSync(join(broken, 'checkpoint', 'state.json'))) await new Promise((res) => setTimeout(res, 25));
    child.kill('SIGKILL');
    await exited;
    assert.ok(!existsSync(join(broken, 'genotype.json')), 'killed before the end');
    assert.equal(JSON.parse(readFileSync(join(broken, 'manifest.json'), 'utf8')).status, 'running');
    const resumed = ednas(['search', '--out', broken, '--resume', '--epochs', '2']);
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.equal(
      JSON.parse(readFileSync(join(broken, 'manifest.json'), 'utf8')).workers,
      2,
      'resumed with the W it began with',
    );
    for (const f of ['genotype.json', 'steps.csv', 'policy.json', 'policy.csv'])
      assert.equal(readFileSync(join(broken, f), 'utf8'), readFileSync(join(whole, f), 'utf8'), f);
    assert.deepEqual(readdirSync(broken).sort(), readdirSync(whole).sort(), 'no temporary files left');
  },
);

test('ednas search: clear errors for a used --out, --resume without a checkpoint, bad presets and settings', () => {
  const root = tempDir();
  const used = ednas([...ARGS, '--out', join(root, '..')]);
  assert.equal(used.status, 1);
  assert.match(used.stderr, /already holds files; pass --resume to continue that run, or choose another --out/);
  assert.match(ednas(['search', '--resume']).stderr, /--resume needs --out DIR/);
  assert.match(
    ednas(['search', '--resume', '--out', join(root, 'none')]).stderr,
    /no checkpoint in .*start a new run instead of --resume/,
  );
  const preset = ednas(['search', '--preset', 'huge']);
  assert.equal(preset.status, 2);
  assert.match(preset.stderr, /unknown preset 'huge'; the presets are quick, cpu-proxy, cifar10/);
  assert.match(
    ednas(['search', '--set', 'chanels=3']).stderr,
    /--set chanels: unknown setting; the settings are seed, C, layers/,
  );
  const help = ednas(['search', '--help']);
  assert.match(help.stdout, /quick +about a minute/);
  assert.match(help.stdout, /cpu-proxy/);
});
