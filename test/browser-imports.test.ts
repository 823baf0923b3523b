// The library runs in a browser: esbuild bundles src/browser.ts and a live export's Web Worker
// (src/notebook/browser/worker.ts) for the browser (the options a live export uses) with no Node built-in in
// it and no stand-in for one, and no module that a page or that worker reaches, nor any module of the folders
// that must stay portable, imports one (Node's own code sits behind '#host' and beside, in Node-only files).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import * as esbuild from 'esbuild';

const ROOT = new URL('../', import.meta.url).pathname;
const SRC = join(ROOT, 'src');
/** What a page or a live export's Web Worker loads of src/. */
const ENTRIES = [join(SRC, 'browser.ts'), join(SRC, 'notebook/browser/worker.ts')];
/** esbuild's options for the library in a page or Web Worker. */
export const BROWSER_BUNDLE: esbuild.BuildOptions = {
  entryPoints: ENTRIES,
  bundle: true,
  platform: 'browser',
  format: 'esm',
  loader: { '.wasm': 'binary' },
  write: false,
  metafile: true,
  logLevel: 'silent',
  outdir: '/nonexistent',
};
/** Folders with no Node built-in in any file (of data/, the decoding files). */
const PORTABLE = ['space', 'policy', 'supernet', 'network', 'train', 'viz', 'random'];
const PORTABLE_DATA = ['cifar10-decode', 'ptb-text', 'split', 'batches', 'augment', 'image-set', 'source', 'errors'];

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const isBuiltin = (spec: string) => spec.startsWith('node:') || BUILTINS.has(spec) || BUILTINS.has(spec.split('/')[0]);

/**
 * Every module specifier a file imports: static, re-exported, side-effect only, dynamic, required; without
 * `import type` and `export type` (erased: they load nothing) unless `types` is set.
 */
export function specifiers(text: string, types = true): string[] {
  const pattern = new RegExp(
    [
      String.raw`(?:^|\n)\s*((?:import|export)\s[^'"]*?)from\s*['"]([^'"]+)['"]`,
      String.raw`(?:^|\n)\s*import\s*['"]([^'"]+)['"]`,
      String.raw`(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)`,
    ].join('|'),
    'g',
  );
  return [...text.matchAll(pattern)]
    .filter((m) => types || !/^(?:import|export)\s+type\s/.test(m[1] ?? ''))
    .map((m) => m[2] ?? m[3] ?? m[4]);
}

/** 'file: import' for each Node built-in the files import. */
export const builtinImports = (files: { path: string; text: string }[]): string[] =>
  files.flatMap((f) => specifiers(f.text).flatMap((s) => (isBuiltin(s) ? [`${f.path}: '${s}'`] : [])));

const tsFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : /\.(ts|js)$/.test(e.name) ? [join(dir, e.name)] : [],
  );

/** The entries and every module of src/ they reach through relative imports ('#host': its browser file). */
function reachable(): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const s of specifiers(readFileSync(file, 'utf8'), false)) {
      if (s === '#host') visit(join(SRC, 'backend/host/browser.ts'));
      else if (s.startsWith('.') && /\.ts$/.test(s)) visit(resolve(dirname(file), s));
    }
  };
  for (const entry of ENTRIES) visit(entry);
  return [...seen];
}

const read = (paths: string[]) => paths.map((p) => ({ path: relative(ROOT, p), text: readFileSync(p, 'utf8') }));

test("esbuild bundles src/browser.ts and the live export's worker for the browser, with no Node built-in", async () => {
  const r = await esbuild.build(BROWSER_BUNDLE);
  assert.deepEqual(
    r.errors.map((e) => `${e.location?.file}: ${e.text}`),
    [],
  );
  const inputs = r.metafile!.inputs;
  // A package's browser field may stub a built-in it never needs in a page ('(disabled):fs'); ours may not.
  assert.deepEqual(
    Object.keys(inputs).filter((k) => isBuiltin(k)),
    [],
  );
  const ours = Object.entries(inputs).filter(([k]) => k.startsWith('src/'));
  assert.deepEqual(
    ours.flatMap(([k, v]) =>
      v.imports.filter((i) => /^\(disabled\)|^node:/.test(i.path)).map((i) => `${k}: ${i.path}`),
    ),
    [],
  );
  assert.ok(inputs['src/backend/host/browser.ts'], "'#host' resolves to the browser's host");
  assert.ok(!inputs['src/backend/host/node.ts'], "Node's host is not in the bundle");
  assert.ok(inputs['src/notebook/browser/worker.ts'], "the live export's worker is in the bundle");
  assert.ok(!inputs['src/notebook/browser/node-shim.ts'], 'no stand-in for Node modules');
  assert.equal(r.outputFiles!.filter((f) => f.path.endsWith('.js') && f.contents.length > 0).length, ENTRIES.length);
});

test('a Node built-in imported by a module the bundle reaches fails the bundle', async () => {
  const r = await esbuild
    .build({
      ...BROWSER_BUNDLE,
      entryPoints: undefined,
      stdin: { contents: "import { readFileSync } from 'node:fs';\nreadFileSync('x');", resolveDir: SRC },
    })
    .then(
      (b) => b.errors,
      (e: esbuild.BuildFailure) => e.errors,
    );
  assert.match(r.map((e) => e.text).join('\n'), /node:fs/);
});

test('no module a page reaches, and none in the portable folders, imports a Node built-in', () => {
  const portable = [
    ...PORTABLE.flatMap((d) => tsFiles(join(SRC, d))),
    ...PORTABLE_DATA.map((f) => join(SRC, 'data', `${f}.ts`)),
  ];
  const files = read([...new Set([...portable, ...reachable()])]);
  assert.ok(files.length > 100, `only ${files.length} files scanned`);
  assert.deepEqual(builtinImports(files), [], 'these import Node built-ins: move the Node part behind #host or out');
});

test('the scan names the file and the import of a Node built-in', () => {
  const found = builtinImports([
    { path: 'src/space/x.ts', text: "import { readFileSync } from 'node:fs';\nimport os from 'os';\nconst a = 1;" },
    { path: 'src/train/y.ts', text: "export { Worker } from 'worker_threads';\nawait import('node:path');" },
    {
      path: 'src/viz/z.ts',
      text: "import { OPS } from '../space/ops.ts';\nimport type { Tensor } from '@tensorflow/tfjs';",
    },
  ]);
  assert.deepEqual(found, [
    "src/space/x.ts: 'node:fs'",
    "src/space/x.ts: 'os'",
    "src/train/y.ts: 'worker_threads'",
    "src/train/y.ts: 'node:path'",
  ]);
});
