// The reactive notebook runtime: dependency order, exact re-run sets, cancellation of a running training
// generator, errors, unknown names and cycles as cell errors, the on-disk cache, saving edits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NotebookSession } from '../../src/notebook/session.ts';
import { parseNotebook } from '../../src/notebook/parse.ts';
import { onBackend } from '../helpers/backends.ts';
import { tempDir } from '../helpers/fixtures.ts';

const lib = new URL('../../src/index.ts', import.meta.url).pathname;
const tiny = new URL('../helpers/tiny.ts', import.meta.url).pathname;

function notebook(body: string): string {
  const file = join(tempDir(), 'nb.ts');
  writeFileSync(file, body);
  return file;
}

const runs = (s: NotebookSession) => Object.fromEntries([...s.cells.values()].map((c) => [c.name, c.runs]));
const values = (s: NotebookSession) => Object.fromEntries([...s.cells.values()].map((c) => [c.name, c.value]));

const DIAMOND = `/** # A diamond */
/** The root. */
export const a = 2;
export const b = (a: number) => { (globalThis as any).__order.push('b'); return a * 10; };
export const c = (a: number) => { (globalThis as any).__order.push('c'); return a + 1; };
export const d = (b: number, c: number) => { (globalThis as any).__order.push('d'); return b + c; };
export const e = () => { (globalThis as any).__order.push('e'); return 'unrelated'; };
`;

test('the format: cells, inputs, prose, intro and cache marks come from the module source', () => {
  const p = parseNotebook(DIAMOND + '/** @cache\n * Slow. */\nexport async function* f(d: number, invalidation: Promise<void>) { yield d; }\n');
  assert.equal(p.intro, '# A diamond');
  assert.deepEqual(p.cells.map((c) => [c.name, c.inputs]), [['a', []], ['b', ['a']], ['c', ['a']], ['d', ['b', 'c']], ['e', []], ['f', ['d', 'invalidation']]]);
  assert.equal(p.cells[0].prose, 'The root.');
  assert.equal(p.cells[5].cache, true);
  assert.equal(p.cells[5].prose, 'Slow.');
  assert.equal(p.cells[0].isFunction, false);
});

test('cells run after their inputs; redefining one re-runs exactly its transitive dependents', async () => {
  (globalThis as any).__order = [];
  const s = await NotebookSession.open(notebook(DIAMOND), { cacheDir: false });
  await s.whenIdle();
  const order: string[] = (globalThis as any).__order;
  assert.ok(order.indexOf('d') > order.indexOf('b') && order.indexOf('d') > order.indexOf('c'), order.join());
  assert.deepEqual(values(s), { a: 2, b: 20, c: 3, d: 23, e: 'unrelated' });
  assert.deepEqual(runs(s), { a: 1, b: 1, c: 1, d: 1, e: 1 });
  s.setValue('a', 5);
  await s.whenIdle();
  assert.deepEqual(runs(s), { a: 2, b: 2, c: 2, d: 2, e: 1 }, 'd once (not once per changed input), e not at all');
  assert.equal(s.cells.get('d')!.value, 56);
  s.redefine('c', 'export const c = (a: number) => a - 1;');
  await s.whenIdle();
  assert.deepEqual(runs(s), { a: 2, b: 2, c: 3, d: 3, e: 1 }, 'b does not read c');
  assert.equal(s.cells.get('d')!.value, 54);
  assert.throws(() => s.redefine('c', 'export const z = 1;'), /defines z, not c/);
  s.dispose();
});

test('errors, unknown names and cycles are cell errors; the other cells still run', async () => {
  const s = await NotebookSession.open(notebook(`
export const ok = () => 1;
export const boom = (ok: number) => { throw new RangeError('no ' + ok); };
export const after = (boom: number) => boom + 1;
export const lost = (nowhere: number) => nowhere;
export const x = (y: number) => y;
export const y = (x: number) => x;
export const bad = () => { return nope; };
`), { cacheDir: false });
  await s.whenIdle();
  const st = (n: string) => [s.cells.get(n)!.state, s.cells.get(n)!.error];
  assert.deepEqual(st('ok'), ['fulfilled', undefined]);
  assert.deepEqual(st('boom'), ['rejected', 'no 1']);
  assert.deepEqual(st('after'), ['rejected', 'no 1'], 'a dependent of a failed cell fails with its error');
  assert.match(String(st('lost')[1]), /nowhere is not defined/);
  assert.match(String(st('x')[1]), /circular definition/);
  assert.match(String(st('y')[1]), /circular definition/);
  assert.match(String(st('bad')[1]), /nope is not defined/);
  s.dispose();
});

