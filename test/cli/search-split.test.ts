// A search whose splits are smaller than one batch would run whole epochs without a policy (or weight)
// step, its reward 0, and exit 0 with a genotype: it is refused before anything is written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/fixtures.ts';

const bin = new URL('../../bin/ednas.js', import.meta.url).pathname;
const ednas = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });
const TINY = [
  'search',
  '--preset',
  'quick',
  '--epochs',
  '1',
  '--set',
  'weightSteps=1',
  '--set',
  'C=2',
  '--set',
  'layers=3',
];

test('fewer policy images than one policy batch, or weight images than one batch, is refused naming settings', () => {
  const root = tempDir();
  for (const [sets, message] of [
    [
      ['limit=200'],
      new RegExp(
        String.raw`the policy split holds 40 images \(limit 200 x policyFraction 0\.2\), fewer than one policy batch ` +
          String.raw`\(policyBatchSize 64\): the search would take no policy step.*` +
          'Raise limit or policyFraction, or lower policyBatchSize',
      ),
    ],
    [['limit=1600', 'policyFraction=0.02'], /the policy split holds 32 images \(limit 1600 x policyFraction 0\.02\)/],
    [
      ['limit=200', 'policyBatchSize=16', 'batchSize=256'],
      /the weight split holds 160 images .* fewer than one batch \(batchSize 256\): the search would take no weight/,
    ],
  ] as const) {
    const out = join(root, sets.join('_').replace(/\W/g, '_'));
    const r = ednas([...TINY, ...sets.flatMap((s) => ['--set', s]), '--out', out]);
    assert.equal(r.status, 2, `${sets}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.ok(!existsSync(out), 'nothing written');
  }
  // One whole policy batch is enough: the search runs and takes its policy step.
  const out = join(root, 'ok');
  const r = ednas([
    ...TINY,
    '--set',
    'limit=320',
    '--set',
    'policySteps=1',
    '--set',
    'policyWarmupEpochs=0',
    '--out',
    out,
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /mean reward 0\.\d*[1-9]/);
});
