// A live export's worker side without a browser: the cells' names, inputs and controls parsed at export;
// the cells' code taken from a bundled module (values set from the page's query as JSON, edits refused
// with a message); picked files as an input's value, anything else refused naming the fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { liveNotebook } from '../../src/notebook/browser/export-live.ts';
import { moduleCode } from '../../src/notebook/browser/worker.ts';
import { checkedQuery } from '../../src/notebook/browser/query.ts';
import { ReactiveNotebook } from '../../src/notebook/reactive.ts';
import { tempDir } from '../helpers/fixtures.ts';

const NOTEBOOK = `/** # Live */
import { Inputs as In } from 'ednas';
export const n = In.range([1, 10], { value: 2, step: 1, label: 'n' });
export const files = In.file({ label: 'data', accept: '.bin' });
export const scale = 3;
export const total = (n: number, scale: number, files: { bytes: Uint8Array }[]) =>
  n * scale + files.reduce((s, f) => s + f.bytes.length, 0);
`;

/** What esbuild's bundle of NOTEBOOK exports (the cells' values and functions). */
const bundled = {
  n: 2,
  files: [],
  scale: 3,
  total: (n: number, scale: number, files: { bytes: Uint8Array }[]) =>
    n * scale + files.reduce((s, f) => s + f.bytes.length, 0),
};

function parsed() {
  const file = join(tempDir(), 'live.ts');
  writeFileSync(file, NOTEBOOK);
  return liveNotebook(file);
}

function open(o: ConstructorParameters<typeof Map<string, string>>[0] = []) {
  const notebook = parsed();
  return new ReactiveNotebook('live.ts', notebook, moduleCode(bundled, notebook)).start({
    rawSets: new Map(o),
  });
}

test('an export describes its input cells without running any cell', () => {
  const file = join(tempDir(), 'live.ts');
  writeFileSync(file, NOTEBOOK);
  const nb = liveNotebook(file);
  assert.equal(nb.intro, '# Live');
  assert.deepEqual(
    nb.cells.map((c) => c.name),
    ['n', 'files', 'scale', 'total'],
  );
  assert.deepEqual(nb.inputs.n, { kind: 'range', value: 2, min: 1, max: 10, step: 1, label: 'n' });
  assert.deepEqual(nb.inputs.files, { kind: 'file', value: [], accept: '.bin', label: 'data' });
});

test("the worker runs the bundled module's cells; the query sets cells; edits, wrong files refused", async () => {
  const s = open([
    ['n', '4'],
    ['scale', '10'],
  ]);
  await s.whenIdle();
  assert.equal(s.cells.get('total')!.value, 40, 'an input and a value cell set as --set does');
  s.setInput('files', [{ name: 'a.bin', bytes: new Uint8Array(5) }]);
  await s.whenIdle();
  assert.equal(s.cells.get('total')!.value, 45, 'picked files reach the cells as bytes');
  assert.throws(() => s.setInput('files', 'a.bin'), /takes files picked on the page of a live export/);
  assert.throws(() => s.redefine('scale', 'export const scale = 5;'), /editing cells needs `ednas notebook/);
  s.dispose();
});

test('--export-live with an empty folder name, or a folder of other files, is refused and nothing is written', () => {
  const cwd = tempDir();
  const bin = new URL('../../bin/ednas.js', import.meta.url).pathname;
  const notebook = new URL('../../notebooks/cifar-search.ts', import.meta.url).pathname;
  const r = spawnSync(process.execPath, [bin, 'notebook', notebook, '--export-live', ''], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--export-live needs a folder name/);
  assert.deepEqual(readdirSync(cwd), []);
  // A folder holding other files is not written into either.
  writeFileSync(join(cwd, 'notes.txt'), 'mine');
  const full = spawnSync(process.execPath, [bin, 'notebook', notebook, '--export-live', '.'], {
    cwd,
    encoding: 'utf8',
  });
  assert.equal(full.status, 2, full.stderr);
  assert.match(full.stderr, /not an empty folder or an earlier export/);
  assert.deepEqual(readdirSync(cwd), ['notes.txt']);
});

test("a link's query the notebook cannot take is left out, naming why and the fix; the rest is taken", () => {
  const problems: string[] = [];
  const query = new Map([
    ['n', '99'],
    ['nope', '1'],
    ['scale', '10'],
    ['files', 'data_batch_1.bin'],
    ['total', '5'],
  ]);
  assert.deepEqual(
    [...checkedQuery(query, parsed(), (m) => problems.push(m))],
    [
      ['scale', '10'],
      ['total', '5'],
    ],
  );
  assert.equal(problems.length, 4);
  assert.match(
    problems[0],
    /^the link's \?n=99 is left out: n \(n\) must be an integer in 1\.\.10, got '99'\. Change it/,
  );
  assert.match(
    problems[1],
    /\?nope=1 is left out: the notebook has no cell named nope; its cells are n, files, scale, total\. Correct the/,
  );
  assert.match(
    problems[2],
    /\?files=data_batch_1\.bin is left out: files takes files, which a link cannot carry\. Pick/,
  );
  assert.match(problems[3], /^the link's \?total=5 replaces what the cell total computes: .* Leave it out/);
});