test('redefining the input of a running training cell cancels it at the next step, without leaking tensors', () =>
  onBackend('wasm', async () => {
    const file = notebook(`
import { Search, liveTraining } from '${lib}';
import { TINY_SEARCH, tinyImages } from '${tiny}';
export const lr = 0.05;
export const search = (lr: number, invalidation: Promise<void>) => {
  const s = new Search({ ...TINY_SEARCH, lr, epochs: 1000, weightSteps: 2, policySteps: 1 }, tinyImages(24, 1));
  (globalThis as any).__searches.push(s);
  return liveTraining(s, { invalidation, intervalMs: 10 });
};
export const epochs = (search: { epoch: number }) => search.epoch;
`);
    (globalThis as any).__searches = [];
    const tensors = tf.memory().numTensors;
    const s = await NotebookSession.open(file, { cacheDir: false });
    const searches = (globalThis as any).__searches;
    const until = (ok: () => boolean) => new Promise<void>((r) => { const t = setInterval(() => { if (ok()) { clearInterval(t); r(); } }, 5); });
    await until(() => s.cells.get('search')!.yields >= 2);
    const first = searches[0];
    s.setValue('lr', 0.01);
    await until(() => searches.length === 2 && s.cells.get('search')!.yields >= 2);
    assert.equal(searches.length, 2, 'a new search started');
    assert.equal(searches[1].config.lr, 0.01);
    const stoppedAt = first.steps.length;
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(first.steps.length, stoppedAt, 'the first search no longer steps');
    assert.ok(s.cells.get('epochs')!.runs >= 3, 'the dependent follows the live search');
    s.dispose();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(tf.memory().numTensors, tensors, 'both searches freed their tensors');
  }));

test('@cache: a second open with the same code is a hit and does not run; changed upstream code misses', async () => {
  const file = notebook(`
export const n = 3;
/** @cache */
export const slow = (n: number) => { (globalThis as any).__slow++; return { squares: [...Array(n).keys()].map((k) => k * k) }; };
`);
  const cacheDir = tempDir();
  (globalThis as any).__slow = 0;
  const first = await NotebookSession.open(file, { cacheDir });
  await first.whenIdle();
  assert.equal(first.cells.get('slow')!.cache, 'stored');
  first.dispose();
  const second = await NotebookSession.open(file, { cacheDir });
  await second.whenIdle();
  assert.equal(second.cells.get('slow')!.cache, 'hit');
  assert.deepEqual(second.cells.get('slow')!.value, { squares: [0, 1, 4] });
  assert.equal((globalThis as any).__slow, 1, 'ran once in two opens');
  second.dispose();
  const changed = await NotebookSession.open(file, { cacheDir, sets: { n: 4 } });
  await changed.whenIdle();
  assert.equal(changed.cells.get('slow')!.cache, 'stored', 'a new key: computed and stored');
  assert.equal((globalThis as any).__slow, 2);
  changed.dispose();
});

test('edits are saved back into the file, which stays a valid module', async () => {
  const file = notebook(DIAMOND);
  (globalThis as any).__order = [];
  const s = await NotebookSession.open(file, { cacheDir: false });
  await s.whenIdle();
  s.redefine('b', 'export const b = (a: number) => a * 100;');
  s.setValue('a', 7);
  s.save();
  const text = readFileSync(file, 'utf8');
  assert.match(text, /export const a = 7;\nexport const b = \(a: number\) => a \* 100;\nexport const c = /);
  assert.deepEqual(parseNotebook(text).cells.map((c) => c.name), ['a', 'b', 'c', 'd', 'e']);
  s.dispose();
});

test('cells named like built-in properties (constructor, toString, __proto__) behave as any other name', async () => {
  const file = notebook('export const constructor = 1;\nexport const toString = (constructor: number) => constructor + 1;\nexport const hasOwnProperty = 3;\nexport const valueOf = (toString: number, hasOwnProperty: number) => toString * hasOwnProperty;\nexport const w = (__proto__: number) => __proto__;\n');
  const s = await NotebookSession.open(file, { cacheDir: false, sets: new Map([['hasOwnProperty', 5]]) });
  await s.whenIdle();
  assert.deepEqual(values(s), { constructor: 1, toString: 2, hasOwnProperty: 5, valueOf: 10, w: undefined });
  assert.match(s.cells.get('w')!.error!, /__proto__ is not defined: no cell has that name/);
  await assert.rejects(NotebookSession.open(file, { cacheDir: false, sets: new Map([['__proto__', 5]]) }), /--set __proto__: the notebook has no cell of that name/);
  s.dispose();
});
