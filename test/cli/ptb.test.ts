// The Penn Treebank commands as a user runs them, on a tiny corpus the test writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, writePtbFixture } from '../helpers/fixtures.ts';
import { setOptions } from '../helpers/tiny-cli.ts';

const bin = new URL('../../bin/ednas.js', import.meta.url).pathname;
const ednas = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 300_000 });
const root = tempDir();
const data = writePtbFixture(root, 5);
/** The model of both commands, cut down to seconds. */
const TINY_MODEL = setOptions('hidden=8', 'batchSize=4', 'bptt=5');
const SEARCH_STEPS = setOptions('policyBatchSize=4', 'weightSteps=5', 'policySteps=3', 'dropout.output=0.2');
const SMALL = ['--data', data, '--seed', '2', ...TINY_MODEL, ...SEARCH_STEPS];

test(
  'ptb search: a run extended with --resume ends exactly as a run of that length; then derived and random cells ' +
    'are trained',
  () => {
    const whole = join(root, 'whole');
    const r = ednas(['search', '--preset', 'ptb-quick', '--epochs', '2', ...SMALL, '--out', whole]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /epoch 2: train ppl [\d.]+ +mean reward [\d.]+ +baseline [\d.]+ +entropy [\d.]+/);
    assert.match(r.stdout, /genotype \(argmax\): Genotype\(recurrent=\[\('(tanh|relu|sigmoid|identity)', 0\)/);
    const csv = readFileSync(join(whole, 'policy.csv'), 'utf8').trim().split('\n');
    assert.equal(csv[0], 'epoch,cell,vector,node,input,op,probability');
    assert.equal(csv.length - 1, 3 * (36 + 36 * 4), 'epochs 0-2: 36 structure and 144 activation entries');
    assert.equal(JSON.parse(readFileSync(join(whole, 'manifest.json'), 'utf8')).preset, 'ptb-quick');

    const grown = join(root, 'grown');
    assert.equal(ednas(['search', '--preset', 'ptb-quick', '--epochs', '1', ...SMALL, '--out', grown]).status, 0);
    const resumed = ednas(['search', '--out', grown, '--resume', '--epochs', '2', '--data', data]);
    assert.equal(resumed.status, 0, resumed.stderr);
    for (const f of ['genotype.json', 'steps.csv', 'policy.csv'])
      assert.equal(readFileSync(join(grown, f), 'utf8'), readFileSync(join(whole, f), 'utf8'), f);

    const EVAL = [
      '--preset',
      'ptb-quick',
      '--data',
      data,
      '--epochs',
      '2',
      ...TINY_MODEL,
      ...setOptions('averageFrom=2'),
    ];
    const derived = ednas(['evaluate', '--run', whole, ...EVAL, '--out', join(root, 'eval')]);
    assert.equal(derived.status, 0, derived.stderr);
    assert.match(derived.stdout, /epoch 2: train ppl [\d.]+ +valid ppl [\d.]+ \(averaged\)/);
    const manifest = JSON.parse(readFileSync(join(root, 'eval', 'manifest.json'), 'utf8'));
    assert.equal(manifest.status, 'finished');
    assert.ok(manifest.result.test_ppl > 1 && manifest.result.averaged_steps > 0, JSON.stringify(manifest.result));
    const random = ednas(['evaluate', '--random', '1', ...EVAL, '--epochs', '1', '--out', join(root, 'random')]);
    assert.equal(random.status, 0, random.stderr);
    assert.ok(existsSync(join(root, 'random', 'random-1', 'epochs.csv')));
  },
);

test('ednas params --rnn counts the PTB model; a CNN genotype given to it is refused with the reason', () => {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'rnn.txt'),
    "Genotype(recurrent=[('sigmoid', 0), ('relu', 1), ('relu', 1), ('identity', 1), ('tanh', 2), ('sigmoid', 5), " +
      "('tanh', 3), ('relu', 5)], concat=range(1, 9))",
  );
  const r = ednas(['params', '--rnn', '--genotype', join(dir, 'rnn.txt'), '--hidden', '850']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).params, 22_960_000);
  const bad = ednas([
    'params',
    '--rnn',
    '--genotype',
    new URL('../fixtures/genotype_darts_v2.json', import.meta.url).pathname,
  ]);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /needs "recurrent"/);
});

test('a wrong --set for a group names its members', () => {
  const r = ednas([
    'search',
    '--preset',
    'ptb-quick',
    '--data',
    data,
    '--set',
    'dropout=0.5',
    '--out',
    join(root, 'never'),
  ]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--set dropout.NAME=VALUE sets one of dropout.output, dropout.hidden/);
});
