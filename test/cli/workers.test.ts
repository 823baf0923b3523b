// The worker count W is decided by the command that starts (--workers, else EDNAS_WORKERS, else none: the run's
// own on resume, or the backend's default) and passed down; nothing below the CLI reads the variable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { commandWorkers } from '../../src/cli/workers.ts';

const SRC = new URL('../../src/', import.meta.url).pathname;

test('--workers wins, then EDNAS_WORKERS; a resumed run keeps its own unless --workers names one', () => {
  assert.equal(commandWorkers('3', false, { EDNAS_WORKERS: '2' }), 3);
  assert.equal(commandWorkers(undefined, false, { EDNAS_WORKERS: ' 2 ' }), 2);
  assert.equal(commandWorkers(undefined, false, {}), undefined);
  assert.equal(commandWorkers(undefined, true, { EDNAS_WORKERS: '2' }), undefined);
  assert.equal(commandWorkers('1', true, { EDNAS_WORKERS: '2' }), 1);
  assert.throws(() => commandWorkers(undefined, false, { EDNAS_WORKERS: 'two' }), /EDNAS_WORKERS=two is not a number/);
  assert.throws(() => commandWorkers('0', false, {}), /--workers must be an integer >= 1, got '0'/);
});

test('only the command line reads EDNAS_WORKERS; experiment trials hand it to their commands', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
      d.isDirectory() ? files(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
    );
  const readers = files(SRC)
    .filter((f) => /env(\?)?\.EDNAS_WORKERS|\['EDNAS_WORKERS'\]/.test(readFileSync(f, 'utf8')))
    .map((f) => relative(SRC, f));
  assert.ok(readers.includes('cli/workers.ts'), 'the CLI reads it');
  assert.deepEqual(
    readers.filter((f) => !f.startsWith('cli/')),
    [],
    'read below the command line',
  );
});
