// The run directory module: what it writes it reads back; manifests made before they named their task
// still open; a damaged manifest is an error naming the file and what is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunDir } from '../../src/rundir/run-dir.ts';
import { tempDir } from '../helpers/fixtures.ts';

const base = {
  kind: 'search',
  status: 'finished',
  command: 'ednas search',
  seed: 0,
  started: '2026-01-01T00:00:00Z',
  backend: { name: 'wasm', package: 'p', version: '1', threads: 1 },
  versions: { ednas: '0', tfjs: '4.22.0', node: '20' },
  data: { dir: 'd', source: 'sample', files: [] },
};

test('manifests without a task (schema 1) open with the task read from the config', () => {
  const root = tempDir();
  const write = (name: string, m: object) => {
    mkdirSync(join(root, name));
    writeFileSync(join(root, name, 'manifest.json'), JSON.stringify(m));
    return new RunDir(join(root, name)).manifest();
  };
  const ptb = write('ptb', { ...base, config: { hidden: 32, epochs: 2 } });
  assert.equal(ptb.task, 'rnn');
  assert.equal(ptb.schema, 1);
  assert.equal(write('cifar', { ...base, config: { C: 4, epochs: 2 } }).task, 'cnn');
  assert.equal(
    write('pipeline', { ...base, kind: 'pipeline', config: { search: { C: 4 }, evaluate: { C: 8 } } }).task,
    'cnn',
  );
  assert.equal(write('new', { ...base, schema: 2, task: 'rnn', config: {} }).task, 'rnn');
});

test('tables, policy history and genotype files round-trip; a missing table is undefined', () => {
  const run = new RunDir(tempDir());
  assert.equal(run.table('epochs'), undefined);
  run.writeTable('epochs', [{ epoch: 1, loss: 0.5, genotype: '{"a": [1, 2]}' }]);
  assert.deepEqual(run.table('epochs'), [{ epoch: 1, loss: 0.5, genotype: '{"a": [1, 2]}' }]);
  run.writeGenotype('{"x": 1}\n', 'Genotype(x=1)');
  assert.equal(
    run.genotype((p) => p.endsWith('genotype.json')),
    true,
  );
});

test('a damaged or foreign manifest is an error naming the file and the fault', () => {
  const root = tempDir();
  writeFileSync(join(root, 'manifest.json'), '{"kind": "search", "stat');
  assert.throws(
    () => new RunDir(root).manifest(),
    (e: Error) => /manifest\.json\) is not valid JSON/.test(e.message) && e.message.includes(root),
  );
  writeFileSync(join(root, 'manifest.json'), JSON.stringify({ kind: 'search' }));
  assert.throws(() => new RunDir(root).manifest(), /manifest\.json has no "status" field/);
  assert.throws(() => new RunDir(join(root, 'none')).manifest(), /is not a run directory \(no manifest\.json\)/);
});

test("a run's result files travel without its checkpoint and are put in place whole elsewhere", () => {
  const root = tempDir();
  const run = new RunDir(join(root, 'worker'));
  mkdirSync(join(run.dir, 'checkpoint'), { recursive: true });
  mkdirSync(join(run.dir, 'model'));
  writeFileSync(join(run.dir, 'checkpoint', 'weights.bin'), new Uint8Array(64));
  writeFileSync(join(run.dir, 'model', 'weights.bin'), Uint8Array.from([0, 1, 255]));
  writeFileSync(join(run.dir, 'manifest.json'), JSON.stringify({ ...base, config: { C: 4 } }));
  run.writeTable('epochs', [{ epoch: 1, loss: 0.5 }]);
  run.writeGenotype('{"x": 1}\n', 'Genotype(x=1)');
  const files = run.resultFiles();
  assert.deepEqual(files.map((f) => f.name).sort(), [
    'epochs.csv',
    'genotype.json',
    'genotype.txt',
    'manifest.json',
    'model/weights.bin',
  ]);
  assert.deepEqual(
    run
      .resultFiles(2)
      .map((f) => f.name)
      .includes('model/weights.bin'),
    false,
    'a model above the limit stays behind',
  );
  const copy = new RunDir(join(root, 'submitter', 'trial'));
  copy.writeResultFiles(files);
  assert.deepEqual(copy.table('epochs'), [{ epoch: 1, loss: 0.5 }]);
  assert.deepEqual([...readFileSync(join(copy.dir, 'model', 'weights.bin'))], [0, 1, 255]);
  assert.equal(copy.manifest().status, 'finished');
  assert.deepEqual(readdirSync(join(root, 'submitter')), ['trial'], 'no temporary left');
  assert.throws(
    () => copy.writeResultFiles([{ name: '../escape', base64: '' }]),
    /a result file may not be named "\.\.\/escape"/,
  );
});
