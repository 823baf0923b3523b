// The reactive notebook runtime: dependency order, exact re-run sets, cancellation of a running training
// generator, errors, unknown names and cycles as cell errors, the on-disk cache, saving edits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Search } from '../../src/cnn/search.ts';
import { NotebookSession } from '../../src/notebook/session.ts';
import type { CellStatus } from '../../src/notebook/reactive.ts';
import { parseNotebook } from '../../src/notebook/parse.ts';
import { serveCells } from '../../src/notebook/worker-loop.ts';
import type { FromWorker } from '../../src/notebook/protocol.ts';
import { onBackend } from '../helpers/backends.ts';
import { tempDir } from '../helpers/fixtures.ts';

/** What the test notebooks' cells record on globalThis, read back here. */
const recorded = globalThis as typeof globalThis & {
  __order: string[];
  __searches: Search[];
  __slow: number;
  __data: number;
  __sq: number;
};

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
  const p = parseNotebook(
    DIAMOND +
      '/** @cache\n * Slow. */\nexport async function* f(d: number, invalidation: Promise<void>) { yield d; }\n',
  );
  assert.equal(p.intro, '# A diamond');
  assert.deepEqual(
    p.cells.map((c) => [c.name, c.inputs]),
    [
      ['a', []],
      ['b', ['a']],
      ['c', ['a']],
      ['d', ['b', 'c']],
      ['e', []],
      ['f', ['d', 'invalidation']],
    ],
  );
  assert.equal(p.cells[0].prose, 'The root.');
  assert.equal(p.cells[5].cache, true);
  assert.equal(p.cells[5].prose, 'Slow.');
  assert.equal(p.cells[0].isFunction, false);
});

