// The layers of the library (README's "What is here"): an import only ever points down this list, two
// folders never import each other, and nothing in src/ imports from outside it (kernel/, bench/, test/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = new URL('../src/', import.meta.url).pathname;

/** From the top. A folder may import folders of lower layers, and of its own layer one way only. */
export const LAYERS: readonly (readonly string[])[] = [
  ['cli', 'pipeline', 'notebook', 'experiment'],
  ['report'],
  ['display'],
  ['viz'],
  ['tasks'],
  ['cnn', 'rnn'],
  ['rundir'],
  ['train', 'network', 'supernet', 'policy'],
  ['space', 'data'],
  ['backend', 'random', 'io'],
];
/** Files at the top of src/: the public APIs (Node's, a browser's) import everything; version.ts is a leaf. */
const ROOT_RANK: Record<string, number> = {
  'index.ts': -1,
  'browser.ts': -1,
  'library.ts': -1,
  'version.ts': LAYERS.length,
};

const rank = (folder: string): number => {
  if (folder in ROOT_RANK) return ROOT_RANK[folder];
  const r = LAYERS.findIndex((l) => l.includes(folder));
  if (r < 0) throw new Error(`src/${folder} is in no layer: add it to LAYERS in test/layers.test.ts and to the README`);
  return r;
};

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.(ts|js)$/.test(e.name) ? [join(dir, e.name)] : [],
  );

/** Relative module specifiers of static imports, re-exports and dynamic imports. */
function imports(text: string): string[] {
  const out: string[] = [];
  const pattern = new RegExp(
    [
      String.raw`(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]`,
      String.raw`import\(\s*['"](\.[^'"]+)['"]\s*\)`,
      String.raw`(?:^|\n)\s*import\s*['"](\.[^'"]+)['"]`,
    ].join('|'),
    'g',
  );
  for (const m of text.matchAll(pattern)) {
    out.push(m[1] ?? m[2] ?? m[3]);
  }
  return out;
}

/** Every import between folders of src/: [from folder, to folder, where]. */
function edges(): { from: string; to: string; where: string }[] {
  const out: { from: string; to: string; where: string }[] = [];
  for (const file of files(SRC)) {
    const from = relative(SRC, file).split('/')[0];
    for (const spec of imports(readFileSync(file, 'utf8'))) {
      const target = relative(SRC, resolve(dirname(file), spec));
      const where = `src/${relative(SRC, file)} imports '${spec}'`;
      if (target.startsWith('..')) out.push({ from, to: `outside src/ (${target})`, where });
      else out.push({ from, to: target.split('/')[0], where });
    }
  }
  return out;
}

test('no import in src/ runs up the layers or leaves src/', () => {
  const wrong: string[] = [];
  for (const e of edges()) {
    if (e.from === e.to) continue;
    if (e.to.startsWith('outside')) wrong.push(`${e.where}: ${e.to}; the library stands on its own`);
    else if (rank(e.to) < rank(e.from)) wrong.push(`${e.where}: ${e.from}/ is below ${e.to}/ in the layers`);
  }
  assert.deepEqual(wrong, []);
});

test('no two folders of src/ import each other', () => {
  const all = edges().filter((e) => e.from !== e.to && !e.to.startsWith('outside'));
  const pairs = new Map(all.map((e) => [`${e.from}>${e.to}`, e.where]));
  const mutual = all
    .filter((e) => pairs.has(`${e.to}>${e.from}`))
    .map((e) => `${e.where} and ${pairs.get(`${e.to}>${e.from}`)}`);
  assert.deepEqual([...new Set(mutual)], []);
});

test('the lower layers (training, policy, space, networks, data, backend) import no task, front end or figure', () => {
  const low = ['train', 'policy', 'space', 'supernet', 'network', 'data', 'backend'];
  const high = ['display', 'report', 'viz', 'notebook', 'cli', 'cnn', 'rnn', 'pipeline', 'experiment'];
  const wrong = edges()
    .filter((e) => low.includes(e.from) && high.includes(e.to))
    .map((e) => e.where);
  assert.deepEqual(wrong, []);
});

test('only the CLI imports the experiments (src/experiment/)', () => {
  const wrong = edges()
    .filter((e) => e.to === 'experiment' && e.from !== 'experiment' && e.from !== 'cli')
    .map((e) => e.where);
  assert.deepEqual(wrong, []);
});
