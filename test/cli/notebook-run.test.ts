// `ednas run NOTEBOOK`: the reactive notebooks as scripts on the bundled samples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/fixtures.ts';

const bin = new URL('../../bin/ednas.js', import.meta.url).pathname;
const nb = (name: string) => new URL(`../../notebooks/${name}`, import.meta.url).pathname;
const ednas = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 600_000 });

test('ednas run notebooks/cifar-search.ts completes on the bundled sample, with --set', () => {
  const r = ednas(['run', nb('cifar-search.ts'), '--no-cache', '--set', 'lr=0.02']);
  assert.equal(r.status, 0, r.stderr.slice(-3000));
  assert.match(r.stdout, /── search\ndone: epoch 2 done/);
  assert.match(r.stdout, /── genotype\nGenotype\(normal=/);
  assert.match(r.stdout, /── results\nname +test_acc +params\n[-\s]+\nderived +0\.\d+ +\d+\nrandom/);
  assert.match(r.stdout, /── lr\n0\.02\n/, 'the input cell took the value set');
  assert.match(r.stdout, /22 cells, 0 failed/);
});

test('--set of an input cell is checked against its range, in words', () => {
  const r = ednas(['run', nb('cifar-search.ts'), '--no-cache', '--set', 'lr=5']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /--set lr \(weight learning rate\) must be a number in \[0\.001, 0\.2\], got '5'/);
  const words = ednas(['run', nb('ptb-search.ts'), '--no-cache', '--set', 'epochs=many']);
  assert.equal(words.status, 1);
  assert.match(words.stderr, /--set epochs \(search epochs\) must be an integer in 1\.\.10, got 'many'/);
});

test('ednas run notebooks/ptb-search.ts completes on the bundled Penn Treebank slice', () => {
  const r = ednas(['run', nb('ptb-search.ts'), '--no-cache']);
  assert.equal(r.status, 0, r.stderr.slice(-3000));
  assert.match(r.stdout, /── genotype\nGenotype\(recurrent=\[/);
  assert.match(r.stdout, /── perplexities\ncell +valid_ppl/);
});

test('a failing cell makes the exit status 1 and names the cell; a --set for no cell is refused', () => {
  const file = join(tempDir(), 'broken.ts');
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the notebook's source text holds a template literal
  writeFileSync(file, 'export const a = 1;\nexport const b = (a: number) => { throw new Error(`bad ${a}`); };\n');
  const r = ednas(['run', file]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /── b: error: bad 1/);
  const unknown = ednas(['run', file, '--set', 'zz=1']);
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /--set zz: the notebook has no cell of that name; its cells are a, b/);
});
