// A clone has only the repository: no sibling ../shared folder. From a copy of the project's files (those
// git tracks or does not ignore) in a fresh folder, node_modules linked, the supernet bench reads its
// options and its default genotype, the data bench names `ednas data cifar10` for a missing folder, and the
// example experiment validates and expands, its data folder the one `ednas data cifar10` downloads to.
import { readGenotype, readRnnGenotype } from '../../src/tasks/genotype-file.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DARTS_V2_RNN } from '../../src/space/rnn-genotype.ts';
import { tempDir } from '../helpers/fixtures.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const SELF = 'test/bench/clone.test.ts';
const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT })
  .toString()
  .split('\0')
  .filter((f) => f && existsSync(join(ROOT, f)));

/** The project's files copied into <tmp>/ednas, with the installed node_modules linked in. */
function clone(): string {
  const dir = join(tempDir('ednas-clone-'), 'ednas');
  for (const f of files) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    copyFileSync(join(ROOT, f), join(dir, f));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

const node = (cwd: string, args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', ...args], { cwd, encoding: 'utf8' });

test('no file of the project refers to ../shared', () => {
  const text = (f: string) => readFileSync(join(ROOT, f), 'utf8');
  const hits = files.filter((f) => f !== SELF && !/\.(bin|png|jpg|wasm)$/.test(f) && text(f).includes('../shared'));
  assert.deepEqual(hits, []);
});

test("the reference genotypes ship in data/genotypes/: DARTS V2's cells and its recurrent cell", () => {
  const fixture = readGenotype(join(ROOT, 'test/fixtures/genotype_darts_v2.json'));
  assert.deepEqual(readGenotype(join(ROOT, 'data/genotypes/darts_v2.json')), fixture);
  assert.deepEqual(readRnnGenotype(join(ROOT, 'data/genotypes/darts_v2_rnn.json')), DARTS_V2_RNN);
});

test('from a clone without ../shared: the benches read their defaults, the example experiment validates', {
  timeout: 120_000,
}, () => {
  const dir = clone();
  assert.equal(existsSync(join(dir, '..', 'shared')), false);
  const supernet = node(dir, ['bench/main.ts', 'supernet', '--check']);
  assert.equal(supernet.status, 0, supernet.stderr);
  const setting = JSON.parse(supernet.stdout.trim().split('\n').pop()!);
  assert.equal(setting.genotype, join(dir, 'data/genotypes/darts_v2.json'));
  assert.equal(setting.channels, 8);
  const bad = node(dir, ['bench/main.ts', 'supernet', '--check', '--genotype', 'nowhere.json']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /nowhere\.json/);
  const data = node(dir, ['bench/main.ts', 'data', '--cifar', join(dir, 'data/cache/cifar10')]);
  assert.equal(data.status, 2);
  assert.match(data.stderr, /ednas data cifar10/);
  const script =
    "import { readExperimentFile } from './src/experiment/file.ts';\n" +
    "import { expandExperiment } from './src/experiment/expand.ts';\n" +
    "const x = readExperimentFile('notebooks/experiments/derived-vs-random.json');\n" +
    'console.log(JSON.stringify({ data: x.data, trials: expandExperiment(x).length }));\n';
  const x = node(dir, ['--input-type=module', '-e', script]);
  assert.equal(x.status, 0, x.stderr);
  const { data: folder, trials } = JSON.parse(x.stdout.trim());
  assert.equal(folder, 'data/cache/cifar10');
  assert.ok(trials >= 10);
});
