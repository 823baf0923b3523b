// The notebook's actions, declared once (src/notebook/actions.ts): each one checks the page's message, runs
// in the worker process through the host, and what the host keeps of it survives a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIONS, actionNamed } from '../../src/notebook/actions.ts';
import { NotebookHost } from '../../src/notebook/host.ts';
import { tempDir } from '../helpers/fixtures.ts';

test('each action parses the fields it takes and names what it expected otherwise', () => {
  assert.deepEqual(ACTIONS.define.parse({ name: 'a', text: 'export const a = 1;', extra: 1 }), {
    name: 'a',
    text: 'export const a = 1;',
  });
  assert.throws(() => ACTIONS.define.parse({ name: 'a' }), /expected \{"name": CELL, "text": SOURCE\}/);
  assert.deepEqual(ACTIONS.input.parse({ name: 'k', value: true }), { name: 'k', value: true });
  assert.throws(() => ACTIONS.input.parse({ name: 'k', value: [1] }), /"value": a number, text or true\/false/);
  assert.throws(() => ACTIONS.run.parse({ name: 3 }), /expected \{"name": CELL\}/);
  assert.deepEqual(ACTIONS['run-stale'].parse({ name: 'ignored' }), {});
  assert.throws(() => ACTIONS.lazy.parse({ lazy: 'yes' }), /expected \{"lazy": true or false\}/);
  assert.deepEqual(ACTIONS.lazy.answer?.({ lazy: true }), { lazy: true });
  for (const name of ['constructor', '__proto__', 'toString', 'save', 'nope'])
    assert.equal(actionNamed(name), undefined);
});

test('every action runs in the worker through the host, and what it keeps outlives a restart', {
  timeout: 60_000,
}, async () => {
  const file = join(tempDir(), 'nb.ts');
  writeFileSync(
    file,
    `export const k = Inputs.range([1, 10], { value: 2, step: 1 });
export const a = 1;
export const b = (a: number, k: number) => a * k;
`,
  );
  const host = await NotebookHost.open(file, { cacheDir: false, memoryMb: 512 });
  const value = (name: string) => host.cells.get(name)?.output?.['text/plain'];
  const settled = async () => {
    await host.whenIdle();
    return [value('a'), value('b'), host.cells.get('b')?.state];
  };
  try {
    assert.deepEqual(await settled(), ['1', '2', 'fulfilled']);
    await host.act('define', { name: 'a', text: 'export const a = 3;' });
    assert.deepEqual(await settled(), ['3', '6', 'fulfilled']);
    await host.act('input', { name: 'k', value: 4 });
    assert.deepEqual(await settled(), ['3', '12', 'fulfilled']);
    await assert.rejects(host.act('input', { name: 'k', value: 40 }), /k/);
    await assert.rejects(host.act('run', { name: 'nope' }), /no cell named nope/);
    await host.act('lazy', { lazy: true });
    assert.equal(host.lazy, true);
    await host.act('input', { name: 'k', value: 5 });
    assert.deepEqual(await settled(), ['3', '12', 'stale']);
    await host.act('run', { name: 'b' });
    assert.deepEqual(await settled(), ['3', '15', 'fulfilled']);
    await host.act('input', { name: 'k', value: 6 });
    assert.deepEqual(await settled(), ['3', '15', 'stale']);
    await host.act('run-stale', {});
    assert.deepEqual(await settled(), ['3', '18', 'fulfilled']);
    // The edit, the input's value and lazy mode are kept by the host: a fresh worker opens with them.
    await host.restart();
    assert.equal(host.lazy, true);
    assert.deepEqual(await settled(), ['3', '18', 'fulfilled']);
  } finally {
    await host.close();
  }
});
