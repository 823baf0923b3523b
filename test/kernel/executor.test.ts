// The kernel's executor in-process: names survive a throw or an interrupt for every kind of declaration,
// earlier cells' names work in every syntactic position, errors point at the cell's own lines, interrupts
// stop an awaiting cell, a busy cell, a cell busy after an await and a busy callback. SIGINT is watched as
// the kernel watches it (sigint.ts's worker thread).
import { test } from 'node:test';
import { spawn } from 'node:child_process';
import assert from 'node:assert/strict';
import { Session } from '../../kernel/session.ts';
import { interruptible, isSigint } from '../../kernel/executor.ts';
import { interrupts } from '../../kernel/sigint.ts';

const session = new Session(process.cwd());
await interrupts.watch(() => session.interrupt());
test.after(() => {
  interrupts.close();
  session.close();
});

const value = async (code: string) => {
  const r = await session.execute(code);
  assert.ok(r.ok, r.ok ? '' : r.error.traceback.join('\n'));
  return r.hasValue ? r.value : undefined;
};
const failure = async (code: string, label = 'In[9]') => {
  const r = await session.execute(code, label);
  assert.ok(!r.ok, 'the cell should fail');
  return { ...r.error, text: r.error.traceback.join('\n').replace(/\x1b\[[\d;]*m/g, '') };
};
/** Sends this process SIGINT from outside after `ms`, as Jupyter's interrupt does. */
const sigintIn = (ms: number) =>
  `require('node:child_process').spawn('sh', ['-c', 'sleep ${ms / 1000}; kill -INT ${process.pid}']);`;

test('every name bound before a throw stays bound and typed; names after it keep their earlier values', async () => {
  await value('const later = "old";');
  await failure(
    [
      "import { basename } from 'node:path';",
      'const c = 1; let l = [2];',
      'function f() { return c + l.length; }',
      'class K { k = 3 }',
      'enum E { A = 4 }',
      'const { d, e: [g] } = { d: 5, e: [6] };',
      'namespace N { export const n = 7; }',
      'throw new Error("stop");',
      'const later = 8;',
    ].join('\n'),
  );
  assert.deepEqual(await value('[basename("/a/b"), c, l, f(), new K().k, E.A, d, g, N.n, later.toUpperCase()]'), [
    'b',
    1,
    [2],
    2,
    3,
    4,
    5,
    6,
    7,
    'OLD',
  ]);
});

test("shorthand properties, destructuring and closures over earlier cells' names run as they type-check", async () => {
  await value('const seen = [1, 2];\nlet n = 3;');
  assert.deepEqual(await value('({ seen, n })'), { seen: [1, 2], n: 3 });
  assert.equal(await value('JSON.stringify({ n, seen })'), '{"n":3,"seen":[1,2]}');
  assert.equal(
    await value('const { length } = seen;\nconst sum = () => seen.reduce((a, b) => a + b, n);\nlength + sum()'),
    8,
  );
  assert.deepEqual(await value('[n] = [10];\n({ n, total: sum() })'), { n: 10, total: 13 });
});

test("errors name the cell's line and column, keep only user frames, and are coloured", async () => {
  const e = await failure(
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the cell's source holds a template literal
    'const a = 1;\nfunction boom(x: number) {\n  throw new RangeError(`boom ${x}`);\n}\nboom(a);',
    'In[4]',
  );
  assert.equal(e.ename, 'RangeError');
  assert.match(e.traceback[0], /\x1b\[31m-{75}/);
  assert.match(e.text, /Cell In\[4\], line 5, column 1\n[\s\S]*----> 5 boom\(a\);/);
  assert.match(e.text, /Cell In\[4\], line 3, column 9, in boom\n[\s\S]*----> 3 {3}throw new RangeError/);
  assert.doesNotMatch(e.text, /evalmachine|node:|kernel\/|tslab|executor/);
  const t = await failure('const s: string = 1;', 'In[5]');
  assert.equal(t.ename, 'TypeScriptError');
  assert.match(t.evalue, /^TS2322: Type 'number' is not assignable to type 'string'\. \(In\[5\], line 1, column 7\)$/);
  assert.match(t.text, /Cell In\[5\], line 1, column 7\n----> 1 const s: string = 1;\n {14}\^/);
});

test('an interrupt stops an awaiting cell within 1 s, as a KeyboardInterrupt at its line', async () => {
  const started = Date.now();
  setTimeout(() => session.interrupt(), 200);
  const e = await failure('const before = 1;\nawait new Promise(() => {});\nconst after = 2;', 'In[6]');
  assert.ok(Date.now() - started < 1000 + 200);
  assert.equal(e.ename, 'KeyboardInterrupt');
  assert.match(e.text, /Cell In\[6\], line 2\n[\s\S]*----> 2 await new Promise/);
  assert.equal(await value('before'), 1);
});

test('SIGINT stops a busy cell and a busy widget callback; the session goes on', async () => {
  const started = Date.now();
  const e = await failure(`let spins = 0;\n${sigintIn(300)}\nwhile (true) spins++;`, 'In[7]');
  assert.equal(e.ename, 'KeyboardInterrupt');
  assert.match(e.text, /----> 3 while \(true\) spins\+\+;/);
  assert.ok(Date.now() - started < 5000);
  assert.ok(Number(await value('spins')) >= 0);
  // A callback registered by a cell and called later, as a widget's click is.
  const spin = (await value(`() => { ${sigintIn(300)} while (true) {} }`)) as () => void;
  assert.throws(
    () => interruptible(spin),
    (err) => isSigint(err),
  );
  assert.equal(await value('1 + 1'), 2);
});

test('SIGINT stops a loop that runs after an await within 1 s, in the cell or in an earlier function', async () => {
  // Each loop gives up after 5 s, so a loop the interrupt missed fails the test instead of hanging it.
  await value('function spin(until: number) {\n  for (let i = 0; Date.now() < until; i++) {}\n}');
  for (const [body, line] of [
    ['while (Date.now() < sent + 5000) turns++;', /----> 4 while \(Date/],
    ['spin(sent + 5000);', /----> 4 spin\(sent \+ 5000\);/],
  ] as const) {
    const code =
      'let turns = 0;\nawait new Promise((r) => setTimeout(r, 10));\n' +
      `const sent = Date.now() + 300; ${sigintIn(300)}\n${body}`;
    const e = await failure(code, 'In[10]');
    const late = Date.now() - Number(await value('sent'));
    assert.equal(e.ename, 'KeyboardInterrupt', e.text);
    assert.match(e.text, line);
    // The signal is sent 300 ms after `sent` was read (plus a shell's start).
    assert.ok(late < 1000, `stopped ${late} ms after the signal was due`);
  }
  assert.equal(await value('turns'), 0, 'names bound before the interrupt stay bound');
  // A widget callback busy after an await, called when no cell runs.
  const spinLater = (await value(
    'async () => {\n  await new Promise((r) => setTimeout(r, 10));\n' +
      `  ${sigintIn(300)}\n  spin(Date.now() + 5000);\n  throw new Error('not interrupted');\n}`,
  )) as () => Promise<void>;
  await assert.rejects(interruptible(spinLater), (err) => isSigint(err));
  // An interrupt while nothing runs stops nothing later.
  process.kill(process.pid, 'SIGINT');
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(await value('let k = 0;\nawait Promise.resolve();\nfor (let i = 0; i < 1000; i++) k++;\nk'), 1000);
});

test('SIGINT stops recursion after an await (busy with no loop) within 1 s; a timer later still runs', async () => {
  // fib gives up at its deadline (5 s after the signal is due), so a missed interrupt fails instead of hanging.
  await value(
    'function fib(n: number, until: number): number {\n' +
      '  return Date.now() > until || n < 2 ? n : fib(n - 1, until) + fib(n - 2, until);\n}',
  );
  const code =
    'await new Promise((r) => setTimeout(r, 10));\n' +
    `const sentFib = Date.now() + 300; ${sigintIn(300)}\nfib(60, sentFib + 5000);`;
  const e = await failure(code, 'In[12]');
  const late = Date.now() - Number(await value('sentFib'));
  assert.equal(e.ename, 'KeyboardInterrupt', e.text);
  assert.match(e.text, /----> 3 fib\(60, sentFib \+ 5000\);/);
  assert.ok(late < 1000, `stopped ${late} ms after the signal was due`);
  // A timer set by a cell calls its function after the cell ended and after an interrupt while idle.
  await value('let ticks = 0;\nfunction tick() { ticks++; }\nsetTimeout(() => tick(), 400);');
  process.kill(process.pid, 'SIGINT');
  await new Promise((r) => setTimeout(r, 700));
  assert.equal(await value('ticks'), 1, "the timer's call was not taken for the interrupt");
});

test('an interrupt that cannot reach busy code says so in the kernel log, and what to do', async () => {
  // Busy outside any loop of a cell (Atomics.wait on the main thread) for 4 s, interrupted soon after the start.
  const script =
    "import { interrupts } from './kernel/sigint.ts';\n" +
    'await interrupts.watch(() => {});\n' +
    "process.stdout.write('ready\\n');\n" +
    'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 4000);\n' +
    'interrupts.close();';
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise((resolve) => child.stdout.once('data', resolve));
  // The worker enters its wait right after it says it is ready.
  await new Promise((resolve) => setTimeout(resolve, 200));
  child.kill('SIGINT');
  assert.equal(await exited, 0, stderr);
  assert.match(stderr, /an interrupt has not reached the running code for 2 s: .*restart the kernel to stop it/);
});

test("Shift-Tab anywhere inside a call's parentheses gives the callee's signature and doc", async () => {
  await value('/** Adds two numbers. */\nfunction add(a: number, b: number) { return a + b; }');
  for (const code of ['add(', 'add(1, ', 'add(1, 2)', 'add(Math.max(1), ']) {
    const r = session.inspect(code, code.endsWith(')') ? code.length - 1 : code.length);
    assert.ok(r.found, code);
    assert.match(
      String(r.data['text/plain']),
      /^function add\(a: number, b: number\): number\n\nAdds two numbers\./,
      code,
    );
  }
});

test("the type checker is the project's TypeScript", async () => {
  // NoInfer came with TypeScript 5.4 (tslab bundles 5.0).
  assert.equal(
    await value(
      'function pick<T>(options: T[], chosen: NoInfer<T>) { return options.indexOf(chosen); }\npick([1, 2], 2)',
    ),
    1,
  );
  const e = await failure("pick(['a', 'b'], 'c' as string & {})\npick(['a', 'b'], 3)", 'In[8]');
  assert.match(e.evalue, /^TS2345: .*'number'.* \(In\[8\], line 2, column 18\)$/);
});
