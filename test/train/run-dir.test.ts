// The run directory module: what it writes it reads back; manifests made before they named their task
// still open; a damaged manifest is an error naming the file and what is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunDir } from '../../src/train/run-dir.ts';
import { tempDir } from '../helpers/fixtures.ts';

const base = {
  kind: 'search', status: 'finished', command: 'ednas search', seed: 0, started: '2026-01-01T00:00:00Z',
  backend: { name: 'wasm', package: 'p', version: '1', threads: 1 }, versions: { ednas: '0', tfjs: '4.22.0', node: '20' },
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
  assert.equal(write('pipeline', { ...base, kind: 'pipeline', config: { search: { C: 4 }, evaluate: { C: 8 } } }).task, 'cnn');
  assert.equal(write('new', { ...base, schema: 2, task: 'rnn', config: {} }).task, 'rnn');
});

test('tables, policy history and genotype files round-trip; a missing table is undefined', () => {
  const run = new RunDir(tempDir());
  assert.equal(run.table('epochs'), undefined);
  run.writeTable('epochs', [{ epoch: 1, loss: 0.5, genotype: '{"a": [1, 2]}' }]);
  assert.deepEqual(run.table('epochs'), [{ epoch: 1, loss: 0.5, genotype: '{"a": [1, 2]}' }]);
  run.writeGenotype('{"x": 1}\n', 'Genotype(x=1)');
  assert.equal(run.genotype((p) => p.endsWith('genotype.json')), true);
});

test('a damaged or foreign manifest is an error naming the file and the fault', () => {
  const root = tempDir();
  writeFileSync(join(root, 'manifest.json'), '{"kind": "search", "stat');
  assert.throws(() => new RunDir(root).manifest(), (e: Error) => /manifest\.json\) is not valid JSON/.test(e.message) && e.message.includes(root));
  writeFileSync(join(root, 'manifest.json'), JSON.stringify({ kind: 'search' }));
  assert.throws(() => new RunDir(root).manifest(), /manifest\.json has no "status" field/);
  assert.throws(() => new RunDir(join(root, 'none')).manifest(), /is not a run directory \(no manifest\.json\)/);
});