test('cells run after their inputs; redefining one re-runs exactly its transitive dependents', async () => {
  recorded.__order = [];
  const s = await NotebookSession.open(notebook(DIAMOND), { cacheDir: false });
  await s.whenIdle();
  const order: string[] = recorded.__order;
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
  const s = await NotebookSession.open(
    notebook(`
export const ok = () => 1;
export const boom = (ok: number) => { throw new RangeError('no ' + ok); };
export const after = (boom: number) => boom + 1;
export const lost = (nowhere: number) => nowhere;
export const x = (y: number) => y;
export const y = (x: number) => x;
export const bad = () => { return nope; };
`),
    { cacheDir: false },
  );
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

test('a generator cell that fails after a value goes from live to its error in one change, never done', async () => {
  const s = await NotebookSession.open(
    notebook(`
export const gen = async function* () {
  yield 1;
  await new Promise((r) => setTimeout(r, 20));
  throw new Error('stopped here');
};
`),
    { cacheDir: false },
  );
  // What a front end is told of the cell at each change (the worker sends a view per state or live change).
  const seen: string[] = [];
  s.on('change', (c: CellStatus) => {
    if (c.name === 'gen') seen.push(`${c.state}${c.live ? ' live' : ''}${c.error ? `: ${c.error}` : ''}`);
  });
  await s.whenIdle();
  assert.deepEqual(seen.slice(-2), ['fulfilled live', 'rejected: stopped here'], seen.join(' → '));
  s.dispose();
});

test("an interrupted cell says so, and so do the cells that read it, not the abort's own words", async () => {
  const s = await NotebookSession.open(
    notebook(`
export const train = (invalidation: Promise<void>) => (async function* () {
  yield 1;
  await invalidation;
  throw new DOMException('signal is aborted without reason', 'AbortError');
})();
export const plot = (train: number) => train + 1;
export const table = (plot: number) => plot + 1;
export const other = () => 1;
`),
    { cacheDir: false },
  );
  for (let waited = 0; !s.cells.get('train')!.live; waited += 10) {
    assert.ok(waited < 5000, 'the training cell went live');
    await new Promise((r) => setTimeout(r, 10));
  }
  s.interrupt();
  await s.whenIdle();
  const error = (n: string) => s.cells.get(n)!.error;
  assert.equal(error('train'), 'interrupted: the cell stopped at its next step');
  assert.equal(error('plot'), 'interrupted: train stopped at its next step');
  assert.equal(error('table'), 'interrupted: train stopped at its next step');
  assert.equal(s.cells.get('other')!.state, 'fulfilled');
  s.dispose();
});

test('a live cell whose input changes is not live while it waits for the new input', async () => {
  const s = await NotebookSession.open(
    notebook(`
export const x = 1;
export const slow = (x: number) => new Promise((r) => setTimeout(() => r(x), 400));
export const gen = (slow: number, invalidation: Promise<void>) => (async function* () {
  yield slow;
  await invalidation;
  throw new DOMException('stopped by its new input', 'AbortError');
})();
`),
    { cacheDir: false },
  );
  // The generator stays live until its input changes, so the session is never idle: poll, within bounds.
  const until = async (what: string, ok: () => boolean) => {
    for (let waited = 0; !ok(); waited += 10) {
      assert.ok(waited < 5000, what);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const gen = s.cells.get('gen')!;
  // What a host was last told of the cell (a page hears of a cell only through these changes).
  let told = '';
  s.on('change', (c: CellStatus) => {
    if (c.name === 'gen') told = `${c.state}${c.live ? ' live' : ''}`;
  });
  await until('the first run went live', () => gen.live && gen.value === 1);
  s.redefine('x', 'export const x = 2;');
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(told, 'pending', 'the host heard that its run ended when its input changed');
  await until('the new run went live', () => gen.live && gen.value === 2);
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
    recorded.__searches = [];
    const tensors = tf.memory().numTensors;
    const s = await NotebookSession.open(file, { cacheDir: false });
    const searches = recorded.__searches;
    const until = (ok: () => boolean) =>
      new Promise<void>((r) => {
        const t = setInterval(() => {
          if (ok()) {
            clearInterval(t);
            r();
          }
        }, 5);
      });
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
  const file = notebook(
    `
export const n = 3;
/** @cache */
export const slow = (n: number) => { (globalThis as any).__slow++; ` +
      `return { squares: [...Array(n).keys()].map((k) => k * k) }; };
`,
  );
  const cacheDir = tempDir();
  recorded.__slow = 0;
  const first = await NotebookSession.open(file, { cacheDir });
  await first.whenIdle();
  assert.equal(first.cells.get('slow')!.cache, 'stored');
  first.dispose();
  const second = await NotebookSession.open(file, { cacheDir });
  await second.whenIdle();
  assert.equal(second.cells.get('slow')!.cache, 'hit');
  assert.deepEqual(second.cells.get('slow')!.value, { squares: [0, 1, 4] });
  assert.equal(recorded.__slow, 1, 'ran once in two opens');
  second.dispose();
  const changed = await NotebookSession.open(file, { cacheDir, sets: { n: 4 } });
  await changed.whenIdle();
  assert.equal(changed.cells.get('slow')!.cache, 'stored', 'a new key: computed and stored');
  assert.equal(recorded.__slow, 2);
  changed.dispose();
});

test("a host's views mark a @cache cell as cached only where its values are kept (not with --no-cache)", async () => {
  const file = notebook(`/** @cache */\nexport const kept = () => 1;\n`);
  for (const cacheDir of [tempDir(), false as const]) {
    const sent: FromWorker[] = [];
    const server = serveCells(
      (m) => sent.push(m),
      (o) => NotebookSession.open(o.file, { cacheDir: o.cacheDir }),
    );
    await server.receive({ type: 'open', file, cacheDir });
    const opened = sent.find((m) => m.type === 'opened');
    assert.ok(opened?.type === 'opened', JSON.stringify(sent));
    assert.equal(opened.cells[0].cache, cacheDir !== false, `cacheDir ${cacheDir}`);
  }
});

test('@cache: an input set back to its declared value finds what the first run kept', async () => {
  const file = notebook(`import { Inputs } from '${lib}';
export const n = Inputs.range([1, 10], { value: 2, step: 1 });
/** @cache */
export const slow = (n: number) => { (globalThis as any).__slow++; return n * n; };
`);
  recorded.__slow = 0;
  const s = await NotebookSession.open(file, { cacheDir: tempDir() });
  await s.whenIdle();
  s.setInput('n', 3);
  await s.whenIdle();
  s.setInput('n', 2);
  await s.whenIdle();
  assert.equal(s.cells.get('slow')!.cache, 'hit');
  assert.equal(s.cells.get('slow')!.value, 4);
  assert.equal(recorded.__slow, 2, 'computed for 2 and 3 only');
  s.dispose();
});

test("@cache: a cell that reads a live cell keeps that cell's last value, not its first", async () => {
  const file = notebook(`
export const train = (async function* () {
  for (let k = 1; k <= 3; k++) { await new Promise((r) => setTimeout(r, 20)); yield k; }
})();
/** @cache */
export const series = (train: number) => train * 10;
`);
  const cacheDir = tempDir();
  for (const open of ['first', 'second']) {
    const s = await NotebookSession.open(file, { cacheDir });
    await s.whenIdle();
    assert.equal(s.cells.get('series')!.value, 30, `${open} open`);
    s.dispose();
  }
});

test('edits are saved back into the file, which stays a valid module', async () => {
  const file = notebook(DIAMOND);
  recorded.__order = [];
  const s = await NotebookSession.open(file, { cacheDir: false });
  await s.whenIdle();
  s.redefine('b', 'export const b = (a: number) => a * 100;');
  s.setValue('a', 7);
  s.save();
  const text = readFileSync(file, 'utf8');
  assert.match(text, /export const a = 7;\nexport const b = \(a: number\) => a \* 100;\nexport const c = /);
  assert.deepEqual(
    parseNotebook(text).cells.map((c) => c.name),
    ['a', 'b', 'c', 'd', 'e'],
  );
  s.dispose();
});

test('cells named like built-in properties (constructor, toString, __proto__) behave as any other name', async () => {
  const file = notebook(
    'export const constructor = 1;\nexport const toString = (constructor: number) => constructor + 1;\nexport const ' +
      'hasOwnProperty = 3;\nexport const valueOf = (toString: number, hasOwnProperty: number) => toString * ' +
      'hasOwnProperty;\nexport const w = (__proto__: number) => __proto__;\n',
  );
  const s = await NotebookSession.open(file, { cacheDir: false, sets: new Map([['hasOwnProperty', 5]]) });
  await s.whenIdle();
  assert.deepEqual(values(s), { constructor: 1, toString: 2, hasOwnProperty: 5, valueOf: 10, w: undefined });
  assert.match(s.cells.get('w')!.error!, /__proto__ is not defined: no cell has that name/);
  await assert.rejects(
    NotebookSession.open(file, { cacheDir: false, sets: new Map([['__proto__', 5]]) }),
    /--set __proto__: the notebook has no cell of that name/,
  );
  s.dispose();
});

const INPUTS =
  `import { Inputs } from '${lib}';
/** The step size. */
export const lr = Inputs.range([0.001, 0.2], { value: 0.05, step: 0.001, label: 'learning rate' });
export const epochs = Inputs.range([1, 10], { value: 2, step: 1, label: 'epochs' });
export const optimiser = Inputs.select(['sgd', 'adam'], { value: 'sgd' });
export const verbose = Inputs.checkbox({ value: false, label: 'verbose' });
export const name = Inputs.text({ value: 'run' });
export const go = Inputs.button('go');
export const data = () => { (globalThis as any).__data++; return [1, 2, 3]; };
export const train = (data: number[], lr: number, epochs: number) => data.map((x) => x * lr * epochs);
export const title = (name: string, optimiser: string, verbose: boolean, go: number) => ` +
  `\`\${name}/\${optimiser}/\${verbose}/\${go}\`;
`;

test(
  'input cells: declared in the module, checked against ' + 'their range, and a new value re-runs exactly its readers',
  async () => {
    const parsed = parseNotebook(INPUTS);
    assert.deepEqual(
      parsed.cells.map((c) => [c.name, c.input ?? null]),
      [
        ['lr', 'range'],
        ['epochs', 'range'],
        ['optimiser', 'select'],
        ['verbose', 'checkbox'],
        ['name', 'text'],
        ['go', 'button'],
        ['data', null],
        ['train', null],
        ['title', null],
      ],
    );
    recorded.__data = 0;
    const s = await NotebookSession.open(notebook(INPUTS), { cacheDir: false });
    await s.whenIdle();
    assert.deepEqual(s.cells.get('lr')!.input, {
      kind: 'range',
      value: 0.05,
      min: 0.001,
      max: 0.2,
      step: 0.001,
      label: 'learning rate',
    });
    assert.deepEqual(s.cells.get('optimiser')!.input!.options, ['sgd', 'adam']);
    assert.deepEqual(s.cells.get('train')!.value, [0.1, 0.2, 0.30000000000000004]);
    s.setInput('lr', 0.1);
    await s.whenIdle();
    assert.deepEqual(runs(s), {
      lr: 2,
      epochs: 1,
      optimiser: 1,
      verbose: 1,
      name: 1,
      go: 1,
      data: 1,
      train: 2,
      title: 1,
    });
    assert.deepEqual(s.cells.get('train')!.value, [0.2, 0.4, 0.6000000000000001]);
    assert.throws(() => s.setInput('lr', 5), /lr \(learning rate\) must be a number in \[0\.001, 0\.2\], got 5/);
    assert.throws(() => s.setInput('epochs', 2.5), /epochs \(epochs\) must be an integer in 1\.\.10, got 2\.5/);
    assert.throws(() => s.setInput('optimiser', 'rmsprop'), /optimiser must be one of sgd, adam, got "rmsprop"/);
    assert.throws(() => s.setInput('verbose', 'yes'), /verbose \(verbose\) must be true or false/);
    assert.throws(() => s.setInput('data', 1), /data is not an input cell/);
    s.setInput('optimiser', 'adam');
    s.setInput('go', 1);
    await s.whenIdle();
    assert.equal(s.cells.get('title')!.value, 'run/adam/false/1');
    assert.equal(recorded.__data, 1, 'the data cell never re-ran');
    s.dispose();

    // --set from the command line: text parsed by the input's kind, checked, the declaration kept.
    const file = notebook(INPUTS);
    const set = await NotebookSession.open(file, {
      cacheDir: false,
      rawSets: new Map([
        ['lr', '0.02'],
        ['epochs', '3'],
        ['verbose', 'true'],
        ['name', '42'],
      ]),
    });
    await set.whenIdle();
    assert.deepEqual(set.cells.get('train')!.value, [0.06, 0.12, 0.18]);
    assert.equal(set.cells.get('title')!.value, '42/sgd/true/0');
    assert.match(set.cells.get('lr')!.source.text, /Inputs\.range/);
    set.dispose();
    await assert.rejects(
      NotebookSession.open(file, { cacheDir: false, rawSets: new Map([['lr', 'fast']]) }),
      /--set lr \(learning rate\) must be a number in \[0\.001, 0\.2\], got 'fast'/,
    );
    await assert.rejects(
      NotebookSession.open(file, { cacheDir: false, rawSets: new Map([['epochs', '0']]) }),
      /--set epochs \(epochs\) must be an integer in 1\.\.10, got '0'/,
    );
    const bad = await NotebookSession.open(
      notebook(`import { Inputs } from '${lib}';\nexport const k = Inputs.range([5, 1], { value: 3 });\n`),
      { cacheDir: false },
    );
    await bad.whenIdle();
    assert.match(bad.cells.get('k')!.error!, /input k: min 5 is above max 1/);
    bad.dispose();
  },
);

test('an input value is part of the cache key of the cells below it', async () => {
  const file = notebook(
    `import { Inputs } from '${lib}';\nexport const n = Inputs.range([1, 9], { value: 3, step: 1 });\n/** @cache ` +
      `*/\nexport const sq = (n: number) => { (globalThis as any).__sq++; return n * n; };\n`,
  );
  const cacheDir = tempDir();
  recorded.__sq = 0;
  const a = await NotebookSession.open(file, { cacheDir });
  await a.whenIdle();
  a.setInput('n', 4);
  await a.whenIdle();
  assert.equal(a.cells.get('sq')!.value, 16);
  assert.equal(a.cells.get('sq')!.cache, 'stored');
  a.dispose();
  const b = await NotebookSession.open(file, { cacheDir, sets: { n: 4 } });
  await b.whenIdle();
  assert.equal(b.cells.get('sq')!.cache, 'hit');
  assert.equal(recorded.__sq, 2);
  b.dispose();
});

const LAZY = `import { Inputs } from '${lib}';
export const n = Inputs.range([1, 100], { value: 2, step: 1 });
export const cheap = (n: number) => n + 1;
/** @lazy
 * Expensive: held back until run by hand. */
export const slow = (cheap: number) => { (globalThis as any).__slow++; return cheap * 10; };
export const after = (slow: number) => slow + 1;
`;

test('@lazy: after its inputs change a lazy cell is stale (and what reads it) until run()', async () => {
  recorded.__slow = 0;
  const s = await NotebookSession.open(notebook(LAZY), { cacheDir: false, lazy: true });
  await s.whenIdle();
  assert.equal(s.cells.get('slow')!.source.prose, 'Expensive: held back until run by hand.');
  assert.equal(s.cells.get('slow')!.source.lazy, true);
  assert.deepEqual(values(s), { n: 2, cheap: 3, slow: 30, after: 31 }, 'the first run computes everything');
  s.setInput('n', 5);
  await s.whenIdle();
  const state = (n: string) => s.cells.get(n)!.state;
  assert.deepEqual([state('cheap'), state('slow'), state('after')], ['fulfilled', 'stale', 'stale']);
  assert.equal(s.cells.get('cheap')!.value, 6);
  assert.equal(s.cells.get('slow')!.value, 30, 'the stale value is kept');
  assert.equal(recorded.__slow, 1);
  s.setInput('n', 7);
  await s.whenIdle();
  assert.equal(recorded.__slow, 1, 'still held');
  s.run('slow');
  await s.whenIdle();
  assert.deepEqual(values(s), { n: 7, cheap: 8, slow: 80, after: 81 });
  assert.equal(recorded.__slow, 2, 'ran once, with the latest inputs');
  assert.deepEqual(runs(s), { n: 3, cheap: 3, slow: 2, after: 2 });
  s.redefine('slow', 'export const slow = (cheap: number) => cheap * 100;');
  await s.whenIdle();
  assert.equal(s.cells.get('after')!.value, 801, 'an edit runs the lazy cell');
  s.dispose();
});

test('lazy mode: Run stale brings every cell up to date, through each value of a live cell', async () => {
  const s = await NotebookSession.open(
    notebook(`import { Inputs } from '${lib}';
export const n = Inputs.range([1, 100], { value: 2, step: 1 });
export const train = (n: number) => (async function* () {
  for (let k = 1; k <= 3; k++) { await new Promise((r) => setTimeout(r, 20)); yield n * 10 + k; }
})();
export const series = (train: number) => train * 2;
export const plot = (series: number) => series + 1;
`),
    { cacheDir: false, lazyAll: true },
  );
  const states = () => ['train', 'series', 'plot'].map((n) => s.cells.get(n)!.state);
  await s.whenIdle();
  assert.deepEqual(values(s), { n: 2, train: 23, series: 46, plot: 47 });
  s.setInput('n', 3);
  await s.whenIdle();
  assert.deepEqual(states(), ['stale', 'stale', 'stale']);
  s.runStale();
  await s.whenIdle();
  assert.deepEqual(states(), ['fulfilled', 'fulfilled', 'fulfilled']);
  assert.deepEqual(values(s), { n: 3, train: 33, series: 66, plot: 67 }, "the cells of the search's last value");
  // Run stale is spent: the next change is held again.
  s.setInput('n', 4);
  await s.whenIdle();
  assert.deepEqual(states(), ['stale', 'stale', 'stale']);
  s.dispose();
});

test('lazy mode holds every computed cell; turning it off runs what is stale; scripts ignore @lazy', async () => {
  recorded.__slow = 0;
  const s = await NotebookSession.open(notebook(LAZY), { cacheDir: false, lazyAll: true });
  await s.whenIdle();
  s.setInput('n', 3);
  await s.whenIdle();
  assert.deepEqual(
    ['cheap', 'slow', 'after'].map((n) => s.cells.get(n)!.state),
    ['stale', 'stale', 'stale'],
  );
  s.run('cheap');
  await s.whenIdle();
  assert.deepEqual(
    ['cheap', 'slow', 'after'].map((n) => s.cells.get(n)!.state),
    ['fulfilled', 'stale', 'stale'],
    'running one marks the next stale',
  );
  s.runStale();
  await s.whenIdle();
  assert.deepEqual(values(s), { n: 3, cheap: 4, slow: 40, after: 41 });
  s.setInput('n', 4);
  await s.whenIdle();
  s.setLazyAll(false);
  await s.whenIdle();
  assert.equal(s.cells.get('after')!.value, 51);
  assert.equal(s.cells.get('cheap')!.state, 'fulfilled');
  s.dispose();
  const script = await NotebookSession.open(notebook(LAZY), { cacheDir: false });
  await script.whenIdle();
  script.setInput('n', 9);
  await script.whenIdle();
  assert.equal(script.cells.get('after')!.value, 101);
  script.dispose();
});
